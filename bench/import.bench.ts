/** Import throughput and peak memory: 10,000 small PNGs and 200 large JPEGs, each imported in a child process of its own. */
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Benchmark } from './index';

interface ChildReport {
  images: number;
  rejected: number;
  seconds: number;
  scanSeconds: number;
  peakRssMb: number;
  startRssMb: number;
}

const SMALL = { count: 10_000, side: 32, classes: 10 };
const LARGE = { count: 200, width: 3000, height: 2000 };

/** Runs `fn` over 0..n-1 with a few calls at once (sharp encodes on libuv threads). */
async function pool(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await fn(next++);
  }));
}

/** Distinct small PNGs (a gradient per file, so none is a duplicate) in class folders. */
async function writeSmallPngs(dir: string): Promise<void> {
  for (let c = 0; c < SMALL.classes; c++) await mkdir(join(dir, `class-${c}`), { recursive: true });
  const { side } = SMALL;
  await pool(SMALL.count, 8, async (i) => {
    const px = Buffer.alloc(side * side * 3);
    for (let p = 0; p < side * side; p++) px.set([(i * 7 + p) & 255, (i >> 3) & 255, (p * 3 + (i >> 8)) & 255], p * 3);
    await sharp(px, { raw: { width: side, height: side, channels: 3 } }).png().toFile(join(dir, `class-${i % SMALL.classes}`, `img-${i}.png`));
  });
}

/** Large photo-like JPEGs: noise blown up to 3000x2000 (smooth, like a photo), each one different. */
async function writeLargeJpegs(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await pool(LARGE.count, 2, async (i) => {
    const small = await sharp({ create: { width: 150, height: 100, channels: 3, background: { r: i, g: 128, b: 255 - i }, noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .png()
      .toBuffer();
    await sharp(small)
      .resize(LARGE.width, LARGE.height, { kernel: 'cubic' })
      .jpeg({ quality: 90 })
      .toFile(join(dir, `photo-${String(i).padStart(3, '0')}.jpg`));
  });
}

/** In the child: scan, then import, sampling RSS every 20 ms; the OS's max RSS is the final word. */
async function child(): Promise<void> {
  const { scanFolder } = await import('../src-main/core/datasets/scan-folder');
  const { importFolder } = await import('../src-main/core/datasets/import-folder');
  const [folder, dest, size] = [process.env.GWB_BENCH_FOLDER!, process.env.GWB_BENCH_DEST!, Number(process.env.GWB_BENCH_SIZE)];
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const s0 = performance.now();
  await scanFolder(folder, 'classes');
  const s1 = performance.now();
  const { manifest, rejected } = await importFolder({ folder, destDir: dest, id: 'bench', name: 'bench', size, channels: 3 });
  const s2 = performance.now();
  clearInterval(timer);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const report: ChildReport = {
    images: manifest.count,
    rejected: rejected.length,
    seconds: (s2 - s1) / 1000,
    scanSeconds: (s1 - s0) / 1000,
    peakRssMb: Math.max(peak, maxRss) / 2 ** 20,
    startRssMb: startRss / 2 ** 20,
  };
  process.send?.(report);
}

function importInChild(folder: string, dest: string, size: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const proc = fork(import.meta.filename, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, GWB_IMPORT_BENCH_CHILD: '1', GWB_BENCH_FOLDER: folder, GWB_BENCH_DEST: dest, GWB_BENCH_SIZE: String(size) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: ChildReport | null = null;
    proc.on('message', (m) => (report = m as ChildReport));
    proc.on('exit', (code) => (report ? resolve(report) : reject(new Error(`import child exited with ${code}`))));
  });
}

function print(label: string, r: ChildReport): void {
  console.log(
    `${label}: ${r.images} images in ${r.seconds.toFixed(1)} s = ${(r.images / r.seconds).toFixed(0)} images/s; ` +
      `scan ${(r.images / r.scanSeconds).toFixed(0)} files/s; peak RSS ${r.peakRssMb.toFixed(0)} MB (process start ${r.startRssMb.toFixed(0)} MB); rejected ${r.rejected}`,
  );
}

if (process.env.GWB_IMPORT_BENCH_CHILD) await child();

export default {
  name: 'dataset import',
  async run() {
    const root = await mkdtemp(join(tmpdir(), 'gwb-bench-import-'));
    try {
      const small = join(root, 'small');
      let t0 = performance.now();
      await writeSmallPngs(small);
      console.log(`(wrote ${SMALL.count} PNGs of ${SMALL.side}x${SMALL.side} in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      print(`${SMALL.count} small PNGs -> 32x32 RGB`, await importInChild(small, join(root, 'ds-small'), 32));

      const large = join(root, 'large');
      t0 = performance.now();
      await writeLargeJpegs(large);
      console.log(`(wrote ${LARGE.count} JPEGs of ${LARGE.width}x${LARGE.height} in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      print(`${LARGE.count} large JPEGs -> 128x128 RGB`, await importInChild(large, join(root, 'ds-large'), 128));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
} satisfies Benchmark;
