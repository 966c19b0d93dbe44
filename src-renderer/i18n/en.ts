/** English labels of the whole UI; zh-CN.ts must have the same keys (checked by its type). */
import datasetsEn from './datasets.en';
import experimentsEn from './experiments.en';
import settingsEn from './settings.en';
const en = {
  app: {
    name: 'GAN Workbench',
    language: 'Language',
    connecting: 'Connecting…',
    desktop: 'desktop',
    headless: 'browser',
    dataDir: 'Data: {dir}',
    dismiss: 'Dismiss',
    dropBrowser: 'In the browser a dropped folder cannot be read: use “Choose a folder to upload…” in “Import folder”, or type a folder path on the server machine.',
    dropIgnored: 'Drop a folder of images to import it.',
  },
  compute: {
    title: 'The compute backend a trainer gets here; open for the GPU and why not the others',
    probing: 'finding compute…',
    unknown: 'compute unknown',
    software: 'software',
    failed: 'The compute backend could not be probed: {error}',
    backend: 'Backend',
    adapterUsed: 'Trains on',
    adapterFound: 'GPU adapter found',
    softwareHint: 'A software adapter emulates a GPU on the CPU: slower than wasm, so it is used only when forced (--backend webgpu).',
    noAdapter: 'No WebGPU adapter was found (see the webgpu line below).',
  },
  nav: {
    datasets: 'Datasets',
    runs: 'Runs',
    compare: 'Compare',
    gallery: 'Gallery',
    settings: 'Settings',
  },
  common: {
    cancel: 'Cancel',
    close: 'Close',
    loading: 'Loading…',
    refresh: 'Refresh',
    delete: 'Delete',
    none: '—',
    error: 'Error',
    optional: 'optional',
  },
  ...datasetsEn,
  ...experimentsEn,
  ...settingsEn,
  channels: {
    '1': 'Grayscale',
    '3': 'RGB',
  },
  status: {
    queued: 'Queued',
    running: 'Running',
    paused: 'Paused',
    completed: 'Completed',
    stopped: 'Stopped',
    failed: 'Failed',
    interrupted: 'Interrupted',
  },
} as const;

/** The shape every locale must have: same keys, any strings. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;

export default en satisfies Messages as Messages;
