/** Everything the dataset page shows beyond the row: statistics, histograms, thumbnail sheets, labels; read from the manifest. */
import type { DatasetDetails } from '../../common/datasets';
import type { Dataset } from '../../common/domain';
import type { Manifest } from './packed-format';

/** `datasetPath` is the dataset folder relative to the data directory (`datasets/<id>`). */
export function detailsOf(dataset: Dataset, manifest: Manifest, datasetPath: string): DatasetDetails {
  return {
    dataset,
    options: manifest.options,
    stats: manifest.stats,
    classHistogram: manifest.classHistogram,
    unlabelled: manifest.unlabelled,
    sourceSizes: manifest.sourceSizes,
    thumbs: manifest.thumbs && { ...manifest.thumbs, sheets: manifest.thumbs.sheets.map((s) => `${datasetPath}/${s}`) },
    labels: manifest.files.map((f) => f.classIndex),
    skipped: manifest.skipped,
    warnings: manifest.warnings,
  };
}

/** Manifests of large datasets are megabytes of JSON; the few last opened are kept (they never change). */
export class ManifestCache {
  private readonly entries = new Map<string, Manifest>();

  constructor(private readonly capacity = 4) {}

  async get(id: string, load: () => Promise<Manifest>): Promise<Manifest> {
    const hit = this.entries.get(id);
    if (hit) {
      // Re-inserted to mark it as the most recently used.
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const manifest = await load();
    this.entries.set(id, manifest);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return manifest;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
