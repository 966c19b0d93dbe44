/** Where one dataset image sits on its thumbnail sprite sheet, as an element's background (element.style, which the CSP allows). */
import type { ThumbSheets } from '@common/datasets';

/** The style of a `cell` × `cell` pixel box showing image `index`. */
export function thumbCellStyle(thumbs: ThumbSheets, index: number, cell: number, sheetUrl: (sheet: string) => string): Record<string, string> {
  const { perSheet, columns, side, sheets } = thumbs;
  const scale = cell / side;
  const sheet = sheets[Math.floor(index / perSheet)] ?? '';
  const within = index % perSheet;
  const x = (within % columns) * side * scale;
  const y = Math.floor(within / columns) * side * scale;
  return {
    backgroundImage: `url("${sheetUrl(sheet)}")`,
    backgroundPosition: `-${x}px -${y}px`,
    backgroundSize: `${columns * side * scale}px auto`,
    width: `${cell}px`,
    height: `${cell}px`,
  };
}
