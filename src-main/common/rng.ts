/** A small seeded PRNG (sfc32) whose whole state is four numbers, so a run can resume bit-exactly; pure JS, so the engine and core draw from the same one. */

export type RngState = [number, number, number, number];

/** What getState() returns; plain numbers so it survives JSON. */
export interface RngSnapshot {
  words: RngState;
  spareNormal: number | null;
}

/** Checks a value read back from JSON before it becomes RNG state. */
export function isRngSnapshot(value: unknown): value is RngSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { words, spareNormal } = value as Record<string, unknown>;
  const wordsOk = Array.isArray(words) && words.length === 4 && words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32);
  return wordsOk && (spareNormal === null || typeof spareNormal === 'number');
}

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Box–Muller yields normals in pairs; the spare one is part of the state. */
  private spareNormal: number | null = null;

  /** `stream` gives independent sequences from one seed (batches, noise, sample grid…). */
  constructor(seed: number, stream = 0) {
    // splitmix32 spreads nearby seeds and streams (0, 1, 2…) into unrelated starting states.
    let s = ((seed >>> 0) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = 1;
    // The first outputs of sfc32 are still correlated with the seed; burn them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`nextInt needs a positive integer, got ${n}`);
    return Math.floor(this.nextFloat() * n);
  }

  /** Standard normal sample. */
  nextNormal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    // 1 - u keeps the log argument in (0, 1].
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fills a new Float32Array with standard normals. */
  normals(count: number): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.nextNormal();
    return out;
  }

  getState(): RngSnapshot {
    return { words: [this.a, this.b, this.c, this.d], spareNormal: this.spareNormal };
  }

  setState(state: RngSnapshot): void {
    const [a, b, c, d] = state.words;
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    this.spareNormal = state.spareNormal;
  }
}

/** The first `m` entries of a seeded random permutation of 0…n−1 (a partial Fisher–Yates shuffle). */
export function drawOrder(rng: Rng, n: number, m = n): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + rng.nextInt(n - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, m);
}
