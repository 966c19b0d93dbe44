/** Cancelled and failed imports leave nothing behind and say why; limits give precise reasons. */
import { readdirSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../src-main/common/errors';
import { importFolder } from '../../../src-main/core/datasets/import-folder';
import type { ImportProgress } from '../../../src-main/core/datasets/progress';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();

async function failureOf(promise: Promise<unknown>): Promise<WorkbenchError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the import to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkbenchError);
  return error as WorkbenchError;
}

describe('cancelling an import', () => {
  let source = '';

  beforeAll(async () => {
    source = join(await newDir(), 'mnist');
    await writeMnistFolder(source, 30);
  });

  for (const when of ['first progress event', 'first decoded image'] as const) {
    it(`after the ${when} leaves neither the dataset nor a partial folder`, async () => {
      const parent = await newDir();
      const controller = new AbortController();
      const seen: ImportProgress[] = [];
      let atAbort: string[] = [];
      const error = await failureOf(
        importFolder({
          folder: source,
          destDir: join(parent, 'ds'),
          id: 'cancelme',
          name: 'cancel',
          size: 28,
          channels: 3,
          signal: controller.signal,
          onProgress: (p) => {
            seen.push(p);
            if (controller.signal.aborted) return;
            if (when === 'first progress event' || (p.phase === 'decoding' && p.done > 0)) {
              atAbort = readdirSync(parent);
              controller.abort();
            }
          },
        }),
      );
      expect(error.code).toBe('IMPORT_FAILED');
      expect(error.message).toBe('import cancelled');
      expect(error.details).toEqual({ cancelled: true });
      // The later abort must have had a partial folder to clean up, or the test proves nothing.
      if (when === 'first decoded image') expect(atAbort).toEqual([expect.stringMatching(/^ds\.partial-/)]);
      expect(await readdir(parent)).toEqual([]);
      expect(seen.some((p) => p.phase === 'done')).toBe(false);
    });
  }

  it('refuses at once when the signal is already aborted', async () => {
    const parent = await newDir();
    const error = await failureOf(
      importFolder({ folder: source, destDir: join(parent, 'ds'), id: 'x1234', name: 'x', size: 28, channels: 1, signal: AbortSignal.abort() }),
    );
    expect(error.message).toBe('import cancelled');
    expect(await readdir(parent)).toEqual([]);
  });

  it('reports progress at most about ten times a second plus phase changes', async () => {
    const events: ImportProgress[] = [];
    const started = performance.now();
    await importFolder({ folder: source, destDir: join(await newDir(), 'ds'), id: 'prog1', name: 'p', size: 28, channels: 1, onProgress: (p) => events.push(p) });
    const seconds = (performance.now() - started) / 1000;
    expect(events.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 4 + 1);
  });
});

describe('failed imports', () => {
  it('throws NO_IMAGES with every reject in details, and leaves nothing', async () => {
    const root = await newDir();
    const source = join(root, 'src');
    await mkdir(source);
    await writeFile(join(source, 'notes.txt'), 'hello');
    await writeFile(join(source, 'empty.png'), '');
    const error = await failureOf(importFolder({ folder: source, destDir: join(root, 'ds'), id: 'none1', name: 'n', size: 32, channels: 3 }));
    expect(error.code).toBe('NO_IMAGES');
    expect(error.details).toEqual({
      rejected: [
        { file: 'empty.png', reason: 'empty file' },
        { file: 'notes.txt', reason: 'not an image (unsupported format)' },
      ],
      skipped: [],
    });
    expect(await readdir(root)).toEqual(['src']);
  });

  it('throws NO_IMAGES for an empty folder', async () => {
    const root = await newDir();
    await mkdir(join(root, 'src'));
    const error = await failureOf(importFolder({ folder: join(root, 'src'), destDir: join(root, 'ds'), id: 'none2', name: 'n', size: 32, channels: 3 }));
    expect(error.code).toBe('NO_IMAGES');
  });

  it('throws NOT_FOUND for a missing folder', async () => {
    const root = await newDir();
    const error = await failureOf(importFolder({ folder: join(root, 'nope'), destDir: join(root, 'ds'), id: 'none3', name: 'n', size: 32, channels: 3 }));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('refuses to overwrite an existing dataset folder', async () => {
    const root = await newDir();
    const source = join(root, 'src');
    await mkdir(source);
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#123456' } }).png().toFile(join(source, 'a.png'));
    await mkdir(join(root, 'ds'));
    await writeFile(join(root, 'ds', 'keep.txt'), 'mine');
    const error = await failureOf(importFolder({ folder: source, destDir: join(root, 'ds'), id: 'exist', name: 'n', size: 16, channels: 3 }));
    expect(error.code).toBe('IMPORT_FAILED');
    expect(await readdir(join(root, 'ds'))).toEqual(['keep.txt']);
    expect((await readdir(root)).sort()).toEqual(['ds', 'src']);
  });

  it('rejects images above the pixel limit before decoding them', async () => {
    const root = await newDir();
    const source = join(root, 'src');
    await mkdir(source);
    await sharp({ create: { width: 100, height: 60, channels: 3, background: '#ff0000' } }).png().toFile(join(source, 'big.png'));
    await sharp({ create: { width: 20, height: 20, channels: 3, background: '#00ff00' } }).png().toFile(join(source, 'small.png'));
    const { manifest, rejected } = await importFolder({
      folder: source,
      destDir: join(root, 'ds'),
      id: 'limit',
      name: 'n',
      size: 16,
      channels: 3,
      maxInputPixels: 5000,
    });
    expect(manifest.files.map((f) => f.file)).toEqual(['small.png']);
    expect(rejected).toEqual([{ file: 'big.png', reason: 'too large (100x60, limit 5000 pixels)' }]);
    expect(manifest.classes).toEqual([]);
    expect(manifest.unlabelled).toBe(1);
  });

  it('validates size and channels', async () => {
    const root = await newDir();
    const error = await failureOf(importFolder({ folder: root, destDir: join(root, 'ds'), id: 'bad11', name: 'n', size: 7, channels: 3 }));
    expect(error.code).toBe('INVALID_REQUEST');
  });
});
