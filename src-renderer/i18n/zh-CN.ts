/** 界面的简体中文文案；键与 en.ts 一一对应（由类型检查保证）。 */
import type { Messages } from './en';
import datasetsZhCN from './datasets.zh-CN';
import experimentsZhCN from './experiments.zh-CN';
import settingsZhCN from './settings.zh-CN';

const zhCN: Messages = {
  app: {
    name: 'GAN 工作台',
    language: '语言',
    connecting: '正在连接…',
    desktop: '桌面版',
    headless: '浏览器',
    dataDir: '数据目录：{dir}',
    dismiss: '关闭',
    dropBrowser: '浏览器无法读取拖入的文件夹：请在“导入文件夹”中点击“选择要上传的文件夹…”，或输入服务器上的文件夹路径。',
    dropIgnored: '拖入一个图片文件夹即可导入。',
  },
  compute: {
    title: '训练进程在本机得到的计算后端；展开可查看 GPU 以及未选用其他后端的原因',
    probing: '正在检测计算后端…',
    unknown: '计算后端未知',
    software: '软件',
    failed: '无法检测计算后端：{error}',
    backend: '后端',
    adapterUsed: '训练所用 GPU',
    adapterFound: '找到的 GPU 适配器',
    softwareHint: '软件适配器在 CPU 上模拟 GPU，比 wasm 慢，因此只有强制指定（--backend webgpu）时才会使用。',
    noAdapter: '未找到 WebGPU 适配器（原因见下方 webgpu 一行）。',
  },
  nav: {
    datasets: '数据集',
    runs: '训练',
    compare: '对比',
    gallery: '样本库',
    settings: '设置',
  },
  common: {
    cancel: '取消',
    close: '关闭',
    loading: '加载中…',
    refresh: '刷新',
    delete: '删除',
    none: '—',
    error: '错误',
    optional: '可选',
  },
  ...datasetsZhCN,
  ...experimentsZhCN,
  ...settingsZhCN,
  channels: {
    '1': '灰度',
    '3': 'RGB 彩色',
  },
  status: {
    queued: '排队中',
    running: '运行中',
    paused: '已暂停',
    completed: '已完成',
    stopped: '已停止',
    failed: '失败',
    interrupted: '已中断',
  },
};

export default zhCN;
