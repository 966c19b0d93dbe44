/** Translating an image larger than the training size: overlapping tiles of the training size, each blended by a tent window so no seam shows. */

/** Tile origins along one side: every half tile, the last one flush with the edge, so each pixel lies in at least one tile (and most in two). */
export function tileStarts(extent: number, size: number): number[] {
  if (extent < size) throw new Error(`an image side of ${extent} is smaller than one tile (${size})`);
  const stride = Math.max(1, Math.floor(size / 2));
  const starts: number[] = [];
  for (let s = 0; s + size < extent; s += stride) starts.push(s);
  starts.push(extent - size);
  return starts;
}

/** The tent weight of a tile's pixel i: highest in the middle, small but positive at the edges, where a tile knows least of its surroundings. */
function tent(i: number, size: number): number {
  return Math.min(i + 1, size - i);
}

/**
 * Runs `translate` on every tile (a batch of `count` tiles of size × size × inChannels, HWC) of an image of
 * width × height × inChannels and blends the outputs (outChannels each) by their tent weights.
 */
export async function translateTiled(
  translate: (tiles: Float32Array, count: number) => Promise<Float32Array>,
  image: Float32Array,
  width: number,
  height: number,
  inChannels: number,
  outChannels: number,
  size: number,
): Promise<Float32Array> {
  const xs = tileStarts(width, size);
  const ys = tileStarts(height, size);
  const origins = ys.flatMap((y) => xs.map((x) => [x, y] as const));
  const tileIn = size * size * inChannels;
  const tiles = new Float32Array(origins.length * tileIn);
  origins.forEach(([x0, y0], t) => {
    for (let y = 0; y < size; y++) {
      const from = ((y0 + y) * width + x0) * inChannels;
      tiles.set(image.subarray(from, from + size * inChannels), t * tileIn + y * size * inChannels);
    }
  });
  const outputs = await translate(tiles, origins.length);
  const sum = new Float64Array(width * height * outChannels);
  const weight = new Float64Array(width * height);
  origins.forEach(([x0, y0], t) => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const w = tent(x, size) * tent(y, size);
        const pixel = (y0 + y) * width + x0 + x;
        weight[pixel] = (weight[pixel] ?? 0) + w;
        const at = ((t * size + y) * size + x) * outChannels;
        for (let c = 0; c < outChannels; c++) sum[pixel * outChannels + c] = (sum[pixel * outChannels + c] ?? 0) + w * (outputs[at + c] ?? 0);
      }
    }
  });
  const out = new Float32Array(sum.length);
  for (let i = 0; i < out.length; i++) out[i] = (sum[i] ?? 0) / (weight[Math.floor(i / outChannels)] ?? 1);
  return out;
}
