/** Settings of the workbench (memory budget, training slots): one schema with defaults, stored a row per key. */
import { z } from 'zod';

/** A whole number within bounds, each refusal naming the field and the bound it broke. */
function boundedInt(field: string, bounds: { min: number; max: number }, wholeWhat: string) {
  return z
    .number()
    .int(`${field} must be a whole number${wholeWhat}`)
    .min(bounds.min, `${field} must be at least ${bounds.min}`)
    .max(bounds.max, `${field} must be at most ${bounds.max}`);
}

/** Budgets below this could not hold the smallest nets; above it (1 TiB) a typo is likelier than such a machine. */
export const MEMORY_BUDGET_MB = { min: 64, max: 1_048_576 } as const;

const memoryBudgetMB = boundedInt('memoryBudgetMB', MEMORY_BUDGET_MB, ' of MB')
  .nullable()
  .describe('Memory a new run may need while training, in MB; null = automatic (half the free RAM, or the GPU buffer limit on WebGPU).');

/** One is what a 2-core laptop wants; 16 training processes would outrun any machine this app targets. */
export const TRAINING_SLOTS = { min: 1, max: 16 } as const;

const trainingSlots = boundedInt('trainingSlots', TRAINING_SLOTS, '').describe(
  'How many runs may train at once, each in its own trainer process; the others wait in the queue. Raise it on machines with cores or GPUs to spare.',
);

export const Settings = z
  .object({
    memoryBudgetMB: memoryBudgetMB.default(null),
    trainingSlots: trainingSlots.default(1),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

/** A change to some settings: the same fields, each optional, and no defaults filled in for the others. */
export const SettingsPatch = z
  .object({
    memoryBudgetMB: memoryBudgetMB.optional(),
    trainingSlots: trainingSlots.optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Where the memory budget in force comes from. */
export const BudgetSource = z.enum(['settings', 'free-memory', 'gpu-buffer-limit']);
export type BudgetSource = z.infer<typeof BudgetSource>;

export const MemoryBudgetInfo = z.object({
  automaticMB: z.number().int().describe('What "automatic" means right now: half the free RAM, or the GPU buffer limit on WebGPU.'),
  automaticSource: BudgetSource.exclude(['settings']),
  effectiveMB: z.number().int().describe('The budget new runs are checked against.'),
  source: BudgetSource,
});
export type MemoryBudgetInfo = z.infer<typeof MemoryBudgetInfo>;

/** settings.get and settings.update answer with the stored settings and what their automatic values resolve to now. */
export const SettingsView = z.object({
  settings: Settings,
  memoryBudget: MemoryBudgetInfo,
});
export type SettingsView = z.infer<typeof SettingsView>;
