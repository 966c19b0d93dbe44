/**
 * The trainer's loop around a TrainingSession: pause/stop between steps, metrics in batches,
 * fixed-noise sample grids, checkpoints (newest + best), resume from the newest checkpoint, a
 * NaN/Inf guard that rewinds to the last good checkpoint and pauses with a diagnostic, and a GPU
 * guard that pauses on a lost device or out-of-memory and rebuilds from the last checkpoint.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetricPoint } from '../common/domain';
import type { StartTraining, TrainerToHost } from '../common/trainer-protocol';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { GpuFault, watchGpu } from '../engine/backends/webgpu-backend';
import { TrainingSession } from '../engine/training-session';
import { readPackedDataset } from '../core/datasets/packed-format';
import { latestCheckpoint, readCheckpoint } from './checkpoint-files';
import { CheckpointKeeper } from './checkpoint-keeper';
import { DiversityMeter } from './diversity-meter';
import { writeSamplePng } from './sample-writer';

/** Metric points go to the host at most this often, so the store writes few, larger transactions. */
const FLUSH_MS = 500;

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

  constructor(private readonly send: (m: TrainerToHost) => void) {}

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

  async run(job: StartTraining): Promise<void> {
    const { runId, config } = job;
    const backend = await resolveBackend(job.backend, { adapter: job.adapter });
    const dataset = await readPackedDataset(job.datasetDir);
    const data = {
      images: dataset.images,
      labels: dataset.labels,
      count: dataset.manifest.count,
      size: dataset.manifest.size,
      channels: dataset.manifest.channels,
      numClasses: dataset.manifest.classes.length,
    };
    let session = new TrainingSession({ config, data });
    const checkpointsDir = join(job.runDir, 'checkpoints');
    const samplesDir = join(job.runDir, 'samples');
    await mkdir(samplesDir, { recursive: true });
    const keeper = await CheckpointKeeper.open(checkpointsDir, config.bestMetric);
    const resumeFrom = await latestCheckpoint(checkpointsDir);
    if (resumeFrom) await session.importState(await readCheckpoint(resumeFrom.dir));
    let step = session.stepCount;
    let lastGood = resumeFrom?.step ?? null;
    this.send({ type: 'started', runId, backend, fromStep: step });

    const started = performance.now();
    const checkpoint = async () => {
      const written = await keeper.write(step, await session.exportState());
      lastGood = step;
      this.send({ type: 'checkpoint', runId, ...written });
    };
    const { manifest } = dataset;
    const diversity = new DiversityMeter(dataset.images, manifest.count, manifest.size, manifest.channels, config.sampleGridSize, config.seed);
    const sample = async () => {
      const file = join(samplesDir, `${step}.png`);
      const grid = await session.sampleGrid();
      await writeSamplePng(file, grid);
      this.send({ type: 'sample', runId, step, file });
      const value = diversity.measure(grid);
      if (value !== null) pending.push({ step, time: (performance.now() - started) / 1000, values: { sample_diversity: value } });
    };
    let pending: MetricPoint[] = [];
    let lastFlush = Date.now();
    const flush = () => {
      if (pending.length > 0) this.send({ type: 'metrics', runId, points: pending });
      pending = [];
      lastFlush = Date.now();
    };
    const waitWhilePaused = async (reason?: string) => {
      flush();
      this.send({ type: 'paused', runId, step, ...(reason ? { reason } : {}) });
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
      let reason = `${fault.message} at step ${step + 1}. The run is kept: it paused, and resuming continues from the last checkpoint (step ${from}). ${GPU_ADVICE[fault.kind]}`;
      for (;;) {
        this.paused = true;
        await waitWhilePaused(reason);
        if (this.stopRequested) {
          this.send({ type: 'finished', runId, status: 'stopped', step: from });
          return false;
        }
        try {
          await resolveBackend(job.backend, { adapter: job.adapter });
          session = new TrainingSession({ config, data });
          if (lastGood !== null) await session.importState(await readCheckpoint(join(checkpointsDir, String(lastGood))));
          step = session.stepCount;
          return true;
        } catch (error) {
          session.dispose();
          reason = `The GPU could not be set up again: ${error instanceof Error ? error.message : String(error)}. Resume to retry, or fork the run with --backend wasm.`;
        }
      }
    };

    try {
      if (step === 0) await watchGpu(sample);
      while (step < config.steps) {
        if (this.paused && !this.stopRequested) await waitWhilePaused();
        if (this.stopRequested) {
          flush();
          if (lastGood !== step) await checkpoint();
          this.send({ type: 'finished', runId, status: 'stopped', step });
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
          if (lastGood === null) {
            flush();
            const error = `${bad[0]} became ${bad[1]} at step ${badStep} before any checkpoint was written; lower the learning rates or change the loss and start a new run`;
            this.send({ type: 'finished', runId, status: 'failed', step: badStep, error });
            return;
          }
          // Weights are poisoned: go back to the last good checkpoint before waiting for the user.
          await session.importState(await readCheckpoint(join(checkpointsDir, String(lastGood))));
          step = session.stepCount;
          this.paused = true;
          await waitWhilePaused(
            `${bad[0]} became ${bad[1]} at step ${badStep}. Rewound to the last good checkpoint (step ${lastGood}) and paused. ` +
              'Try lower learning rates, gradient clipping, a gradient penalty or spectral norm, then fork from that checkpoint.',
          );
          continue;
        }
        step = session.stepCount;
        keeper.observe(values);
        if (step % metricsEvery === 0 || step === config.steps) {
          const now = performance.now();
          const imagesPerSec = (windowSteps * config.batchSize) / ((now - windowStart) / 1000);
          pending.push({ step, time: (now - started) / 1000, values: { ...values, images_per_sec: imagesPerSec } });
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
