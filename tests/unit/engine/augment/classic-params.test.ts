/** applyAugmentParams with hand-set parameters: known rotation, shift, zoom, crop and fill; and describeAugment. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { Rng } from '../../../../src-main/common/rng';
import { StoredTrainingConfig } from '../../../../src-main/common/training-config';
import { applyAugmentParams, describeAugment, sampleAugmentParams, type ImageAugment } from '../../../../src-main/engine/augment/classic';
import { hasGeometry } from '../../../../src-main/engine/augment/classic-params';
import { augmentConfig, at, EVERY_OP, MAX_DRAW, maxAbsDiff, randomBatch, ScriptedRng, still, type AugmentInput } from './helpers';

/** A [1, size, size, 1] image of -1 with the given pixels at 1. */
function dots(size: number, pixels: [row: number, col: number][]): tf.Tensor4D {
  const values = new Float32Array(size * size).fill(-1);
  for (const [r, c] of pixels) values[r * size + c] = 1;
  return tf.tensor4d(values, [1, size, size, 1]);
}

function augmentValues(x: tf.Tensor4D, images: ImageAugment[], fill?: 'reflect' | 'border' | 'zero'): Float32Array {
  const y = applyAugmentParams(x, { size: x.shape[1], images }, fill);
  const values = Float32Array.from(y.dataSync());
  y.dispose();
  return values;
}

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('applyAugmentParams', () => {
  it('rotates 90° counter-clockwise: the top-right pixel goes to the top-left, four turns are the identity', () => {
    const turn = [still({ rotation: 90 })];
    expect(maxAbsDiff(augmentValues(dots(16, [[0, 15]]), turn), dots(16, [[0, 0]]).dataSync())).toBeLessThan(1e-6);
    const x = randomBatch([1, 16, 16, 1]);
    let y = x;
    for (let i = 0; i < 4; i++) y = applyAugmentParams(y, { size: 16, images: turn });
    expect(maxAbsDiff(y.dataSync(), x.dataSync())).toBeLessThan(1e-6);
  });

  it('translates by a known shift: +x right, +y down', () => {
    const out = augmentValues(dots(16, [[5, 5]]), [still({ shift: [2, -1] })]);
    expect(maxAbsDiff(out, dots(16, [[4, 7]]).dataSync())).toBe(0);
  });

  it('zooms about the centre; zoomed out, the zero fill shows as a mid-gray border', () => {
    const x = tf.fill([1, 16, 16, 1], 1) as tf.Tensor4D;
    const out = augmentValues(x, [still({ scale: 0.5 })], 'zero');
    expect(at(out, x.shape, 0, 0, 0)).toBe(0);
    expect(at(out, x.shape, 0, 8, 8)).toBe(1);
    expect(maxAbsDiff(augmentValues(x, [still({ scale: 0.5 })], 'border'), x.dataSync())).toBe(0);
  });

  it('crops the centre half and resizes it back: a horizontal ramp keeps its centre and halves its slope', () => {
    const ramp = tf.tensor4d(Array.from({ length: 256 }, (_, i) => ((i % 16) / 15) * 2 - 1), [1, 16, 16, 1]);
    const out = augmentValues(ramp, [still({ crop: { fraction: 0.5, offset: [0, 0] } })]);
    for (let c = 0; c < 16; c++) expect(at(out, ramp.shape, 0, 3, c)).toBeCloseTo(((7.5 + 0.5 * (c - 7.5)) / 15) * 2 - 1, 5);
  });

  it('rejects parameters drawn for another batch shape', () => {
    const x = randomBatch([2, 16, 16, 1]);
    expect(() => applyAugmentParams(x, { size: 16, images: [still()] })).toThrow(/1 images of 16×16/);
  });
});

describe('describeAugment', () => {
  it('lists the ops that would change an image, DiffAugment policies and ADA', () => {
    expect(describeAugment(augmentConfig())).toEqual([]);
    expect(describeAugment(augmentConfig(EVERY_OP))).toEqual(['flip', 'rotation', 'scale', 'translation', 'crop', 'colorJitter', 'cutout', 'noise']);
    expect(describeAugment(augmentConfig({ rotation: { p: 1, degrees: 0 }, diffAugment: ['cutout', 'color'], ada: { enabled: true } }))).toEqual([
      'diffAugment.color',
      'diffAugment.cutout',
      'ada',
    ]);
  });
});

/** Every classic op at p = 1 on an 8×8 image: a shift of up to 2 px, a crop of half the side (2 px of slack each way), a 2 px cutout. */
const ALL_ON: AugmentInput = {
  flip: 1,
  rotation: { p: 1, degrees: 20 },
  scale: { p: 1, amount: 0.2 },
  translation: { p: 1, fraction: 0.25 },
  crop: { p: 1, fraction: 0.5 },
  colorJitter: { p: 1, brightness: 0.3, contrast: 0.4, saturation: 0.2 },
  cutout: { p: 1, fraction: 0.25 },
  noise: { p: 1, std: 0.05 },
};

/** ALL_ON with every p set to `p`, strengths unchanged. */
function allAt(p: number): AugmentInput {
  return {
    flip: p,
    rotation: { ...ALL_ON.rotation, p },
    scale: { ...ALL_ON.scale, p },
    translation: { ...ALL_ON.translation, p },
    crop: { ...ALL_ON.crop, p },
    colorJitter: { ...ALL_ON.colorJitter, p },
    cutout: { ...ALL_ON.cutout, p },
    noise: { ...ALL_ON.noise, p },
  };
}

/** Compares a drawn image with the expected one, floats to 12 digits. */
function expectImage(actual: ImageAugment | undefined, expected: ImageAugment): void {
  expect(actual).toBeDefined();
  const a = actual as ImageAugment;
  expect(a.flip).toBe(expected.flip);
  for (const key of ['rotation', 'scale', 'brightness', 'contrast', 'saturation'] as const) expect(a[key], key).toBeCloseTo(expected[key], 12);
  expect(a.shift).toEqual(expected.shift);
  expect(a.crop.fraction).toBe(expected.crop.fraction);
  expect(a.crop.offset[0]).toBeCloseTo(expected.crop.offset[0], 12);
  expect(a.crop.offset[1]).toBeCloseTo(expected.crop.offset[1], 12);
  expect(a.cutout).toEqual(expected.cutout);
  expect(a.noise).toEqual(expected.noise);
}

describe('sampleAugmentParams', () => {
  it('turns each draw into its op in a fixed order: fire, then the strengths, 20 draws per image', () => {
    // flip, rotation (fire, angle), scale (fire, zoom), translation (fire, x, y), crop (fire, x, y),
    // color (fire, brightness, contrast, saturation), cutout (fire, x, y), noise (fire, seed).
    const rng = new ScriptedRng([0, 0, 0.75, 0, 0.25, 0, 0.875, 0.25, 0, 0.75, 0, 0, 0.75, 0.25, 0.875, 0, 0.75, 0, 0, 0.5]);
    const params = sampleAugmentParams(augmentConfig(ALL_ON), 2, 8, rng);
    expect(params.size).toBe(8);
    expect(params.images).toHaveLength(2);
    expect(rng.draws).toBe(40);
    const expected: ImageAugment = {
      flip: true,
      rotation: 0.5 * 20,
      scale: 1 - 0.5 * 0.2,
      shift: [4 - 2, 1 - 2],
      crop: { fraction: 0.5, offset: [0.5 * 2, -1 * 2] },
      brightness: 0.5 * 0.3,
      contrast: 1 - 0.5 * 0.4,
      saturation: 1 + 0.75 * 0.2,
      cutout: { x: 6 - 1, y: 0 - 1, side: 2 },
      noise: { std: 0.05, seed: 2 ** 31 },
    };
    expectImage(params.images[0], expected);
    expectImage(params.images[1], expected);
  });

  it('reaches both ends of every range at p = 1: ±degrees, 1 ± amount, ±max shift, ±crop slack, the cutout anywhere', () => {
    const low = sampleAugmentParams(augmentConfig(ALL_ON), 1, 8, new ScriptedRng([0])).images[0];
    expectImage(low, {
      flip: true,
      rotation: -20,
      scale: 0.8,
      shift: [-2, -2],
      crop: { fraction: 0.5, offset: [-2, -2] },
      brightness: -0.3,
      contrast: 0.6,
      saturation: 0.8,
      cutout: { x: -1, y: -1, side: 2 },
      noise: { std: 0.05, seed: 0 },
    });
    const high = sampleAugmentParams(augmentConfig(ALL_ON), 1, 8, new ScriptedRng([MAX_DRAW])).images[0] as ImageAugment;
    expect(high.rotation).toBeCloseTo(20, 6);
    expect(high.rotation).toBeLessThan(20);
    expect(high.scale).toBeCloseTo(1.2, 6);
    expect(high.shift).toEqual([2, 2]);
    expect(high.crop.offset[0]).toBeCloseTo(2, 6);
    expect(high.crop.offset[1]).toBeCloseTo(2, 6);
    expect([high.brightness, high.contrast, high.saturation].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.3, 1.4, 1.2]);
    expect(high.cutout).toEqual({ x: 7 - 1, y: 7 - 1, side: 2 });
    expect(high.noise).toEqual({ std: 0.05, seed: 2 ** 32 - 1 });
  });

  it('never fires an op at p = 0, even on a draw of 0, nor on a draw equal to p, and draws as many values either way', () => {
    const identity: ImageAugment = {
      flip: false,
      rotation: 0,
      scale: 1,
      shift: [0, 0],
      crop: { fraction: 1, offset: [0, 0] },
      brightness: 0,
      contrast: 1,
      saturation: 1,
      cutout: null,
      noise: null,
    };
    for (const [p, draw] of [[0, 0], [0.5, 0.5]] as const) {
      const rng = new ScriptedRng([draw]);
      const params = sampleAugmentParams(augmentConfig(allAt(p)), 3, 8, rng);
      expect(rng.draws).toBe(60);
      for (const img of params.images) expect(img).toEqual(identity);
    }
  });

  it('draws no cutout when the side rounds to 0 pixels and no noise at σ = 0, even at p = 1', () => {
    for (const fraction of [0, 0.06]) {
      const params = sampleAugmentParams(augmentConfig({ cutout: { p: 1, fraction } }), 4, 8, new Rng(1));
      expect(params.images.map((i) => i.cutout)).toEqual([null, null, null, null]);
    }
    expect(sampleAugmentParams(augmentConfig({ cutout: { p: 1, fraction: 0.07 } }), 1, 8, new Rng(1)).images[0]?.cutout?.side).toBe(1);
    const noise = sampleAugmentParams(augmentConfig({ noise: { p: 1, std: 0 } }), 4, 8, new Rng(1));
    expect(noise.images.map((i) => i.noise)).toEqual([null, null, null, null]);
  });

  it("keeps every other op's draw when one op's p changes, and repeats itself for the same seed", () => {
    const a = sampleAugmentParams(augmentConfig(ALL_ON), 4, 8, new Rng(21));
    const b = sampleAugmentParams(augmentConfig({ ...ALL_ON, flip: 0, colorJitter: { ...ALL_ON.colorJitter, p: 0 } }), 4, 8, new Rng(21));
    expect(b.images.map((i) => ({ ...i, flip: true, brightness: 0, contrast: 1, saturation: 1 }))).toEqual(
      a.images.map((i) => ({ ...i, flip: true, brightness: 0, contrast: 1, saturation: 1 })),
    );
    expect(sampleAugmentParams(augmentConfig(ALL_ON), 4, 8, new Rng(21))).toEqual(a);
    expect(sampleAugmentParams(augmentConfig(ALL_ON), 4, 8, new Rng(22))).not.toEqual(a);
  });
});

describe('hasGeometry', () => {
  it('is false for the identity and true for each geometric op alone, including a shift along one axis', () => {
    expect(hasGeometry(still())).toBe(false);
    expect(hasGeometry(still({ brightness: 0.5, contrast: 2, saturation: 0, cutout: { x: 0, y: 0, side: 2 }, noise: { std: 1, seed: 1 } }))).toBe(false);
    for (const img of [
      still({ flip: true }),
      still({ rotation: 5 }),
      still({ scale: 1.1 }),
      still({ shift: [1, 0] }),
      still({ shift: [0, -1] }),
      still({ crop: { fraction: 0.9, offset: [0, 0] } }),
    ]) {
      expect(hasGeometry(img), JSON.stringify(img)).toBe(true);
    }
  });
});

describe('applyAugmentParams geometry', () => {
  it('translates along one axis alone', () => {
    expect(maxAbsDiff(augmentValues(dots(8, [[5, 5]]), [still({ shift: [2, 0] })]), dots(8, [[5, 7]]).dataSync())).toBe(0);
    expect(maxAbsDiff(augmentValues(dots(8, [[5, 5]]), [still({ shift: [0, -2] })]), dots(8, [[3, 5]]).dataSync())).toBe(0);
  });

  it('moves the crop window by its offset: +x right, +y down in the source', () => {
    // A plane v = (x + 8y)/64 − 0.5 is reproduced exactly by bilinear interpolation.
    const plane = (x: number, y: number): number => (x + 8 * y) / 64 - 0.5;
    const x = tf.tensor4d(Array.from({ length: 64 }, (_, i) => plane(i % 8, Math.floor(i / 8))), [1, 8, 8, 1]);
    const out = augmentValues(x, [still({ crop: { fraction: 0.5, offset: [1, -1] } })]);
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) expect(at(out, x.shape, 0, r, c)).toBeCloseTo(plane(1 + 3.5 + 0.5 * (c - 3.5), -1 + 3.5 + 0.5 * (r - 3.5)), 5);
    }
    x.dispose();
  });
});

describe('describeAugment strengths', () => {
  it('leaves out an op whose p is on but whose strength changes nothing', () => {
    expect(
      describeAugment(
        augmentConfig({
          scale: { p: 1, amount: 0 },
          translation: { p: 1, fraction: 0 },
          crop: { p: 1, fraction: 1 },
          colorJitter: { p: 1, brightness: 0, contrast: 0, saturation: 0 },
          cutout: { p: 1, fraction: 0 },
          noise: { p: 1, std: 0 },
        }),
      ),
    ).toEqual([]);
  });

  it('lists color jitter when any one of brightness, contrast or saturation is on', () => {
    const none = { brightness: 0, contrast: 0, saturation: 0 };
    for (const one of ['brightness', 'contrast', 'saturation'] as const) {
      expect(describeAugment(augmentConfig({ colorJitter: { p: 0.5, ...none, [one]: 0.1 } })), one).toEqual(['colorJitter']);
      expect(describeAugment(augmentConfig({ colorJitter: { p: 0, ...none, [one]: 0.1 } })), one).toEqual([]);
    }
  });

  it('lists ADA only when it has DiffAugment policies to adapt', () => {
    expect(describeAugment(augmentConfig({ diffAugment: ['translation'] }))).toEqual(['diffAugment.translation']);
    // The schema refuses ADA without policies; a stored config read back without that rule may still hold it.
    const stored = StoredTrainingConfig.parse({ augment: { ada: { enabled: true } } }).augment;
    expect(stored.ada.enabled).toBe(true);
    expect(describeAugment(stored)).toEqual([]);
  });
});
