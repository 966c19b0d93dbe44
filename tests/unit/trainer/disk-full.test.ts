/**
 * A full disk pauses the run with its cause and loses nothing: SQLite's page limit (SQLITE_FULL), a disk
 * without room for the next checkpoint (refused before writing, with bytes needed and free), and a real
 * tmpfs filled to the brim. Resuming after space comes back finishes the run with every metric stored.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-main/common/contract';
import type { Dataset } from '../../../src-main/common/domain';
import { freeBytes } from '../../../src-main/core/disk-space';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig } from '../../fixtures/workbench';

type Wb = ReturnType<typeof makeWorkbench>;

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function statusesOf(wb: Wb): EventPayload<'run.status'>[] {
  const seen: EventPayload<'run.status'>[] = [];
  wb.hub.subscribe((e, p) => e === 'run.status' && seen.push(p as EventPayload<'run.status'>));
  return seen;
}

async function importDigits(wb: Wb): Promise<Dataset> {
  const folder = tempDir('full-mnist');
  await writeMnistFolder(folder, 2);
  return (await wb.workbench.datasets.import({ path: folder, size: 28, channels: 1, layout: 'classes', fit: 'crop', background: '#000000' })).dataset;
}

function metricSteps(wb: Wb, runId: string): number[] {
  return (wb.workbench.store.db.prepare("SELECT step FROM metrics WHERE run_id = ? AND key = 'd_loss' ORDER BY step").all(runId) as { step: number }[]).map(
    (r) => r.step,
  );
}

describe('SQLite page limit (SQLITE_FULL)', { timeout: 300_000 }, () => {
  const wb = makeWorkbench();
  afterAll(() => wb.workbench.close());

  it('pauses the run as DISK_FULL, keeps what it could not write, and finishes after the limit is raised', async () => {
    const dataset = await importDigits(wb);
    const statuses = statusesOf(wb);
    const { runs, store, host } = wb.workbench;
    const run = runs.create({ datasetId: dataset.id, config: tinyConfig(60, { intervals: { metricsEvery: 1, sampleEvery: 1000, checkpointEvery: 20 } }), start: true });
    await until('some steps', () => (store.runs.get(run.id)?.step ?? 0) >= 5);
    const pages = (store.db.pragma('page_count', { simple: true }) as number) + 0;
    store.db.pragma(`max_page_count = ${pages}`);
    const paused = await until('the pause', () => statuses.find((s) => s.runId === run.id && s.status === 'paused'));
    expect(paused.reason).toMatchObject({ code: 'DISK_FULL' });
    expect(() => runs.resume(run.id)).toThrow(/disk is full/);
    store.db.pragma('max_page_count = 1073741823');
    runs.resume(run.id);
    const done = await host.whenSettled(run.id);
    expect(done.status).toBe('completed');
    expect(metricSteps(wb, run.id)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});

/** A real small filesystem: needs root to mount (CI runs as root); elsewhere it says why it skips. */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch (e) {
    console.warn(`tmpfs disk-full tests skipped: cannot mount a tmpfs here (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    return false;
  }
}

describe('a small disk that fills up', { timeout: 300_000 }, () => {
  const dir = tempDir('tmpfs');
  const mounted = process.platform === 'linux' && mountTmpfs(dir, '40m');
  let wb: Wb;
  let dataset: Dataset;

  beforeAll(async () => {
    if (!mounted) return;
    wb = makeWorkbench(join(dir, 'data'));
    dataset = await importDigits(wb);
  });
  afterAll(() => {
    if (!mounted) return;
    wb.workbench.close();
    execFileSync('umount', [dir]);
  });

  /** Fills the disk until `leave` bytes are free. */
  async function fill(leave: number): Promise<string> {
    const filler = join(dir, 'filler.bin');
    rmSync(filler, { force: true });
    const free = await freeBytes(dir);
    writeFileSync(filler, Buffer.alloc(Math.max(0, free - leave)));
    return filler;
  }

  it.runIf(mounted)('refuses a checkpoint that will not fit, with the bytes needed and free, and goes on once there is room', async () => {
    const statuses = statusesOf(wb);
    const { runs, store, host } = wb.workbench;
    const run = runs.create({ datasetId: dataset.id, config: tinyConfig(30, { intervals: { metricsEvery: 1, sampleEvery: 1000, checkpointEvery: 10 } }), start: true });
    await until('the first checkpoint', () => store.checkpoints.latest(run.id));
    const filler = await fill(4 * 1024 * 1024);
    const paused = await until('the pause', () => statuses.find((s) => s.runId === run.id && s.status === 'paused'));
    expect(paused.reason).toMatchObject({ code: 'NO_SPACE' });
    expect(paused.reason!.bytesFree).toBeLessThan(paused.reason!.bytesNeeded!);
    // The checkpoint it could not write was not half-written either.
    expect(store.checkpoints.get(run.id, paused.reason!.step!)).toBeUndefined();
    rmSync(filler);
    runs.resume(run.id);
    const done = await host.whenSettled(run.id);
    expect(done).toMatchObject({ status: 'completed', lastCheckpointStep: 30 });
    expect(metricSteps(wb, run.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it.runIf(mounted)('refuses an import that will not fit, naming the bytes', async () => {
    const filler = await fill(1024 * 1024);
    try {
      const folder = tempDir('full-import');
      await writeMnistFolder(folder, 2);
      await expect(
        wb.workbench.datasets.import({ path: folder, size: 28, channels: 1, layout: 'classes', fit: 'crop', background: '#000000' }),
      ).rejects.toMatchObject({ code: 'NO_SPACE', details: { bytesNeeded: expect.any(Number), bytesFree: expect.any(Number) } });
    } finally {
      rmSync(filler);
    }
  });

  /** Writes until the disk refuses even a single byte. */
  function fillToTheBrim(): string {
    const filler = join(dir, 'filler.bin');
    rmSync(filler, { force: true });
    const fd = openSync(filler, 'w');
    try {
      for (let chunk = 1024 * 1024; chunk >= 1; chunk = Math.floor(chunk / 4)) {
        try {
          for (;;) writeSync(fd, Buffer.alloc(chunk));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
        }
      }
    } finally {
      closeSync(fd);
    }
    return filler;
  }

  it.runIf(mounted)('a disk filled to the last byte pauses the run, and nothing crashes', async () => {
    const statuses = statusesOf(wb);
    const { runs, store, host } = wb.workbench;
    // Long enough that the run cannot finish while the disk is being filled on a loaded machine (its
    // last message failing would end the trainer with nothing left to resume).
    const steps = 400;
    const run = runs.create({ datasetId: dataset.id, config: tinyConfig(steps, { intervals: { metricsEvery: 1, sampleEvery: 5, checkpointEvery: 10 } }), start: true });
    await until('some steps', () => (store.runs.get(run.id)?.step ?? 0) >= 3);
    const filler = fillToTheBrim();
    const paused = await until('the pause', () => statuses.find((s) => s.runId === run.id && s.status === 'paused'));
    expect(['DISK_FULL', 'NO_SPACE']).toContain(paused.reason?.code);
    rmSync(filler);
    // Resume until the run goes on: a pause may have been recorded for more than one write that failed.
    let done = false;
    void host.whenSettled(run.id).then(() => (done = true));
    await until('the run to finish', () => {
      const r = store.runs.get(run.id);
      if (r?.status === 'paused' || host.isHeldByStore(run.id)) {
        try {
          runs.resume(run.id);
        } catch {
          /* not yet resumable */
        }
      }
      return done;
    });
    expect(store.runs.get(run.id)?.status).toBe('completed');
    expect(metricSteps(wb, run.id)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  });
});
