/** SQL of the datasets table. */
import { DatasetClassifier } from '../../common/classifier';
import type { Dataset } from '../../common/domain';
import { SyntheticProvenance } from '../../common/synthetic';
import { durableTransaction, type Db } from './database';

interface DatasetRow {
  id: string;
  name: string;
  source_path: string;
  size: number;
  channels: number;
  count: number;
  classes_json: string;
  rejected_count: number;
  preview_path: string | null;
  created_at: string;
  synthetic_json: string | null;
  held_out_count: number;
  classifier_json: string | null;
  pair_dataset_id: string | null;
  pair_role: string | null;
}

function toDataset(r: DatasetRow): Dataset {
  return {
    id: r.id,
    name: r.name,
    sourcePath: r.source_path,
    size: r.size,
    channels: r.channels === 1 ? 1 : 3,
    count: r.count,
    classes: JSON.parse(r.classes_json) as string[],
    rejectedCount: r.rejected_count,
    previewPath: r.preview_path,
    createdAt: r.created_at,
    heldOut: r.held_out_count,
    synthetic: r.synthetic_json === null ? null : SyntheticProvenance.parse(JSON.parse(r.synthetic_json)),
    classifier: r.classifier_json === null ? null : DatasetClassifier.parse(JSON.parse(r.classifier_json)),
    pair: r.pair_dataset_id === null ? null : { datasetId: r.pair_dataset_id, role: r.pair_role === 'B' ? 'B' : 'A' },
  };
}

export class DatasetsRepo {
  constructor(private readonly db: Db) {}

  /** `fingerprint` identifies the source content (see scan-folder.ts), for re-import detection. */
  /** Durable: the dataset's folder is in place before its row, and a sweep removes folders without one. */
  insert(d: Dataset, fingerprint = ''): void {
    durableTransaction(this.db, () => this.insertRow(d, fingerprint));
  }

  /** Both halves of a paired import or neither: durable like insert. */
  insertPair(a: Dataset, b: Dataset, fingerprint = ''): void {
    durableTransaction(this.db, () => {
      this.insertRow(a, fingerprint);
      this.insertRow(b, fingerprint);
    });
  }

  private insertRow({ pair, ...d }: Dataset, fingerprint: string): void {
    this.db
      .prepare(
        `INSERT INTO datasets (id, name, source_path, size, channels, count, classes_json, rejected_count, preview_path, created_at, source_fingerprint, synthetic_json, held_out_count, classifier_json, pair_dataset_id, pair_role)
         VALUES (@id, @name, @sourcePath, @size, @channels, @count, @classes, @rejectedCount, @previewPath, @createdAt, @fingerprint, @synthetic, @heldOut, @classifier, @pairId, @pairRole)`,
      )
      .run({
        ...d,
        classes: JSON.stringify(d.classes),
        fingerprint,
        synthetic: d.synthetic === null ? null : JSON.stringify(d.synthetic),
        classifier: d.classifier === null ? null : JSON.stringify(d.classifier),
        pairId: pair?.datasetId ?? null,
        pairRole: pair?.role ?? null,
      });
  }

  /** Durable: a finished classifier's report is what evaluations of the dataset measure with from then on. */
  setClassifier(id: string, classifier: DatasetClassifier | null): void {
    durableTransaction(this.db, () => this.db.prepare('UPDATE datasets SET classifier_json = ? WHERE id = ?').run(classifier === null ? null : JSON.stringify(classifier), id));
  }

  /** Trainings that were under way when the workbench last stopped: they will never finish, so they failed. */
  failInterruptedClassifiers(at: string): number {
    const error = 'the workbench stopped while the classifier trained; train it again';
    return this.db
      .prepare(`UPDATE datasets SET classifier_json = ? WHERE json_extract(classifier_json, '$.status') = 'training'`)
      .run(JSON.stringify({ status: 'failed', error, at }))
      .changes;
  }

  rename(id: string, name: string): void {
    this.db.prepare('UPDATE datasets SET name = ? WHERE id = ?').run(name, id);
  }

  /** Datasets imported from this source path or from content with this fingerprint, newest first. */
  findRelated(sourcePath: string, fingerprint: string): Dataset[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM datasets WHERE source_path = @sourcePath OR (@fingerprint != '' AND source_fingerprint = @fingerprint)
         ORDER BY created_at DESC, id`,
      )
      .all({ sourcePath, fingerprint }) as DatasetRow[];
    return rows.map(toDataset);
  }

  get(id: string): Dataset | undefined {
    const row = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;
    return row && toDataset(row);
  }

  list(): Dataset[] {
    return (this.db.prepare('SELECT * FROM datasets ORDER BY created_at DESC, id').all() as DatasetRow[]).map(toDataset);
  }

  findBySource(sourcePath: string, size: number, channels: number): Dataset | undefined {
    const row = this.db
      .prepare('SELECT * FROM datasets WHERE source_path = ? AND size = ? AND channels = ? ORDER BY created_at DESC LIMIT 1')
      .get(sourcePath, size, channels) as DatasetRow | undefined;
    return row && toDataset(row);
  }

  /**
   * Durable: the folder is removed next, and a delete that rolled back would leave a row without its images.
   * The partner of a paired half stays, as an ordinary dataset: it no longer has a pair. Answers the ids whose pair was cleared.
   */
  delete(id: string): string[] {
    return durableTransaction(this.db, () => {
      const partners = (this.db.prepare('SELECT id FROM datasets WHERE pair_dataset_id = ?').all(id) as { id: string }[]).map((r) => r.id);
      this.db.prepare('UPDATE datasets SET pair_dataset_id = NULL, pair_role = NULL WHERE pair_dataset_id = ?').run(id);
      this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
      return partners;
    });
  }
}
