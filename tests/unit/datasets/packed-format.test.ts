/** The packed dataset files read back exactly as written, and damage is reported rather than misread. */
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../src-main/common/errors';
import { importFolder } from '../../../src-main/core/datasets/import-folder';
import { IMAGES_FILE, Manifest, MANIFEST_FILE, readManifest, readPackedDataset } from '../../../src-main/core/datasets/packed-format';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkbenchError);
  return (error as WorkbenchError).code;
}

/** Four 8x8 images whose every pixel encodes its image index, so order mistakes show. */
async function writeNumbered(dir: string): Promise<void> {
  for (let n = 0; n < 4; n++) {
    const v = 10 + n * 40;
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: v, g: v + 1, b: v + 2 } } })
      .png()
      .toFile(join(dir, `img-${n}.png`));
  }
}

describe('packed format', () => {
  let destDir = '';

  beforeAll(async () => {
    const root = await newDir();
    await writeNumbered(root);
    destDir = join(await newDir(), 'ds');
    await importFolder({ folder: root, destDir, id: 'round', name: 'Round trip', size: 8, channels: 3 });
  });

  it('round-trips manifest, images and labels', async () => {
    const { manifest, images, labels } = await readPackedDataset(destDir);
    expect(Manifest.parse(JSON.parse(await readFile(join(destDir, MANIFEST_FILE), 'utf8')))).toEqual(manifest);
    expect(manifest).toMatchObject({ format: 'gan-workbench/packed-dataset', version: 2, id: 'round', name: 'Round trip', size: 8, channels: 3, count: 4, classes: [] });
    expect(images).toBeInstanceOf(Uint8Array);
    expect(images.length).toBe(4 * 8 * 8 * 3);
    expect([...labels]).toEqual([255, 255, 255, 255]);
    for (let n = 0; n < 4; n++) {
      const v = 10 + n * 40;
      const start = n * 8 * 8 * 3;
      expect([...images.subarray(start, start + 3)]).toEqual([v, v + 1, v + 2]);
      expect([...images.subarray(start + 189, start + 192)]).toEqual([v, v + 1, v + 2]);
    }
    expect(manifest.stats.mean[0]).toBeCloseTo((10 + 50 + 90 + 130) / 4, 6);
    expect(manifest.stats.std[1]).toBeCloseTo(Math.sqrt((60 ** 2 + 20 ** 2 + 20 ** 2 + 60 ** 2) / 4), 6);
    expect(new Date(manifest.createdAt).toISOString()).toBe(manifest.createdAt);
  });

  it('reports a missing dataset as NOT_FOUND', async () => {
    expect(await codeOf(readManifest(join(destDir, 'nope')))).toBe('NOT_FOUND');
  });

  it('reports a short images file or a broken manifest as damaged', async () => {
    const copy = join(await newDir(), 'copy');
    await importFolder({ folder: (await readManifest(destDir)).sourcePath, destDir: copy, id: 'copy1', name: 'c', size: 8, channels: 3 });
    await truncate(join(copy, IMAGES_FILE), 100);
    expect(await codeOf(readPackedDataset(copy))).toBe('IMPORT_FAILED');
    await rm(join(copy, IMAGES_FILE));
    expect(await codeOf(readPackedDataset(copy))).toBe('IMPORT_FAILED');
    await writeFile(join(copy, MANIFEST_FILE), '{"format":"something else"}');
    expect(await codeOf(readManifest(copy))).toBe('IMPORT_FAILED');
    await writeFile(join(copy, MANIFEST_FILE), 'not json');
    expect(await codeOf(readManifest(copy))).toBe('IMPORT_FAILED');
  });
});
