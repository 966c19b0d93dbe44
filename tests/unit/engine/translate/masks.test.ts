/** drawMasks: reproducible from the Rng stream (and across a saved state), 0/1 only, one in-bounds rectangle, strokes covering a useful fraction. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src-main/common/rng';
import { drawMasks } from '../../../../src-main/engine/translate/masks';

const KINDS = ['rect', 'strokes'] as const;

/** The fraction of each image's pixels that are 1. */
function covers(mask: Float32Array, n: number, size: number): number[] {
  return Array.from({ length: n }, (_, i) => mask.subarray(i * size * size, (i + 1) * size * size).reduce((a, b) => a + b, 0) / size ** 2);
}

describe('drawMasks', () => {
  for (const kind of KINDS) {
    it(`${kind}: the same seed and stream give the same masks, another seed or stream others, and values are 0 or 1`, () => {
      const a = drawMasks(kind, 6, 32, new Rng(7, 4));
      expect(drawMasks(kind, 6, 32, new Rng(7, 4))).toEqual(a);
      expect(drawMasks(kind, 6, 32, new Rng(8, 4))).not.toEqual(a);
      expect(drawMasks(kind, 6, 32, new Rng(7, 5))).not.toEqual(a);
      expect(a.length).toBe(6 * 32 * 32);
      expect(a.every((v) => v === 0 || v === 1)).toBe(true);
      // Images of one batch differ from each other.
      expect(a.subarray(0, 1024)).not.toEqual(a.subarray(1024, 2048));
    });

    it(`${kind}: a run resumed from a saved Rng state draws the very masks it would have drawn`, () => {
      const rng = new Rng(3, 1);
      drawMasks(kind, 4, 16, rng);
      const saved = JSON.parse(JSON.stringify(rng.getState())) as ReturnType<Rng['getState']>;
      const next = drawMasks(kind, 4, 16, rng);
      const resumed = new Rng(999);
      resumed.setState(saved);
      expect(drawMasks(kind, 4, 16, resumed)).toEqual(next);
    });
  }

  it('rect: exactly one filled axis-aligned rectangle per image, sides uniform over [size/4, size/2] and inside the image', () => {
    const n = 400;
    const size = 32;
    const mask = drawMasks('rect', n, size, new Rng(11, 2));
    const sides = new Set<number>();
    for (let i = 0; i < n; i++) {
      let [top, left, bottom, right, count] = [size, size, -1, -1, 0];
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          if (mask[i * size * size + y * size + x] !== 1) continue;
          [top, left, bottom, right] = [Math.min(top, y), Math.min(left, x), Math.max(bottom, y), Math.max(right, x)];
          count++;
        }
      }
      const [h, w] = [bottom - top + 1, right - left + 1];
      expect(count).toBe(h * w); // the bounding box is wholly filled: one rectangle
      for (const side of [h, w]) {
        expect(side).toBeGreaterThanOrEqual(8);
        expect(side).toBeLessThanOrEqual(16);
        sides.add(side);
      }
    }
    // Every side length from 8 to 16 occurs, ends included.
    expect([...sides].sort((a, b) => a - b)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('strokes: cover between 5% and 60% of every image at MNIST to 256 px sizes, ≈20% on average, and are thick lines, not speckle', () => {
    for (const size of [28, 64, 256]) {
      const n = size === 256 ? 50 : 300;
      const mask = drawMasks('strokes', n, size, new Rng(size, 6));
      const cover = covers(mask, n, size);
      expect(Math.min(...cover)).toBeGreaterThan(0.05);
      expect(Math.max(...cover)).toBeLessThan(0.6);
      const mean = cover.reduce((a, b) => a + b, 0) / n;
      expect(mean).toBeGreaterThan(0.12);
      expect(mean).toBeLessThan(0.35);
      // A brush ~size/10 wide: most masked pixels have a masked pixel on both sides horizontally or vertically.
      let inner = 0;
      let masked = 0;
      for (let i = 0; i < n; i++) {
        for (let y = 1; y < size - 1; y++) {
          for (let x = 1; x < size - 1; x++) {
            const at = (dy: number, dx: number): number => mask[i * size * size + (y + dy) * size + x + dx] ?? 0;
            if (at(0, 0) !== 1) continue;
            masked++;
            if ((at(0, -1) === 1 && at(0, 1) === 1) || (at(-1, 0) === 1 && at(1, 0) === 1)) inner++;
          }
        }
      }
      expect(inner / masked).toBeGreaterThan(0.6); // ≈ 0.77 at 28 px; independent 20% speckle would give ≈ 0.08
    }
  });
});
