/** ψ-truncation of latent noise: redrawn coordinates stay inside ±ψ with the truncated normal's spread, lerp scales, and the contract refuses ψ out of each mode's range. */
import { describe, expect, it } from 'vitest';
import { methods } from '../../../src-main/common/contract';
import { Rng } from '../../../src-main/common/rng';
import { describeTruncation, truncateNoise, Truncation, truncationTag } from '../../../src-main/common/truncation';

/** Standard normal density and distribution, for the truncated normal's variance. */
const phi = (x: number) => Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
function Phi(x: number): number {
  // Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7: plenty for a variance checked to 1e-2.
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return 0.5 * (1 + Math.sign(x) * erf);
}

describe('truncateNoise', () => {
  it('resample keeps coordinates inside ±ψ, redraws the rest inside it, and leaves the input alone', () => {
    const noise = new Rng(3, 1).normals(10_000);
    const before = Float32Array.from(noise);
    const out = truncateNoise(noise, { psi: 0.5, mode: 'resample' }, new Rng(3, 2));
    expect(noise).toEqual(before);
    let kept = 0;
    for (let i = 0; i < noise.length; i++) {
      expect(Math.abs(out[i]!)).toBeLessThanOrEqual(0.5);
      if (Math.abs(noise[i]!) <= 0.5) {
        expect(out[i]).toBe(noise[i]);
        kept++;
      }
    }
    // P(|z| ≤ 0.5) = 0.383: the rest were redrawn, not clipped to the bound.
    expect(kept / noise.length).toBeCloseTo(0.383, 1);
    expect(out.filter((v) => Math.abs(v) === 0.5).length).toBe(0);
  });

  it('gives the truncated normal: mean 0 and variance 1 − 2ψφ(ψ)/(2Φ(ψ) − 1)', () => {
    for (const psi of [0.5, 1, 2]) {
      const out = truncateNoise(new Rng(11, 1).normals(200_000), { psi, mode: 'resample' }, new Rng(11, 2));
      let sum = 0;
      let sq = 0;
      for (const v of out) {
        sum += v;
        sq += v * v;
      }
      const mean = sum / out.length;
      const expected = 1 - (2 * psi * phi(psi)) / (2 * Phi(psi) - 1);
      expect(Math.abs(mean)).toBeLessThan(0.01);
      expect(sq / out.length - mean * mean).toBeCloseTo(expected, 2);
    }
  });

  it('is reproducible from the same stream, and differs with another', () => {
    const noise = new Rng(5, 1).normals(512);
    const t = { psi: 0.7, mode: 'resample' } as const;
    expect(truncateNoise(noise, t, new Rng(5, 10))).toEqual(truncateNoise(noise, t, new Rng(5, 10)));
    expect(truncateNoise(noise, t, new Rng(5, 10))).not.toEqual(truncateNoise(noise, t, new Rng(6, 10)));
  });

  it('lerp moves z toward the mean latent 0: ψ·z', () => {
    const noise = new Rng(2, 1).normals(64);
    const out = truncateNoise(noise, { psi: 0.6, mode: 'lerp' }, new Rng(2, 2));
    out.forEach((v, i) => expect(v).toBe(Math.fround(0.6 * noise[i]!)));
    expect(truncateNoise(noise, { psi: 0, mode: 'lerp' }, new Rng(2, 2)).every((v) => v === 0)).toBe(true);
  });
});

describe('the Truncation schema', () => {
  it('defaults to resample and refuses ψ outside each mode’s range, naming psi and the range', () => {
    expect(Truncation.parse({ psi: 0.7 })).toEqual({ psi: 0.7, mode: 'resample' });
    expect(Truncation.parse({ psi: 1, mode: 'lerp' })).toEqual({ psi: 1, mode: 'lerp' });
    const refusal = (value: unknown) => Truncation.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(refusal({ psi: 0.05 })).toEqual(['psi: ψ must be between 0.1 and 4 for resample truncation (got 0.05)']);
    expect(refusal({ psi: 1.5, mode: 'lerp' })).toEqual(['psi: ψ must be between 0 and 1 for lerp truncation (got 1.5)']);
    expect(refusal({ psi: 4.5 })).toEqual(['psi: ψ must be between 0.1 and 4 for resample truncation (got 4.5)']);
    expect(Truncation.safeParse({ psi: 0.7, extra: 1 }).success).toBe(false);
  });

  it('is checked where the API takes it: generate and export', () => {
    const generate = methods['runs.generate'].request.safeParse({ id: 'run_abc', spec: { kind: 'classes', truncation: { psi: -1 } } });
    expect(generate.error?.issues.map((i) => i.path.join('.'))).toEqual(['spec.truncation.psi']);
    const exported = methods['runs.export'].request.safeParse({ id: 'run_abc', truncation: { psi: 2, mode: 'lerp' } });
    expect(exported.error?.issues.map((i) => i.path.join('.'))).toEqual(['truncation.psi']);
    expect(methods['runs.export'].request.parse({ id: 'run_abc' }).truncation).toBeUndefined();
  });
});

describe('how a truncation is named', () => {
  it('in file names and captions', () => {
    expect(truncationTag(null)).toBe('');
    expect(truncationTag({ psi: 0.7, mode: 'resample' })).toBe('-psi0.7');
    expect(truncationTag({ psi: 0.5, mode: 'lerp' })).toBe('-psi0.5lerp');
    expect(describeTruncation(undefined)).toBe('no truncation');
    expect(describeTruncation({ psi: 0.7, mode: 'resample' })).toBe('ψ 0.7');
    expect(describeTruncation({ psi: 0.5, mode: 'lerp' })).toBe('ψ 0.5 (lerp)');
  });
});
