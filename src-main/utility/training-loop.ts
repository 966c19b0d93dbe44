/**
 * The trainer's loop around a TrainingSession: pause/stop between steps, metrics in batches,
 * fixed-noise sample grids, atomic checkpoints, resume from the newest checkpoint, NaN guard.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetricPoint } from '../common/domain';
import type { StartTraining, TrainerToHost } from '../common/trainer-protocol';
import { resolveBackend } from '../engine/backend';
import { TrainingSession } from '../engine/training-session';
import { readPackedDataset } from '../core/datasets/packed-format';
import { latestCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint-files';
import { writeSamplePng } from './sample-writer';

/** Metric points go to the host at most this often, so the store writes few, larger transactions. */
const FLUSH_MS = 500;

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
    const backend = await resolveBackend(job.backend);
    const dataset = await readPackedDataset(job.datasetDir);
    const session = new TrainingSession({
      config,
      data: {
        images: dataset.images,
        count: dataset.manifest.count,
        size: dataset.manifest.size,
        channels: dataset.manifest.channels,
      },
    });
    const checkpointsDir = join(job.runDir, 'checkpoints');
    const samplesDir = join(job.runDir, 'samples');
    await mkdir(samplesDir, { recursive: true });
    const resumeFrom = await latestCheckpoint(checkpointsDir);
    if (resumeFrom) await session.importState(await readCheckpoint(resumeFrom.dir));
    let step = session.stepCount;
    this.send({ type: 'started', runId, backend, fromStep: step });

    const checkpoint = async () => {
      const dir = await writeCheckpoint(checkpointsDir, step, await session.exportState());
      this.send({ type: 'checkpoint', runId, step, dir });
      return step;
    };
    const sample = async () => {
      const file = join(samplesDir, `${step}.png`);
      await writeSamplePng(file, session.sampleGrid());
      this.send({ type: 'sample', runId, step, file });
    };
    let lastGood = resumeFrom?.step ?? null;
    let pending: MetricPoint[] = [];
    let lastFlush = Date.now();
    const flush = () => {
      if (pending.length > 0) this.send({ type: 'metrics', runId, points: pending });
      pending = [];
      lastFlush = Date.now();
    };
    const { metricsEvery, sampleEvery, checkpointEvery } = config.intervals;
    const started = performance.now();
    let windowStart = performance.now();
    let windowSteps = 0;

    try {
      if (step === 0) await sample();
      while (step < config.steps) {
        if (this.paused && !this.stopRequested) {
          flush();
          this.send({ type: 'paused', runId, step });
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          if (!this.stopRequested) this.send({ type: 'resumed', runId, step });
        }
        if (this.stopRequested) {
          flush();
          if (lastGood !== step) await checkpoint();
          this.send({ type: 'finished', runId, status: 'stopped', step });
          return;
        }
        const values = session.step();
        step = session.stepCount;
        windowSteps++;
        const bad = Object.entries(values).find(([, v]) => !Number.isFinite(v));
        if (bad) {
          pending.push({ step, time: (performance.now() - started) / 1000, values });
          flush();
          const keep = lastGood === null ? 'no checkpoint was written yet' : `the last good checkpoint is step ${lastGood}`;
          this.send({ type: 'finished', runId, status: 'failed', step, error: `${bad[0]} became ${bad[1]} at step ${step}; ${keep}` });
          return;
        }
        if (step % metricsEvery === 0 || step === config.steps) {
          const now = performance.now();
          const imagesPerSec = (windowSteps * config.batchSize) / ((now - windowStart) / 1000);
          pending.push({ step, time: (now - started) / 1000, values: { ...values, images_per_sec: imagesPerSec } });
          windowStart = now;
          windowSteps = 0;
        }
        if (Date.now() - lastFlush >= FLUSH_MS) flush();
        if (step % sampleEvery === 0 || step === config.steps) await sample();
        if (step % checkpointEvery === 0 || step === config.steps) lastGood = await checkpoint();
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
