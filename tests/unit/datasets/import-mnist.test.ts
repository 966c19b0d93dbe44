/** Importing real MNIST digits: counts, labels, exact pixels, stats and the preview grid. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src-main/core/datasets/import-folder';
import { NO_CLASS_LABEL, PREVIEW_FILE, readPackedDataset } from '../../../src-main/core/datasets/packed-format';
import type { ImportProgress } from '../../../src-main/core/datasets/progress';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

describe('importFolder on an MNIST folder', () => {
  let source = '';
  let data = '';

  beforeAll(async () => {
    source = join(await newDir(), 'mnist');
    data = await newDir();
    expect(await writeMnistFolder(source, 5)).toEqual({ count: 50 });
  });

  it('packs 50 grayscale digits with their folder as class and their exact pixels', async () => {
    const events: ImportProgress[] = [];
    const destDir = join(data, 'datasets', 'mnist1');
    const { manifest, rejected } = await importFolder({
      folder: source,
      destDir,
      id: 'mnist1',
      name: 'MNIST sample',
      size: 28,
      channels: 1,
      onProgress: (p) => events.push(p),
    });

    expect(rejected).toEqual([]);
    expect(manifest.count).toBe(50);
    expect(manifest.classes).toEqual(DIGITS);
    expect(manifest.classHistogram).toEqual(new Array(10).fill(5));
    expect(manifest.unlabelled).toBe(0);
    expect(manifest.sourcePath).toBe(source);
    expect(manifest.files.every((f) => /^[0-9a-f]{40}$/.test(f.sha1))).toBe(true);

    const packed = await readPackedDataset(destDir);
    expect(packed.images.length).toBe(50 * 28 * 28 * 1);
    expect((await stat(join(destDir, 'images.u8'))).size).toBe(50 * 28 * 28);
    expect(packed.labels.length).toBe(50);
    for (const [i, entry] of manifest.files.entries()) {
      const digit = entry.file.split('/')[0]!;
      expect(entry.classIndex).toBe(DIGITS.indexOf(digit));
      expect(packed.labels[i]).toBe(DIGITS.indexOf(digit));
      const src = await sharp(join(source, entry.file)).raw().toColourspace('b-w').toBuffer();
      expect(Buffer.from(packed.images.subarray(i * 784, (i + 1) * 784)).equals(src)).toBe(true);
    }
    expect(packed.labels.includes(NO_CLASS_LABEL)).toBe(false);

    // MNIST's well-known statistics are about 33 and 78 on the 0..255 scale.
    expect(manifest.stats.mean[0]).toBeGreaterThan(20);
    expect(manifest.stats.mean[0]).toBeLessThan(50);
    expect(manifest.stats.std[0]).toBeGreaterThan(60);
    expect(manifest.stats.std[0]).toBeLessThan(100);

    const preview = await sharp(join(destDir, PREVIEW_FILE)).metadata();
    expect([preview.width, preview.height]).toEqual([8 * 28, 7 * 28]);
    expect((await readdir(data + '/datasets')).sort()).toEqual(['mnist1']);

    expect(events[0]?.phase).toBe('scanning');
    expect(events.at(-1)).toEqual({ phase: 'done', done: 50, total: 50, rejected: 0, etaSeconds: 0, perSecond: null });
    const phases = events.map((e) => e.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases).toEqual(['scanning', 'decoding', 'writing', 'done']);
  });

  it('packs three equal channels per pixel when asked for RGB', async () => {
    const destDir = join(data, 'datasets', 'mnist3');
    const { manifest } = await importFolder({ folder: source, destDir, id: 'mnist3', name: 'rgb', size: 28, channels: 3 });
    const { images } = await readPackedDataset(destDir);
    expect(images.length).toBe(50 * 28 * 28 * 3);
    for (let p = 0; p < images.length; p += 3) {
      if (images[p] !== images[p + 1] || images[p] !== images[p + 2]) throw new Error(`pixel ${p / 3} is not grey`);
    }
    expect(manifest.stats.mean).toHaveLength(3);
    expect(manifest.stats.mean[0]).toBeCloseTo(manifest.stats.mean[2]!, 6);
  });

  it('resizes to the requested size', async () => {
    const destDir = join(data, 'datasets', 'mnist16');
    const { manifest } = await importFolder({ folder: source, destDir, id: 'mnist16', name: 'small', size: 16, channels: 1 });
    const { images } = await readPackedDataset(destDir);
    expect(manifest.size).toBe(16);
    expect(images.length).toBe(50 * 16 * 16);
  });
});
