/** Importing a folder of damaged, odd, hidden and looping files: exactly what is packed, rejected or skipped, and why. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src-main/core/datasets/import-folder';
import { NO_CLASS_LABEL, readManifest, readPackedDataset } from '../../../src-main/core/datasets/packed-format';
import { ICON_SIDE, ICON_TOP, writeMessyFolder, type MessyFolderExpectation } from '../../fixtures/messy-folder';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();
const SIZE = 16;

function pixelAt(images: Uint8Array, index: number, x: number, y: number, channels: number): number[] {
  const start = ((index * SIZE + y) * SIZE + x) * channels;
  return [...images.subarray(start, start + channels)];
}

describe('importFolder on a messy folder', () => {
  let source = '';
  let data = '';
  let expected: MessyFolderExpectation;

  beforeAll(async () => {
    source = join(await newDir(), 'messy');
    data = await newDir();
    expected = await writeMessyFolder(source);
  });

  it('packs exactly the real images and gives each other file its exact reason', async () => {
    const destDir = join(data, 'rgb');
    const { manifest, rejected } = await importFolder({ folder: source, destDir, id: 'messy', name: 'messy', size: SIZE, channels: 3 });

    expect(manifest.count).toBe(11);
    expect(manifest.files.map((f) => f.file)).toEqual(expected.imported);
    expect(rejected).toHaveLength(8);
    expect(Object.fromEntries(rejected.map((r) => [r.file, r.reason]))).toEqual(expected.rejected);
    expect(manifest.rejects).toEqual(rejected);
    expect(Object.fromEntries(manifest.skipped.map((r) => [r.file, r.reason]))).toEqual(expected.skipped);
    expect(manifest.classes).toEqual(expected.classes);
    expect(manifest.classHistogram).toEqual([2, 5, 1, 1, 1]);
    expect(manifest.unlabelled).toBe(1);

    const { images, labels } = await readPackedDataset(destDir);
    expect(images.length).toBe(11 * SIZE * SIZE * 3);
    for (const [i, entry] of manifest.files.entries()) {
      const top = entry.file.includes('/') ? entry.file.split('/')[0]! : null;
      const index = top === null ? -1 : expected.classes.indexOf(top);
      expect(entry.classIndex, entry.file).toBe(index);
      expect(labels[i], entry.file).toBe(index === -1 ? NO_CLASS_LABEL : index);
    }
  });

  it('composites the alpha of an RGBA icon onto black in RGB', async () => {
    const manifest = await readManifest(join(data, 'rgb'));
    const { images } = await readPackedDataset(join(data, 'rgb'));
    const icon = manifest.files.findIndex((f) => f.file === expected.rgbaIcon);
    expect(ICON_SIDE).toBe(SIZE);
    expect(pixelAt(images, icon, 3, 0, 3)).toEqual([ICON_TOP.r, ICON_TOP.g, ICON_TOP.b]);
    // Transparent white must come out black, not white.
    expect(pixelAt(images, icon, 3, SIZE - 1, 3)).toEqual([0, 0, 0]);
  });

  it('reads formats by content: first GIF frame, AVIF, TIFF, WebP, a PNG named .jpg, a 4000x3000 JPEG', async () => {
    const manifest = await readManifest(join(data, 'rgb'));
    const { images } = await readPackedDataset(join(data, 'rgb'));
    const at = (file: string): number[] => pixelAt(images, manifest.files.findIndex((f) => f.file === file), 8, 8, 3);
    const near = (got: number[], want: number[], tolerance: number): void => {
      got.forEach((v, c) => expect(Math.abs(v - want[c]!), `${got} vs ${want}`).toBeLessThanOrEqual(tolerance));
    };
    expect(at('formats/png-named.jpg')).toEqual([7, 77, 177]);
    near(at('formats/anim.gif'), [10, 20, 250], 8);
    near(at('formats/pic.tif'), [0, 100, 100], 0);
    near(at('formats/pic.webp'), [100, 0, 100], 8);
    near(at('formats/pic.avif'), [100, 100, 0], 8);
    near(at('large/photo.jpg'), [90, 140, 200], 4);
    near(at('Katzen/Äpfel-01.PNG'), [220, 30, 30], 0);
  });

  it('packs one channel per pixel in grayscale with the same files and rejects', async () => {
    const destDir = join(data, 'grey');
    const { manifest, rejected } = await importFolder({ folder: source, destDir, id: 'messyg', name: 'grey', size: SIZE, channels: 1 });
    const rgb = await readManifest(join(data, 'rgb'));
    expect(manifest.files.map((f) => f.file)).toEqual(rgb.files.map((f) => f.file));
    expect(rejected).toEqual(rgb.rejects);
    const { images } = await readPackedDataset(destDir);
    expect(images.length).toBe(11 * SIZE * SIZE);
    expect(manifest.stats.mean).toHaveLength(1);
    const icon = manifest.files.findIndex((f) => f.file === expected.rgbaIcon);
    expect(pixelAt(images, icon, 3, SIZE - 1, 1)).toEqual([0]);
    expect(pixelAt(images, icon, 3, 0, 1)[0]).toBeGreaterThan(50);
  });
});
