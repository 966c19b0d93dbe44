/** Settings of the workbench (memory budget now; GPU adapter, trainer pool later): one schema with defaults, stored a row per key. */
import { z } from 'zod';

/** Budgets below this could not hold the smallest nets; above it (1 TiB) a typo is likelier than such a machine. */
export const MEMORY_BUDGET_MB = { min: 64, max: 1_048_576 } as const;

const memoryBudgetMB = z
  .number()
  .int('memoryBudgetMB must be a whole number of MB')
  .min(MEMORY_BUDGET_MB.min, `memoryBudgetMB must be at least ${MEMORY_BUDGET_MB.min}`)
  .max(MEMORY_BUDGET_MB.max, `memoryBudgetMB must be at most ${MEMORY_BUDGET_MB.max}`)
  .nullable()
  .describe('Memory a new run may need while training, in MB; null = automatic (half the free RAM, or the GPU buffer limit on WebGPU).');

export const Settings = z
  .object({
    memoryBudgetMB: memoryBudgetMB.default(null),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

/** A change to some settings: the same fields, each optional, and no defaults filled in for the others. */
export const SettingsPatch = z
  .object({
    memoryBudgetMB: memoryBudgetMB.optional(),
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
