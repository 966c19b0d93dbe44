/** Import options and what the import records besides pixels: fit, background, flat layout, source sizes, provenance, thumbnail sheets. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src-main/core/datasets/import-folder';
import { NO_CLASS_LABEL, readPackedDataset } from '../../../src-main/core/datasets/packed-format';
import { writeMessyFolder } from '../../fixtures/messy-folder';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();
const SIZE = 8;

/** 40x20: four 10-pixel columns green | red | blue | yellow, so crop, pad and stretch each leave a different picture. */
async function writeBands(file: string): Promise<void> {
  const colours = [
    [0, 255, 0],
    [255, 0, 0],
    [0, 0, 255],
    [255, 255, 0],
  ];
  const px = Buffer.alloc(40 * 20 * 3);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) px.set(colours[Math.floor(x / 10)]!, (y * 40 + x) * 3);
  await sharp(px, { raw: { width: 40, height: 20, channels: 3 } }).png().toFile(file);
}

function pixel(images: Uint8Array, x: number, y: number): number[] {
  const i = (y * SIZE + x) * 3;
  return [...images.subarray(i, i + 3)];
}

function near(got: number[], want: number[], tolerance = 40): void {
  got.forEach((v, c) => expect(Math.abs(v - want[c]!), `${got} vs ${want}`).toBeLessThanOrEqual(tolerance));
}

describe('fit to a square', () => {
  let source = '';
  beforeAll(async () => {
    source = await newDir();
    await writeBands(join(source, 'bands.png'));
  });

  async function packed(fit: 'crop' | 'pad' | 'stretch', background = '#000000'): Promise<Uint8Array> {
    const destDir = join(await newDir(), 'ds');
    await importFolder({ folder: source, destDir, id: `fit-${fit}`, name: fit, size: SIZE, channels: 3, fit, background });
    return (await readPackedDataset(destDir)).images;
  }

  it('crop keeps the middle square (red | blue)', async () => {
    const images = await packed('crop');
    near(pixel(images, 0, 4), [255, 0, 0]);
    near(pixel(images, 7, 4), [0, 0, 255]);
  });

  it('pad letterboxes the whole image on the background colour', async () => {
    const images = await packed('pad', '#ff00ff');
    expect(pixel(images, 4, 0)).toEqual([255, 0, 255]);
    expect(pixel(images, 4, 7)).toEqual([255, 0, 255]);
    near(pixel(images, 0, 4), [0, 255, 0]);
    near(pixel(images, 7, 4), [255, 255, 0]);
  });

  it('stretch squeezes the whole image into the square', async () => {
    const images = await packed('stretch');
    near(pixel(images, 0, 0), [0, 255, 0]);
    near(pixel(images, 7, 7), [255, 255, 0]);
  });
});

describe('messy folder with options', () => {
  let source = '';
  beforeAll(async () => {
    source = join(await newDir(), 'messy');
    await writeMessyFolder(source);
  });

  it('composites transparency on the chosen background', async () => {
    const destDir = join(await newDir(), 'ds');
    const { manifest } = await importFolder({ folder: source, destDir, id: 'white', name: 'w', size: 16, channels: 3, background: '#ffffff' });
    const { images } = await readPackedDataset(destDir);
    const icon = manifest.files.findIndex((f) => f.file === 'icons/rgba-icon.png');
    const at = (x: number, y: number) => [...images.subarray(((icon * 16 + y) * 16 + x) * 3, ((icon * 16 + y) * 16 + x) * 3 + 3)];
    expect(at(3, 15)).toEqual([255, 255, 255]);
    expect(at(3, 0)).toEqual([0, 200, 0]);
    expect(manifest.options).toEqual({ layout: 'classes', fit: 'crop', background: '#ffffff' });
  });

  it('flat layout packs the same files without classes', async () => {
    const destDir = join(await newDir(), 'ds');
    const { manifest } = await importFolder({ folder: source, destDir, id: 'flat', name: 'f', size: 16, channels: 1, layout: 'flat' });
    const { labels } = await readPackedDataset(destDir);
    expect(manifest.count).toBe(11);
    expect(manifest.classes).toEqual([]);
    expect(manifest.classHistogram).toEqual([]);
    expect(manifest.unlabelled).toBe(11);
    expect([...labels].every((l) => l === NO_CLASS_LABEL)).toBe(true);
    expect(manifest.files.every((f) => f.classIndex === -1)).toBe(true);
  });

  it('records source sizes, formats and dimensions per file', async () => {
    const destDir = join(await newDir(), 'ds');
    const { manifest } = await importFolder({ folder: source, destDir, id: 'sizes', name: 's', size: 16, channels: 3 });
    expect(manifest.sourceSizes).toEqual({ edges: [0, 32, 64, 128, 256, 512, 1024, 2048, 4096], counts: [8, 2, 0, 0, 0, 0, 0, 1, 0] });
    const byFile = Object.fromEntries(manifest.files.map((f) => [f.file, f]));
    expect(byFile['large/photo.jpg']).toMatchObject({ width: 4000, height: 3000, format: 'jpeg' });
    expect(byFile['formats/anim.gif']).toMatchObject({ width: 24, height: 24, format: 'gif' });
    expect(byFile['formats/pic.avif']).toMatchObject({ format: 'avif' });
    expect(byFile['formats/png-named.jpg']).toMatchObject({ format: 'png' });
    expect(manifest.fingerprint).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('thumbnail sheets', () => {
  it('packs 256 thumbnails per sheet, each exactly the packed image when small', async () => {
    const source = await newDir();
    await mkdir(join(source, 'all'));
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        sharp({ create: { width: 12, height: 12, channels: 3, background: { r: (i * 7) % 256, g: Math.floor(i / 256) * 90, b: i % 3 } } })
          .png()
          .toFile(join(source, 'all', `img-${String(i).padStart(3, '0')}.png`)),
      ),
    );
    const destDir = join(await newDir(), 'ds');
    const { manifest } = await importFolder({ folder: source, destDir, id: 'thumbs', name: 't', size: 12, channels: 3 });
    expect(manifest.count).toBe(300);
    expect(manifest.thumbs).toEqual({ side: 12, columns: 16, perSheet: 256, sheets: ['thumbs/sheet-0000.png', 'thumbs/sheet-0001.png'] });
    const first = await sharp(join(destDir, 'thumbs/sheet-0000.png')).metadata();
    expect([first.width, first.height]).toEqual([192, 192]);
    const second = sharp(join(destDir, 'thumbs/sheet-0001.png'));
    const meta = await second.metadata();
    expect([meta.width, meta.height]).toEqual([192, 36]);

    // Image 273 is cell 17 of sheet 1: column 1, row 1.
    const sheet = await second.removeAlpha().raw().toBuffer();
    const { images } = await readPackedDataset(destDir);
    for (let y = 0; y < 12; y++) {
      const row = sheet.subarray(((12 + y) * 192 + 12) * 3, ((12 + y) * 192 + 24) * 3);
      const want = images.subarray((273 * 144 + y * 12) * 3, (273 * 144 + (y + 1) * 12) * 3);
      expect(Buffer.from(row).equals(Buffer.from(want)), `row ${y}`).toBe(true);
    }
  });

  it('scales thumbnails of large images down to 64 pixels', async () => {
    const source = await newDir();
    await sharp({ create: { width: 200, height: 200, channels: 3, background: '#336699' } }).png().toFile(join(source, 'a.png'));
    const destDir = join(await newDir(), 'ds');
    const { manifest } = await importFolder({ folder: source, destDir, id: 'big', name: 'b', size: 128, channels: 1 });
    expect(manifest.thumbs?.side).toBe(64);
    const meta = await sharp(join(destDir, 'thumbs/sheet-0000.png')).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([1024, 64, 1]);
  });
});
