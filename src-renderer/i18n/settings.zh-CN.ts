/** 设置页与训练编辑器中模型大小估算的简体中文文案（合并进 zh-CN.ts）。 */
import type { SettingsMessages } from './settings.en';

const settingsZhCN: SettingsMessages = {
  settings: {
    title: '设置',
    subtitle: '作用于当前数据目录：桌面版、浏览器模式和命令行共用。',
    save: '保存',
    saved: '已保存。',
    memory: {
      title: '新训练的内存预算',
      what: '新建训练或分叉时，若估算的训练内存超过此预算，将在开始前被拒绝并给出估算值。已创建的训练不再重新检查。',
      automatic: '自动：当前为 {mb} MB（{source}）',
      custom: '固定预算',
      unit: 'MB',
      effective: '当前生效：{mb} MB',
      sources: {
        'free-memory': '空闲内存的一半，每次请求时读取',
        'gpu-buffer-limit': 'GPU 适配器的缓冲区上限',
      },
    },
    slots: {
      title: '同时训练的数量',
      what: '每个训练都有自己的训练进程；超出此数目的训练在队列中等待。笔记本电脑适合 1；核心或 GPU 富余的机器可以调高。增强预览、渲染与导出共用另一个进程。',
      label: '训练槽位',
      effective: '当前生效：同时 {n} 个',
    },
  },
  modelSize: {
    estimate: '≈ {params} 个参数 · 训练时约需 {memory}',
    unknown: '大小：—（所有字段有效后显示）',
    budget: '在 {budget} 的内存预算之内',
    overBudget: '超出 {budget} 的内存预算：该训练将被拒绝；请减小批大小、缩窄网络，或在设置中提高预算',
    breakdown: '权重 {weights} · 优化器 {optimizer} · EMA 与平均副本 {copies} · 单步训练 {step}',
  },
};

export default settingsZhCN;
