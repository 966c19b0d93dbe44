/** What trustworthy checkpoints cost: writing (every byte, fsync, rename), the cheap and the checksum check, a verified read, and durable commits. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCheckpointSync } from '../src-main/core/checkpoints/checkpoint-format';
import { durableTransaction } from '../src-main/core/store/database';
import { Store } from '../src-main/core/store/store';
import type { CheckpointState } from '../src-main/engine/checkpoint-state';
import { readCheckpoint, writeCheckpoint } from '../src-main/utility/checkpoint-files';
import type { Benchmark } from './index';

/** Checkpoint sizes in MB: a small DCGAN's state, and one of a 64 x 64 ResNet with Adam and EMA. */
const SIZES_MB = [8, 64];
const REPEATS = 3;
const COMMITS = 200;

function stateOf(mb: number): CheckpointState {
  const data = new Float32Array((mb * 1024 * 1024) / 4);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i);
  return { meta: { step: 1 }, tensors: [{ name: 'weights', shape: [data.length], dtype: 'float32', data }] };
}

/** Median milliseconds of `fn` over REPEATS runs. */
async function median(fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(REPEATS / 2)]!;
}

export default {
  name: 'checkpoint integrity',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'gwb-bench-ckpt-'));
    try {
      for (const mb of SIZES_MB) {
        const state = stateOf(mb);
        let step = 0;
        const write = await median(() => writeCheckpoint(dir, ++step, state));
        const folder = join(dir, String(step));
        const structure = await median(() => verifyCheckpointSync(folder, 'structure', step));
        const checksum = await median(() => verifyCheckpointSync(folder, 'checksum', step));
        const read = await median(() => readCheckpoint(folder));
        console.log(
          `${mb} MB: write ${write.toFixed(0)} ms (${((mb / write) * 1000).toFixed(0)} MB/s with fsync), ` +
            `structure check ${structure.toFixed(2)} ms, checksum check ${checksum.toFixed(0)} ms (${((mb / checksum) * 1000).toFixed(0)} MB/s), ` +
            `verified read ${read.toFixed(0)} ms; checksum / write = ${(checksum / write).toFixed(2)}`,
        );
      }
      const store = Store.open(join(dir, 'workbench.sqlite'));
      store.db.exec('CREATE TABLE bench (x)');
      const insert = store.db.prepare('INSERT INTO bench VALUES (?)');
      const normal = await median(() => {
        for (let i = 0; i < COMMITS; i++) insert.run(i);
      });
      const full = await median(() => {
        for (let i = 0; i < COMMITS; i++) durableTransaction(store.db, () => insert.run(i));
      });
      store.close();
      console.log(
        `one-row commit: synchronous=NORMAL ${((normal / COMMITS) * 1000).toFixed(0)} µs, FULL ${((full / COMMITS) * 1000).toFixed(0)} µs (${(full / normal).toFixed(0)}x)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
} satisfies Benchmark;
