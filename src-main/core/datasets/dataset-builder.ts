/** Packs decoded images, in the order given, into one dataset folder: pixels, thumbnails, statistics, preview, labels and manifest. */
import { dirname, resolve } from 'node:path';
import type { ImportFit, ImportLayout } from '../../common/datasets';
import type { RejectedFile } from '../../common/domain';
import { heldOutIndices } from '../../common/held-out';
import { requireSpace } from '../disk-space';
import { assignClasses } from './classes';
import {
  imageBytes,
  LABELS_FILE,
  Manifest,
  MANIFEST_FILE,
  PACKED_FORMAT_VERSION,
  PREVIEW_FILE,
  PREVIEW_MAX_IMAGES,
  type ProvenanceEntry,
} from './packed-format';
import { PackedWriter } from './packed-writer';
import { ChannelStats } from './pixel-stats';
import { writePreviewGrid } from './preview-grid';
import { SourceSizeHistogram } from './source-sizes';
import { ThumbSheetWriter } from './thumb-sheets';

export interface DatasetBuilderOptions {
  /** Final dataset folder; must not exist yet. Built as `<destDir>.partial-XXXXXX` and renamed by commit(). */
  destDir: string;
  id: string;
  name: string;
  size: number;
  channels: 1 | 3;
  options: { layout: ImportLayout; fit: ImportFit; background: string };
  /** Recorded as the dataset's source. */
  sourcePath: string;
  /** Images that may come: sizes the preview and the free-space check. */
  candidates: number;
  /** What the space check names when it refuses. */
  what: string;
}

/** One packed image's provenance, with its candidate class (first subfolder) or null. */
export interface PackedEntry {
  file: string;
  sha1: string;
  width: number;
  height: number;
  format: string;
  topDir: string | null;
}

/** What the manifest records beyond the packed images. */
export interface BuilderFinish {
  rejects: RejectedFile[];
  skipped: RejectedFile[];
  fingerprint: string;
}

export class DatasetBuilder {
  private readonly stats: ChannelStats;
  private readonly sourceSizes = new SourceSizeHistogram();
  private readonly preview: Buffer;
  private readonly packed: PackedEntry[] = [];
  private readonly bytesPerImage: number;

  private constructor(
    private readonly opts: DatasetBuilderOptions,
    private readonly writer: PackedWriter,
    private readonly thumbs: ThumbSheetWriter,
  ) {
    this.bytesPerImage = imageBytes(opts);
    this.stats = new ChannelStats(opts.channels);
    this.preview = Buffer.alloc(Math.min(PREVIEW_MAX_IMAGES, opts.candidates) * this.bytesPerImage);
  }

  /** Refuses at once when the disk cannot hold the candidates, rather than fail half way. */
  static async create(opts: DatasetBuilderOptions): Promise<DatasetBuilder> {
    const destDir = resolve(opts.destDir);
    // Pixels, plus thumbnails and the manifest (a generous 50%).
    await requireSpace(dirname(destDir), Math.ceil(opts.candidates * imageBytes(opts) * 1.5), opts.what);
    const writer = await PackedWriter.create(destDir);
    return new DatasetBuilder(opts, writer, new ThumbSheetWriter(writer, opts.size, opts.channels));
  }

  get count(): number {
    return this.packed.length;
  }

  /** Appends one image (size x size x channels) and its thumbnail; images keep the order of the calls. */
  async add(entry: PackedEntry, pixels: Buffer, thumb: Buffer): Promise<void> {
    const at = this.packed.length * this.bytesPerImage;
    if (at < this.preview.length) this.preview.set(pixels, at);
    this.stats.add(pixels);
    this.sourceSizes.add(entry.width, entry.height);
    this.packed.push(entry);
    await this.writer.appendImage(pixels);
    await this.thumbs.add(thumb);
  }

  /** Writes everything but publishes nothing: commit() does. The manifest is written last: a folder with one is complete. */
  async finish(extra: BuilderFinish): Promise<Manifest> {
    const { opts, packed } = this;
    const { size, channels } = opts;
    await this.writer.finishImages();
    const thumbInfo = await this.thumbs.finish();
    const assignment = assignClasses(packed.map((p) => (opts.options.layout === 'flat' ? null : p.topDir)));
    await this.writer.writeFile(LABELS_FILE, assignment.labels);
    const previewCount = Math.min(PREVIEW_MAX_IMAGES, packed.length);
    await writePreviewGrid(this.preview, previewCount, size, channels, await this.writer.prepareFile(PREVIEW_FILE));
    const manifest = Manifest.parse({
      format: 'gan-workbench/packed-dataset',
      version: PACKED_FORMAT_VERSION,
      id: opts.id,
      name: opts.name,
      sourcePath: opts.sourcePath,
      size,
      channels,
      count: packed.length,
      classes: assignment.classes,
      files: packed.map(({ topDir: _topDir, ...entry }, i): ProvenanceEntry => ({ ...entry, classIndex: assignment.classIndices[i] ?? -1 })),
      rejects: extra.rejects,
      skipped: extra.skipped,
      stats: this.stats.result(),
      classHistogram: assignment.histogram,
      unlabelled: assignment.unlabelled,
      preview: PREVIEW_FILE,
      warnings: assignment.warnings,
      createdAt: new Date().toISOString(),
      options: opts.options,
      sourceSizes: this.sourceSizes.result(),
      thumbs: thumbInfo,
      fingerprint: extra.fingerprint,
      heldOut: heldOutIndices(packed.length),
    } satisfies Manifest);
    await this.writer.writeFile(MANIFEST_FILE, `${JSON.stringify(manifest, null, 1)}\n`);
    return manifest;
  }

  /** Moves the finished folder into place (atomic rename). */
  commit(): Promise<void> {
    return this.writer.commit();
  }

  /** Removes the partial folder; never throws, so it cannot mask the error that caused it. */
  async discard(): Promise<void> {
    await this.thumbs.settle();
    await this.writer.discard();
  }
}
