/** A translation run's sample picture: one row per fixed validation image, input | output | target (paired), or image | translated | translated back (unpaired, A's rows then B's). */
import { tileGrid } from '../../common/grid-layout';
import { imageBytes, type SampleGrid } from '../sample-grid';

/** One column of a triplet grid: `count` images of size × size × channels in [-1, 1]. */
export interface TripletColumn {
  images: Float32Array;
  channels: number;
}

/** The displayable channels of a column: a grey input shown in colour rows, a masked input without its mask channel. */
function cell(column: TripletColumn, index: number, pixels: number, channels: 1 | 3): Float32Array {
  const out = new Float32Array(pixels * channels);
  const c = column.channels;
  for (let i = 0; i < pixels; i++) {
    for (let k = 0; k < channels; k++) out[i * channels + k] = column.images[(index * pixels + i) * c + (c === 1 ? 0 : k)] ?? 0;
  }
  return out;
}

/** Rows of the given columns side by side, with the grid border of every other picture. */
export function tileTriplets(columns: readonly TripletColumn[], rows: number, size: number, channels: 1 | 3): SampleGrid {
  const pixels = size * size;
  const cells = new Float32Array(rows * columns.length * pixels * channels);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    for (const column of columns) {
      cells.set(cell(column, r, pixels, channels), at);
      at += pixels * channels;
    }
  }
  const tiled = tileGrid(imageBytes(cells, cells.length), { rows, cols: columns.length, cellSize: size, channels });
  return { width: tiled.width, height: tiled.height, channels, pixels: tiled.pixels };
}
