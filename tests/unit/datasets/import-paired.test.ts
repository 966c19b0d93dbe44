/** Paired imports on real files: A/ and B/ matched by path without extension, rejects with reasons, side-by-side halves pixel-exact, both datasets or neither. */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../src-main/common/errors';
import { importPaired, type ImportPairedOptions } from '../../../src-main/core/datasets/import-paired';
import { readPackedDataset } from '../../../src-main/core/datasets/packed-format';
import { pairKey } from '../../../src-main/core/datasets/pair-files';
import { REJECT } from '../../../src-main/core/datasets/reject-reasons';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();
const SIZE = 8;
type Rgb = [number, number, number];

/** A `width` x `height` PNG (or other format) whose columns are coloured by `colourAt(x)`. */
async function writeColumns(file: string, width: number, height: number, colourAt: (x: number) => Rgb, format: 'png' | 'jpeg' | 'webp' = 'png'): Promise<void> {
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px.set(colourAt(x), (y * width + x) * 3);
  await mkdir(dirname(file), { recursive: true });
  const image = sharp(px, { raw: { width, height, channels: 3 } });
  await (format === 'png' ? image.png() : format === 'jpeg' ? image.jpeg({ quality: 100 }) : image.webp({ lossless: true })).toFile(file);
}

const solid = (file: string, colour: Rgb, format: 'png' | 'jpeg' | 'webp' = 'png') => writeColumns(file, 16, 16, () => colour, format);

/** Every pixel of packed image `index`. */
function imageAt(images: Uint8Array, index: number): number[][] {
  const bytes = SIZE * SIZE * 3;
  const image = images.subarray(index * bytes, (index + 1) * bytes);
  return Array.from({ length: SIZE * SIZE }, (_, i) => [...image.subarray(i * 3, i * 3 + 3)]);
}

function allNear(pixels: number[][], want: Rgb, tolerance: number): void {
  for (const p of pixels) p.forEach((v, c) => expect(Math.abs(v - want[c]!), `${p} vs ${want}`).toBeLessThanOrEqual(tolerance));
}

async function halves(tag: string): Promise<Pick<ImportPairedOptions, 'a' | 'b'>> {
  const root = await newDir();
  return { a: { destDir: join(root, 'a'), id: `${tag}-a`, name: `${tag} · A` }, b: { destDir: join(root, 'b'), id: `${tag}-b`, name: `${tag} · B` } };
}

/** Colours of pair k: A reddish, B bluish, both telling k apart. */
const colourA = (k: number): Rgb => [40 + k * 40, 0, 0];
const colourB = (k: number): Rgb => [0, 200 - k * 40, 255];

describe('pairs from A/ and B/ folders', () => {
  let source = '';
  beforeAll(async () => {
    source = await newDir();
    // Matched across subfolders and extensions; "b" in lower case is found too.
    await solid(join(source, 'A', 'x', '1.png'), colourA(0));
    await solid(join(source, 'b', 'x', '1.jpg'), colourB(0), 'jpeg');
    await solid(join(source, 'A', 'x', '2.png'), colourA(1));
    await solid(join(source, 'b', 'x', '2.webp'), colourB(1), 'webp');
    await solid(join(source, 'A', 'y.png'), colourA(2));
    await solid(join(source, 'b', 'y.png'), colourB(2));
    // One-sided files, a corrupt A with a sound partner, an ambiguous name, a stray file.
    await solid(join(source, 'A', 'only-a.png'), colourA(3));
    await solid(join(source, 'b', 'z', 'only-b.png'), colourB(3));
    await writeFile(join(source, 'A', 'broken.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]));
    await solid(join(source, 'b', 'broken.png'), colourB(4));
    await solid(join(source, 'A', 'y.jpg'), colourA(4), 'jpeg');
    await writeFile(join(source, 'notes.txt'), 'about these pairs');
  });

  it('packs the matched pairs in the same order in both datasets, the rest rejected with reasons', async () => {
    const dest = await halves('folders');
    const { a, b, rejected } = await importPaired({ folder: source, layout: 'folders', size: SIZE, channels: 3, ...dest });
    expect(a.count).toBe(3);
    expect(b.count).toBe(3);
    // Of two files with one name, the first in sorted order is the pair's: y.jpg before y.png.
    expect(a.files.map((f) => f.file)).toEqual(['A/x/1.png', 'A/x/2.png', 'A/y.jpg']);
    expect(b.files.map((f) => f.file)).toEqual(['b/x/1.jpg', 'b/x/2.webp', 'b/y.png']);
    expect(rejected).toEqual([
      { file: 'A/broken.png', reason: REJECT.corrupt },
      { file: 'A/only-a.png', reason: REJECT.noPartner('b') },
      { file: 'A/y.png', reason: REJECT.sameName('A/y.jpg') },
      { file: 'b/broken.png', reason: REJECT.partnerRejected },
      { file: 'b/z/only-b.png', reason: REJECT.noPartner('A') },
      { file: 'notes.txt', reason: REJECT.outsidePairFolders('A', 'b') },
    ]);
    // Pixel i of A and of B come from the same source pair.
    const [packedA, packedB] = await Promise.all([readPackedDataset(dest.a.destDir), readPackedDataset(dest.b.destDir)]);
    for (let k = 0; k < 3; k++) {
      allNear(imageAt(packedA.images, k), colourA(k === 2 ? 4 : k), 3);
      allNear(imageAt(packedB.images, k), colourB(k), 3);
    }
    // Flat, with thumbnails and a held-out split that depends on the count only, so both halves hold out the same pairs.
    expect(a.classes).toEqual([]);
    expect(a.options.layout).toBe('flat');
    expect(a.thumbs?.sheets).toHaveLength(1);
    expect(b.thumbs?.sheets).toHaveLength(1);
    expect(b.heldOut).toEqual(a.heldOut);
    expect(a.rejects).toEqual(rejected);
  });

  it('names what it found when A/ or B/ is missing', async () => {
    const lone = await newDir();
    await solid(join(lone, 'A', '1.png'), colourA(0));
    await solid(join(lone, 'inputs', '1.png'), colourA(0));
    const error = await importPaired({ folder: lone, layout: 'folders', size: SIZE, channels: 3, ...(await halves('lone')) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkbenchError);
    expect((error as WorkbenchError).code).toBe('INVALID_REQUEST');
    expect((error as WorkbenchError).message).toContain('need the subfolders A/ and B/');
    expect((error as WorkbenchError).message).toContain('found A/, inputs/');
  });

  it('keys a file by its path without extension; a leading dot is not an extension', () => {
    expect(pairKey('x/1.jpg')).toBe('x/1');
    expect(pairKey('x.y/1')).toBe('x.y/1');
    expect(pairKey('a.tar.gz')).toBe('a.tar');
  });
});

describe('pairs side by side', () => {
  const left: Rgb = [250, 10, 10];
  const right: Rgb = [10, 10, 250];
  const dropped: Rgb = [255, 0, 255];

  it('cuts at floor(width / 2): A the left half, B the right, an odd width’s last column in neither; pixel-exact', async () => {
    const source = await newDir();
    // 33 wide: columns 0-15 left, 16-31 right, 32 magenta.
    await writeColumns(join(source, 'p1.png'), 33, 16, (x) => (x < 16 ? left : x < 32 ? right : dropped));
    // Halves of the second pair told apart from the first, to check the order.
    await writeColumns(join(source, 'p2.png'), 32, 16, (x) => (x < 16 ? [0, 200, 0] : [200, 200, 0]));
    // Too narrow: each half would be under 8 pixels wide; 1 pixel wide is refused like any tiny image.
    await writeColumns(join(source, 'narrow.png'), 14, 16, () => left);
    await writeColumns(join(source, 'thin.png'), 1, 16, () => left);
    const dest = await halves('split');
    const { a, b, rejected } = await importPaired({ folder: source, layout: 'side-by-side', size: SIZE, channels: 3, ...dest });
    expect([a.count, b.count]).toEqual([2, 2]);
    expect(rejected).toEqual([
      { file: 'narrow.png', reason: REJECT.tooNarrowToSplit(14, 16) },
      { file: 'thin.png', reason: REJECT.tooSmall(1, 16) },
    ]);
    expect(a.files.map((f) => [f.file, f.width, f.height])).toEqual([
      ['p1.png', 16, 16],
      ['p2.png', 16, 16],
    ]);
    const [packedA, packedB] = await Promise.all([readPackedDataset(dest.a.destDir), readPackedDataset(dest.b.destDir)]);
    allNear(imageAt(packedA.images, 0), left, 0);
    allNear(imageAt(packedB.images, 0), right, 0);
    allNear(imageAt(packedA.images, 1), [0, 200, 0], 0);
    allNear(imageAt(packedB.images, 1), [200, 200, 0], 0);
  });
});

describe('both datasets or neither', () => {
  let source = '';
  beforeAll(async () => {
    source = await newDir();
    for (let k = 0; k < 3; k++) await writeColumns(join(source, `p${k}.png`), 32, 16, (x) => (x < 16 ? colourA(k) : colourB(k)));
  });

  it('removes A again when B cannot be published, and leaves no partial folder', async () => {
    const dest = await halves('late');
    const error = await importPaired({
      folder: source,
      layout: 'side-by-side',
      size: SIZE,
      channels: 3,
      ...dest,
      // B's destination appears while the import writes: B's publication fails after A's.
      onProgress: (p) => {
        if (p.phase === 'writing') void mkdir(dest.b.destDir, { recursive: true });
      },
    }).catch((e: unknown) => e);
    expect((error as WorkbenchError).code).toBe('IMPORT_FAILED');
    expect((error as WorkbenchError).message).toContain('destination already exists');
    expect(existsSync(dest.a.destDir)).toBe(false);
    expect((await readdir(dirname(dest.a.destDir))).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('cancelled while decoding, it stops there and leaves neither half nor a partial folder', async () => {
    const many = await newDir();
    for (let k = 0; k < 24; k++) await writeColumns(join(many, `p${String(k).padStart(2, '0')}.png`), 32, 16, (x) => (x < 16 ? colourA(k % 4) : colourB(k % 4)));
    const dest = await halves('mid');
    const controller = new AbortController();
    let t = 0;
    let stoppedAt = -1;
    const error = await importPaired({
      folder: many,
      layout: 'side-by-side',
      size: SIZE,
      channels: 3,
      ...dest,
      concurrency: 1,
      signal: controller.signal,
      // Each read of the clock is 200 ms later: every report passes the throttle.
      now: () => (t += 200),
      onProgress: (p) => {
        if (stoppedAt < 0 && p.phase === 'decoding' && p.done > 0) {
          stoppedAt = p.done;
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect((error as WorkbenchError).details).toEqual({ cancelled: true });
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(24);
    expect(await readdir(dirname(dest.a.destDir))).toEqual([]);
  });

  it('a cancelled import leaves nothing', async () => {
    const dest = await halves('cancel');
    const controller = new AbortController();
    controller.abort();
    const error = await importPaired({ folder: source, layout: 'side-by-side', size: SIZE, channels: 3, ...dest, signal: controller.signal }).catch((e: unknown) => e);
    expect((error as WorkbenchError).details).toEqual({ cancelled: true });
    expect(await readdir(dirname(dest.a.destDir))).toEqual([]);
  });

  it('says NO_IMAGES when no pair could be made', async () => {
    const empty = await newDir();
    await mkdir(join(empty, 'A'));
    await solid(join(empty, 'A', '1.png'), colourA(0));
    await solid(join(empty, 'B', '2.png'), colourB(0));
    const dest = await halves('none');
    const error = await importPaired({ folder: empty, layout: 'folders', size: SIZE, channels: 3, ...dest }).catch((e: unknown) => e);
    expect((error as WorkbenchError).code).toBe('NO_IMAGES');
    expect(await readdir(dirname(dest.a.destDir))).toEqual([]);
  });
});
