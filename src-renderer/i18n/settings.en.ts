/** English labels of the Settings page and of the model-size estimate in the run editor (merged into en.ts). */
const settingsEn = {
  settings: {
    title: 'Settings',
    subtitle: 'Apply to this data directory: the desktop app, the browser mode and the command line alike.',
    save: 'Save',
    saved: 'Saved.',
    memory: {
      title: 'Memory budget for new runs',
      what: 'A new run, or a fork, whose estimated memory while training exceeds this is refused before it starts, with the estimate. Runs already created are not checked again.',
      automatic: 'Automatic: {mb} MB now ({source})',
      custom: 'Fixed budget',
      unit: 'MB',
      effective: 'In force: {mb} MB',
      sources: {
        'free-memory': 'half the free RAM, read at each request',
        'gpu-buffer-limit': 'the GPU adapter’s buffer limit',
      },
    },
    slots: {
      title: 'Runs training at once',
      what: 'Each training run has a trainer process of its own; runs started beyond this wait in the queue. One suits a laptop; raise it on a machine with cores or GPUs to spare. Augmentation previews, renders and exports use one more, shared process.',
      label: 'Training slots',
      effective: 'In force: {n} at once',
    },
  },
  modelSize: {
    estimate: '≈ {params} parameters · ≈ {memory} while training',
    unknown: 'Size: — (shown once every field is valid)',
    budget: 'within the memory budget of {budget}',
    overBudget: 'over the memory budget of {budget}: the run will be refused; lower the batch size, narrow the networks, or raise the budget in Settings',
    breakdown: 'weights {weights} · optimizer {optimizer} · EMA and averages {copies} · one training step {step}',
  },
} as const;

/** Same keys, any strings: the shape settings.zh-CN.ts must have. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type SettingsMessages = Widen<typeof settingsEn>;

export default settingsEn satisfies SettingsMessages as SettingsMessages;
