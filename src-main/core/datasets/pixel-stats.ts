/** Running per-channel mean and standard deviation of packed uint8 pixels (0..255 scale). */

export class ChannelStats {
  private readonly sums: number[];
  private readonly squares: number[];
  private pixels = 0;

  constructor(private readonly channels: number) {
    this.sums = new Array<number>(channels).fill(0);
    this.squares = new Array<number>(channels).fill(0);
  }

  /** One interleaved (HWC) image. Sums stay exact in doubles up to ~1e11 pixels per channel. */
  add(data: Uint8Array): void {
    const c = this.channels;
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      let sq = 0;
      for (let i = ch; i < data.length; i += c) {
        const v = data[i]!;
        sum += v;
        sq += v * v;
      }
      this.sums[ch]! += sum;
      this.squares[ch]! += sq;
    }
    this.pixels += data.length / c;
  }

  result(): { mean: number[]; std: number[] } {
    const n = this.pixels;
    const mean = this.sums.map((s) => (n === 0 ? 0 : s / n));
    // Clamped: rounding can push the variance of a constant channel a hair below zero.
    const std = this.squares.map((q, ch) => (n === 0 ? 0 : Math.sqrt(Math.max(0, q / n - mean[ch]! ** 2))));
    return { mean, std };
  }
}
