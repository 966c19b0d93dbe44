/** Histogram of the longer side of the imported source images, to show how far they were scaled. */
import { SOURCE_SIZE_EDGES } from './packed-format';

export class SourceSizeHistogram {
  private readonly counts = SOURCE_SIZE_EDGES.map(() => 0);

  add(width: number, height: number): void {
    const side = Math.max(width, height);
    let bin = 0;
    while (bin + 1 < SOURCE_SIZE_EDGES.length && side >= SOURCE_SIZE_EDGES[bin + 1]!) bin++;
    this.counts[bin]!++;
  }

  result(): { edges: number[]; counts: number[] } {
    return { edges: [...SOURCE_SIZE_EDGES], counts: [...this.counts] };
  }
}
