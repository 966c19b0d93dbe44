/** The random draws of the classic augmentations of real images, from the seeded Rng, and the affine map they imply. */
import type { TrainingConfig } from '../../common/training-config';
import type { Rng } from '../../common/rng';
import type { DiffAugmentPolicy } from './diff-augment';
import type { Affine, Square } from './geometry';

export type AugmentConfig = TrainingConfig['augment'];
export type ClassicOp = 'flip' | 'rotation' | 'scale' | 'translation' | 'crop' | 'colorJitter' | 'cutout' | 'noise';
/** What describeAugment lists: a classic op, a DiffAugment policy, or ADA. */
export type AugmentOpId = ClassicOp | `diffAugment.${DiffAugmentPolicy}` | 'ada';

/** One image's draw. A field holds its identity value when its op did not fire. */
export interface ImageAugment {
  flip: boolean;
  /** Degrees, counter-clockwise as displayed. */
  rotation: number;
  /** Zoom about the centre; above 1 enlarges the content. */
  scale: number;
  /** Integer pixels, +x right, +y down. */
  shift: [x: number, y: number];
  /** Crop side as a fraction of the image side (1 = none) and the crop centre's offset from the image centre, in pixels. */
  crop: { fraction: number; offset: [x: number, y: number] };
  /** Added in [-1, 1] space (0 = none). */
  brightness: number;
  /** Factor around the image mean (1 = none). */
  contrast: number;
  /** Blend factor with the grayscale image (1 = none, 0 = gray); ignored for 1 channel. */
  saturation: number;
  /** The square set to 0, or null. */
  cutout: Square | null;
  /** Noise σ and the seed of the Rng that draws this image's noise (kept small for JSON), or null. */
  noise: { std: number; seed: number } | null;
}

export interface AugmentParams {
  size: number;
  images: ImageAugment[];
}

/**
 * Every op draws the same number of values whether it fires or not, so changing one op's p or
 * strength never reshuffles what the other ops draw (the UI preview stays comparable while editing).
 */
export function sampleAugmentParams(cfg: AugmentConfig, n: number, size: number, rng: Rng): AugmentParams {
  const fires = (p: number): boolean => rng.nextFloat() < p;
  /** Uniform in [-1, 1). */
  const sym = (): number => 2 * rng.nextFloat() - 1;
  const images: ImageAugment[] = [];
  const maxShift = Math.round(cfg.translation.fraction * size);
  const cutSide = Math.round(cfg.cutout.fraction * size);
  const cropSlack = ((1 - cfg.crop.fraction) * size) / 2;
  for (let i = 0; i < n; i++) {
    const flip = fires(cfg.flip);
    const rotOn = fires(cfg.rotation.p);
    const angle = sym() * cfg.rotation.degrees;
    const scaleOn = fires(cfg.scale.p);
    const zoom = 1 + sym() * cfg.scale.amount;
    const shiftOn = fires(cfg.translation.p);
    const sx = rng.nextInt(2 * maxShift + 1) - maxShift;
    const sy = rng.nextInt(2 * maxShift + 1) - maxShift;
    const cropOn = fires(cfg.crop.p);
    const ox = sym() * cropSlack;
    const oy = sym() * cropSlack;
    const colorOn = fires(cfg.colorJitter.p);
    const brightness = sym() * cfg.colorJitter.brightness;
    const contrast = 1 + sym() * cfg.colorJitter.contrast;
    const saturation = 1 + sym() * cfg.colorJitter.saturation;
    const cutOn = fires(cfg.cutout.p);
    // Cutout's centre is anywhere in the image, so the square may be partly outside (DeVries & Taylor 2017).
    const cx = rng.nextInt(size) - Math.floor(cutSide / 2);
    const cy = rng.nextInt(size) - Math.floor(cutSide / 2);
    const noiseOn = fires(cfg.noise.p);
    const seed = rng.nextUint32();
    images.push({
      flip,
      rotation: rotOn ? angle : 0,
      scale: scaleOn ? zoom : 1,
      shift: shiftOn ? [sx, sy] : [0, 0],
      crop: cropOn ? { fraction: cfg.crop.fraction, offset: [ox, oy] } : { fraction: 1, offset: [0, 0] },
      brightness: colorOn ? brightness : 0,
      contrast: colorOn ? contrast : 1,
      saturation: colorOn ? saturation : 1,
      cutout: cutOn && cutSide > 0 ? { x: cx, y: cy, side: cutSide } : null,
      noise: noiseOn && cfg.noise.std > 0 ? { std: cfg.noise.std, seed } : null,
    });
  }
  return { size, images };
}

export function hasGeometry(img: ImageAugment): boolean {
  return img.flip || img.rotation !== 0 || img.scale !== 1 || img.shift[0] !== 0 || img.shift[1] !== 0 || img.crop.fraction !== 1;
}

/**
 * The inverse map (output pixel → source pixel) of: crop resized to full size, zoom, rotation, flip,
 * then translation, all about the image centre. In centred coordinates u: source = o + (f/s)·Rᵀ·F·(u − t).
 */
export function toAffine(img: ImageAugment, size: number): Affine {
  const centre = (size - 1) / 2;
  const rad = (img.rotation * Math.PI) / 180;
  const k = img.crop.fraction / img.scale;
  const fl = img.flip ? -1 : 1;
  const a = k * Math.cos(rad) * fl;
  const b = -k * Math.sin(rad);
  const d = k * Math.sin(rad) * fl;
  const e = k * Math.cos(rad);
  const px = centre + img.shift[0];
  const py = centre + img.shift[1];
  const [ox, oy] = img.crop.offset;
  return [a, b, -a * px - b * py + ox + centre, d, e, -d * px - e * py + oy + centre];
}

/** The ops that would change an image under `cfg` (p > 0 and a non-zero strength), in the order they apply; for the UI. */
export function describeAugment(cfg: AugmentConfig): AugmentOpId[] {
  const cj = cfg.colorJitter;
  const active: [ClassicOp, boolean][] = [
    ['flip', cfg.flip > 0],
    ['rotation', cfg.rotation.p > 0 && cfg.rotation.degrees > 0],
    ['scale', cfg.scale.p > 0 && cfg.scale.amount > 0],
    ['translation', cfg.translation.p > 0 && cfg.translation.fraction > 0],
    ['crop', cfg.crop.p > 0 && cfg.crop.fraction < 1],
    ['colorJitter', cj.p > 0 && (cj.brightness > 0 || cj.contrast > 0 || cj.saturation > 0)],
    ['cutout', cfg.cutout.p > 0 && cfg.cutout.fraction > 0],
    ['noise', cfg.noise.p > 0 && cfg.noise.std > 0],
  ];
  const ops: AugmentOpId[] = active.filter(([, on]) => on).map(([op]) => op);
  for (const policy of ['color', 'translation', 'cutout'] as const) {
    if (cfg.diffAugment.includes(policy)) ops.push(`diffAugment.${policy}`);
  }
  if (cfg.ada.enabled && cfg.diffAugment.length > 0) ops.push('ada');
  return ops;
}
