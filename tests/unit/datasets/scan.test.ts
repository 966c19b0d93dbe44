/** Scanning a folder before importing it: exact counts on the messy folder, and a fingerprint that recognises the same content. */
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanFolder } from '../../../src-main/core/datasets/scan-folder';
import { writeMessyFolder } from '../../fixtures/messy-folder';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();

describe('scanFolder on the messy folder', () => {
  let source = '';
  beforeAll(async () => {
    source = join(await newDir(), 'messy');
    await writeMessyFolder(source);
  });

  it('counts candidates, sniffed images, certain rejects, skipped entries, formats and classes', async () => {
    const scan = await scanFolder(source, 'classes');
    expect(scan.files).toBe(19);
    expect(scan.images).toBe(14);
    expect(scan.wouldReject).toBe(5);
    expect(scan.rejectReasons).toEqual({ 'empty file': 1, 'not an image (unsupported format)': 4 });
    expect(scan.skipped).toBe(6);
    expect(scan.formats).toEqual({ png: 8, jpeg: 2, gif: 1, webp: 1, tiff: 1, avif: 1 });
    expect(scan.classes).toEqual([
      { name: 'Katzen', images: 4 },
      { name: 'formats', images: 5 },
      { name: 'icons', images: 1 },
      { name: 'large', images: 1 },
      { name: '猫', images: 2 },
    ]);
    expect(scan.unlabelled).toBe(1);
  });

  it('has no classes in the flat layout', async () => {
    const scan = await scanFolder(source, 'flat');
    expect(scan.classes).toEqual([]);
    expect(scan.unlabelled).toBe(14);
  });

  it('gives a copy the same fingerprint, and a changed folder another', async () => {
    const copy = join(await newDir(), 'elsewhere');
    // Without the symlinks, which would point back into the original.
    await cp(source, copy, { recursive: true, filter: (src) => !src.endsWith('loop') && !src.endsWith('broken-link.png') });
    const a = await scanFolder(source, 'classes');
    const b = await scanFolder(copy, 'classes');
    expect(b.fingerprint).toBe(a.fingerprint);
    await writeFile(join(copy, 'README.txt'), 'changed, and longer than before\n');
    expect((await scanFolder(copy, 'classes')).fingerprint).not.toBe(a.fingerprint);
  });
});
