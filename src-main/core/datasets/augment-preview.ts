/** Augmentation previews of a dataset: pick images from the seed, have the trainer-side worker augment them, encode PNG data URLs. */
import sharp from 'sharp';
import type { ParsedRequestOf } from '../../common/contract';
import type { AugmentPreview } from '../../common/datasets';
import { Rng } from '../../common/rng';
import type { AugmentPreviewPixels } from '../../common/trainer-protocol';
import type { PreviewRequest } from '../trainer/job-worker';

/** The picker's stream of Rng(seed, stream): no engine stream uses 0 (engine/session/streams.ts), so the picks never echo the augmentation's draws. */
const PICK_STREAM = 0;

/** The part of the JobWorker this needs, so tests can run it against a real worker or none. */
export interface PreviewWorker {
  augmentPreview(request: PreviewRequest): Promise<AugmentPreviewPixels>;
}

/**
 * Distinct image indices drawn from the seed (the engine's Rng, one stream of its own): the same seed
 * shows the same images, and another seed shows others. Fewer when the dataset is smaller.
 */
export function pickIndices(total: number, count: number, seed: number): number[] {
  const n = Math.min(total, count);
  if (n === total) return Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed, PICK_STREAM);
  const chosen = new Set<number>();
  // A partial Fisher–Yates would need `total` memory; rejection is cheap because n ≤ 16 ≪ total or n = total.
  while (chosen.size < n) chosen.add(rng.nextInt(total));
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
