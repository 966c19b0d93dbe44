/** The memory budget new runs must fit: automatic (half the free RAM, or the GPU buffer limit on WebGPU) or set in settings, read at request time. */
import { freemem } from 'node:os';
import { WorkbenchError } from '../../common/errors';
import { BYTES_PER_MB, describeEstimate, estimateModelSize, formatMemory, type DataShape } from '../../common/model-size';
import { planNet } from '../../common/net-plan';
import type { MemoryBudgetInfo, Settings } from '../../common/settings';
import type { TrainingConfig } from '../../common/training-config';

export interface MemoryBudgetOptions {
  settings: () => Settings;
  /** Free RAM in bytes; os.freemem by default (tests pass their own). */
  freeMemory?: () => number;
  /**
   * The hook for WebGPU: when the trainer's backend is webgpu, the adapter's limits.maxBufferSize
   * in bytes, which then replaces half the free RAM as the automatic budget; null otherwise.
   * Nothing passes it yet: the WebGPU backend work wires it from its backend report.
   */
  gpuBufferLimit?: () => number | null;
}

/** The automatic budget: the GPU adapter's buffer limit when one is given, else half the free RAM. */
export function automaticBudget(freeMemoryBytes: number, gpuBufferLimitBytes?: number | null): { bytes: number; source: MemoryBudgetInfo['automaticSource'] } {
  if (gpuBufferLimitBytes !== undefined && gpuBufferLimitBytes !== null && gpuBufferLimitBytes > 0) {
    return { bytes: gpuBufferLimitBytes, source: 'gpu-buffer-limit' };
  }
  return { bytes: Math.floor(freeMemoryBytes / 2), source: 'free-memory' };
}

export class MemoryBudget {
  private readonly freeMemory: () => number;
  private readonly gpuBufferLimit: () => number | null;

  constructor(private readonly opts: MemoryBudgetOptions) {
    this.freeMemory = opts.freeMemory ?? freemem;
    this.gpuBufferLimit = opts.gpuBufferLimit ?? (() => null);
  }

  /** The budget in force now and where it comes from. */
  info(): MemoryBudgetInfo {
    const auto = automaticBudget(this.freeMemory(), this.gpuBufferLimit());
    const automaticMB = Math.floor(auto.bytes / BYTES_PER_MB);
    const set = this.opts.settings().memoryBudgetMB;
    return set === null
      ? { automaticMB, automaticSource: auto.source, effectiveMB: automaticMB, source: auto.source }
      : { automaticMB, automaticSource: auto.source, effectiveMB: set, source: 'settings' };
  }

  /**
   * Refuses (INVALID_REQUEST) a config whose estimate exceeds the budget, naming both, at the
   * field most worth changing: batchSize when a step's activations are most of it, else model.
   * `prefix` is how the request names the config ('config.' in runs.create and runs.fork).
   */
  check(config: TrainingConfig, data: DataShape, prefix = 'config.'): void {
    try {
      planNet(data.size, config.model.depth);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new WorkbenchError('INVALID_REQUEST', message, { issues: [{ path: `${prefix}model.depth`, message }] });
    }
    const estimate = estimateModelSize(config, data);
    const budget = this.info();
    const budgetBytes = budget.effectiveMB * BYTES_PER_MB;
    if (estimate.bytes.total <= budgetBytes) return;
    const activationBound = estimate.bytes.step > estimate.bytes.total / 2;
    const field = activationBound ? 'batchSize' : 'model';
    const where = budget.source === 'settings' ? 'set in Settings' : budget.source === 'gpu-buffer-limit' ? "the GPU's buffer limit" : 'half the free RAM';
    const remedy = activationBound
      ? 'lower batchSize, make the networks narrower, or raise the budget in Settings'
      : 'make the networks narrower (gWidth, dWidth) or shallower, or raise the budget in Settings';
    const message = `this config needs ${describeEstimate(estimate)}, over the memory budget of ${formatMemory(budgetBytes)} (${where}): ${remedy}`;
    throw new WorkbenchError('INVALID_REQUEST', message, {
      issues: [{ path: `${prefix}${field}`, message }],
      estimate: { parameters: estimate.parameters, bytes: estimate.bytes },
      budget: { bytes: budgetBytes, source: budget.source },
    });
  }
}
