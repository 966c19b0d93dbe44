/**
 * The training loop around a TrainingSession: pause/stop between steps, metrics in batches,
 * fixed-noise sample grids and their diversity, checkpoints (newest + best), resume from the newest
 * checkpoint, a NaN/Inf guard that rewinds to the last good checkpoint and pauses with a diagnostic,
 * and a GPU guard that pauses on a lost device or out-of-memory and rebuilds from the last checkpoint.
 * It takes arrays and a storage port (run-storage.ts) and talks to the host in the trainer protocol;
 * it writes no file itself.
 */
import type { MetricPoint } from '../../common/domain';
import type { CatalogueValues } from '../../common/metric-keys';
import { metricValue, reason, type RunReason, type RunReasonCode } from '../../common/run-reasons';
import type { ComputeChoice, TrainerToHost } from '../../common/trainer-protocol';
import type { TrainingConfig } from '../../common/training-config';
import { computeChange } from '../backends/compute-signature';
import { resolveBackend } from '../backends/resolve-backend';
import { GpuFault, watchGpu } from '../backends/webgpu-backend';
import type { TrainingData } from '../batch-sampler';
import { DiversityMeter } from '../evaluators/diversity-meter';
import { createRunSession, type TranslationExtras } from '../run-session';
import type { RunStorage, WrittenSample } from './run-storage';

/** What one run trains: its id and config, the compute it asked for, and the threads wasm gets. */
export interface TrainingJob extends ComputeChoice {
  runId: string;
  config: TrainingConfig;
  threads: number;
}

/** Metric points go to the host at most this often, so the store writes few, larger transactions. */
const FLUSH_MS = 500;

/** The reason code the run pauses with for each GPU fault. */
const GPU_REASON: Record<GpuFault['kind'], RunReasonCode> = { 'out-of-memory': 'OUT_OF_MEMORY', 'device-lost': 'DEVICE_LOST', 'gpu-error': 'GPU_ERROR' };

/** What the person can do about each GPU fault, after the run has paused on it. */
const GPU_ADVICE: Record<GpuFault['kind'], string> = {
  'out-of-memory': 'Fork from that checkpoint with a smaller batch size or narrower networks, or close other programs using the GPU, then resume.',
  'device-lost': 'The GPU driver was reset or the GPU went away; resume when it is back (the device is rebuilt), or fork the run with --backend wasm.',
  'gpu-error': 'Resume to retry; if it happens again, train this run on another backend (--backend wasm).',
};

export class TrainingLoop {
  private paused = false;
  private stopRequested = false;
  private wake: (() => void) | null = null;

  private readonly syncs = new Map<number, () => void>();
  private nextSync = 1;

  constructor(private readonly send: (m: TrainerToHost) => void) {}

  /** The host has stored everything sent before sync `id`. */
  synced(id: number) {
    this.syncs.get(id)?.();
    this.syncs.delete(id);
  }

  /** Resolves once the host has stored every message sent so far. */
  private sync(runId: string): Promise<void> {
    const id = this.nextSync++;
    return new Promise<void>((resolve) => {
      this.syncs.set(id, resolve);
      this.send({ type: 'sync', runId, id });
    });
  }

  pause() {
    this.paused = true;
  }

  resume() {
    this.paused = false;
    this.wake?.();
  }

  stop() {
    this.stopRequested = true;
    this.wake?.();
  }

  /** `extras`: a translation run's domain B and validation images (null for a generate run). */
  async run(job: TrainingJob, data: TrainingData, storage: RunStorage, extras: TranslationExtras | null = null): Promise<void> {
    const { runId, config } = job;
    const compute = { adapter: job.adapter, threads: job.threads };
    const backend = await resolveBackend(job.backend, compute);
    let session = createRunSession(config, data, extras);
    const opened = await storage.open();
    // A damaged checkpoint is named in the run's log and skipped: the newest one that verifies is loaded.
    for (const message of opened.warnings) this.send({ type: 'log', level: 'warn', message });
    const resumeFrom = opened.resume;
    if (resumeFrom) {
      await session.importState(resumeFrom.state);
      const change = computeChange(resumeFrom.state, resumeFrom.step);
      if (change !== null) this.send({ type: 'log', level: 'warn', message: change });
    }
    let step = session.stepCount;
    let lastGood = resumeFrom?.step ?? null;
    this.send({ type: 'started', runId, backend, fromStep: step });

    const started = performance.now();
    /** Writes a checkpoint, pausing while the disk lacks room for it; false when the run was stopped meanwhile. */
    const checkpoint = async (): Promise<boolean> => {
      // A checkpoint on disk is a point to resume from: every metric up to it must be stored first, or a
      // kill right after it is written would leave a gap in the run's history.
      flush();
      await this.sync(runId);
      const state = await session.exportState();
      for (;;) {
        const written = await storage.writeCheckpoint(step, state);
        if (written.ok) {
          lastGood = step;
          this.send({ type: 'checkpoint', runId, ...written.value });
          if (written.value.pruned.length > 0) {
            // Rows before folders: the host drops the pruned rows, then their folders go.
            await this.sync(runId);
            await storage.removePruned(written.value.pruned);
          }
          return true;
        }
        this.paused = true;
        await waitWhilePaused(written.reason);
        if (this.stopRequested) return false;
      }
    };
    // A translation's triplets are not a sample of G's variety: its validation measures take that place.
    const diversity = config.task.kind === 'generate' ? new DiversityMeter(data.images, data.count, data.size, data.channels, config.sampleGridSize, config.seed) : null;
    const sample = async () => {
      const { grid, raw, warming } = await session.sampleGrids();
      let files: WrittenSample;
      for (;;) {
        // While the EMA warms up it lags G: the raw G's grid goes beside it, so a healthy run never looks stuck.
        const written = await storage.writeSample(step, grid, warming ? raw : null);
        if (written.ok) {
          files = written.value;
          break;
        }
        this.paused = true;
        await waitWhilePaused(written.reason);
        if (this.stopRequested) return;
      }
      this.send({ type: 'sample', runId, step, file: files.file, rawFile: files.rawFile });
      // Collapse is G's: the EMA averages over steps, so its grid can look uniform (a warming EMA, grey) while G is varied.
      const value = diversity?.measure(raw) ?? null;
      if (value !== null) pending.push({ step, time: (performance.now() - started) / 1000, values: { sample_diversity: value } satisfies CatalogueValues });
      if (session.validate) pending.push({ step, time: (performance.now() - started) / 1000, values: await session.validate() });
    };
    let pending: MetricPoint[] = [];
    let lastFlush = Date.now();
    const flush = () => {
      if (pending.length > 0) this.send({ type: 'metrics', runId, points: pending });
      pending = [];
      lastFlush = Date.now();
    };
    const waitWhilePaused = async (why?: RunReason) => {
      // A stop asked for while we worked ends the wait before it starts.
      if (this.stopRequested) return;
      flush();
      this.send({ type: 'paused', runId, step, ...(why ? { reason: why } : {}) });
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      if (!this.stopRequested) this.send({ type: 'resumed', runId, step });
    };
    const { metricsEvery, sampleEvery, checkpointEvery } = config.intervals;
    let windowStart = performance.now();
    let windowSteps = 0;

    /**
     * The GPU state is gone or untrustworthy: pause, and on resume build a new session (on a new
     * device when the old one was lost) from the last checkpoint. Returns false when stopped instead.
     */
    const recoverFromGpu = async (fault: GpuFault): Promise<boolean> => {
      flush();
      session.dispose();
      const from = lastGood ?? 0;
      let why = reason(
        GPU_REASON[fault.kind],
        `${fault.message} at step ${step + 1}. The run is kept: it paused, and resuming continues from the last checkpoint (step ${from}). ${GPU_ADVICE[fault.kind]}`,
        { step: step + 1, resumeStep: lastGood },
      );
      for (;;) {
        this.paused = true;
        await waitWhilePaused(why);
        if (this.stopRequested) {
          this.send({ type: 'finished', runId, status: 'stopped', step: from });
          return false;
        }
        try {
          await resolveBackend(job.backend, compute);
          session = createRunSession(config, data, extras);
          if (lastGood !== null) await session.importState(await storage.readCheckpoint(lastGood));
          step = session.stepCount;
          return true;
        } catch (error) {
          session.dispose();
          why = reason(
            'GPU_UNAVAILABLE',
            `The GPU could not be set up again: ${error instanceof Error ? error.message : String(error)}. Resume to retry, or fork the run with --backend wasm.`,
            { resumeStep: lastGood },
          );
        }
      }
    };

    try {
      if (step === 0) await watchGpu(sample);
      while (step < config.steps) {
        if (this.paused && !this.stopRequested) await waitWhilePaused();
        if (this.stopRequested) {
          flush();
          const saved = lastGood === step || (await checkpoint());
          const why = saved
            ? undefined
            : reason('STOPPED_WITHOUT_CHECKPOINT', `stopped without a final checkpoint; resumes from step ${lastGood ?? 0}`, { resumeStep: lastGood });
          this.send({ type: 'finished', runId, status: 'stopped', step, ...(why ? { reason: why } : {}) });
          return;
        }
        let values: Record<string, number>;
        try {
          values = await watchGpu(() => session.step());
        } catch (error) {
          if (!(error instanceof GpuFault)) throw error;
          if (!(await recoverFromGpu(error))) return;
          continue;
        }
        windowSteps++;
        const bad = Object.entries(values).find(([, v]) => !Number.isFinite(v));
        if (bad) {
          const badStep = session.stepCount;
          pending.push({ step: badStep, time: (performance.now() - started) / 1000, values });
          const [metric, value] = bad;
          const fields = { metric, value: metricValue(value), step: badStep };
          if (lastGood === null) {
            flush();
            const why = reason(
              'NON_FINITE_NO_CHECKPOINT',
              `${metric} became ${value} at step ${badStep} before any checkpoint was written; lower the learning rates or change the loss and start a new run`,
              { ...fields, resumeStep: null },
            );
            this.send({ type: 'finished', runId, status: 'failed', step: badStep, reason: why });
            return;
          }
          // Weights are poisoned: go back to the last good checkpoint before waiting for the user.
          await session.importState(await storage.readCheckpoint(lastGood));
          step = session.stepCount;
          this.paused = true;
          await waitWhilePaused(
            reason(
              'NON_FINITE',
              `${metric} became ${value} at step ${badStep}. Rewound to the last good checkpoint (step ${lastGood}) and paused. ` +
                'Try lower learning rates, gradient clipping, a gradient penalty or spectral norm, then fork from that checkpoint.',
              { ...fields, resumeStep: lastGood },
            ),
          );
          continue;
        }
        step = session.stepCount;
        if (step % metricsEvery === 0 || step === config.steps) {
          const now = performance.now();
          const imagesPerSec = (windowSteps * config.batchSize) / ((now - windowStart) / 1000);
          pending.push({ step, time: (now - started) / 1000, values: { ...values, images_per_sec: imagesPerSec } satisfies CatalogueValues });
          windowStart = now;
          windowSteps = 0;
        }
        if (Date.now() - lastFlush >= FLUSH_MS) flush();
        try {
          if (step % sampleEvery === 0 || step === config.steps) await watchGpu(sample);
          if (step % checkpointEvery === 0 || step === config.steps) await watchGpu(checkpoint);
        } catch (error) {
          if (!(error instanceof GpuFault)) throw error;
          if (!(await recoverFromGpu(error))) return;
          continue;
        }
        // Let pause/stop messages in between steps.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      flush();
      this.send({ type: 'finished', runId, status: 'completed', step });
    } finally {
      session.dispose();
    }
  }
}
