/** Augmentation previews of a dataset: pick images from the seed, have the trainer-side worker augment them, encode PNG data URLs. */
import sharp from 'sharp';
import type { ParsedRequestOf } from '../../common/contract';
import type { AugmentPreview } from '../../common/datasets';
import type { AugmentPreviewPixels } from '../../common/trainer-protocol';
import type { PreviewRequest } from '../trainer/job-worker';

/** The part of the JobWorker this needs, so tests can run it against a real worker or none. */
export interface PreviewWorker {
  augmentPreview(request: PreviewRequest): Promise<AugmentPreviewPixels>;
}

/**
 * Distinct image indices drawn from the seed (mulberry32, enough for picking): the same seed shows
 * the same images, and another seed shows others. Fewer when the dataset is smaller.
 */
export function pickIndices(total: number, count: number, seed: number): number[] {
  const n = Math.min(total, count);
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const chosen = new Set<number>();
  // A partial Fisher–Yates would need `total` memory; rejection is cheap because n ≤ 16 ≪ total or n = total.
  if (n === total) return Array.from({ length: n }, (_, i) => i);
  while (chosen.size < n) chosen.add(Math.floor(next() * total));
  return [...chosen];
}

async function pngDataUrl(pixels: Uint8Array, size: number, channels: 1 | 3): Promise<string> {
  const image = sharp(pixels, { raw: { width: size, height: size, channels } });
  // Without b-w, sharp widens one raw channel to three.
  const png = await (channels === 1 ? image.toColourspace('b-w') : image).png({ compressionLevel: 1 }).toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

export async function augmentPreview(
  worker: PreviewWorker,
  dataset: { dir: string; count: number },
  req: ParsedRequestOf<'datasets.augmentPreview'>,
): Promise<AugmentPreview> {
  const indices = pickIndices(dataset.count, req.count, req.seed);
  const out = await worker.augmentPreview({
    datasetDir: dataset.dir,
    indices,
    augment: req.augment,
    seed: req.seed,
    variants: req.variants,
    diffAugmentP: req.diffAugmentP,
  });
  const bytes = out.size * out.size * out.channels;
  const image = (buf: Uint8Array, i: number) => pngDataUrl(buf.subarray(i * bytes, (i + 1) * bytes), out.size, out.channels);
  const originals = await Promise.all(indices.map((_, i) => image(out.originals, i)));
  const variants = await Promise.all(
    indices.map((_, i) => Promise.all(Array.from({ length: req.variants }, (_, v) => image(out.variants, i * req.variants + v)))),
  );
  return { indices, originals, variants, millis: out.millis };
}
