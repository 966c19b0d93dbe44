/** SQL of the evaluations table: one quality evaluation per checkpoint of a run, with the provenance each value depends on. */
import { InDomainSummary, type RunEvaluation } from '../../common/quality';
import { durableTransaction, type Db } from './database';

interface EvaluationRow {
  run_id: string;
  step: number;
  dataset_id: string;
  seed: number;
  weights: RunEvaluation['weights'];
  network: string;
  network_name: string;
  preprocessing: string;
  backend: string;
  n_generated: number;
  n_real: number;
  fd: number;
  kid_mean: number;
  kid_std: number;
  kid_se: number;
  precision: number;
  recall: number;
  copy_ratio: number;
  flagged: number;
  seconds: number;
  created_at: string;
  coverage: number | null;
  in_domain_json: string | null;
}

const toEvaluation = (r: EvaluationRow): RunEvaluation => ({
  runId: r.run_id,
  step: r.step,
  datasetId: r.dataset_id,
  seed: r.seed,
  weights: r.weights,
  provenance: { network: r.network, networkName: r.network_name, preprocessing: r.preprocessing, backend: r.backend, nGenerated: r.n_generated, nReal: r.n_real },
  fd: r.fd,
  kid: { mean: r.kid_mean, std: r.kid_std, standardError: r.kid_se },
  precision: r.precision,
  recall: r.recall,
  coverage: r.coverage,
  copyRatio: r.copy_ratio,
  flagged: r.flagged === 1,
  inDomain: r.in_domain_json === null ? null : InDomainSummary.parse(JSON.parse(r.in_domain_json)),
  seconds: r.seconds,
  createdAt: r.created_at,
});

export class EvaluationsRepo {
  constructor(private readonly db: Db) {}

  /** Stores an evaluation durably; an earlier one of the same checkpoint is replaced. */
  put(e: RunEvaluation): void {
    const p = e.provenance;
    durableTransaction(this.db, () => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO evaluations (run_id, step, dataset_id, seed, weights, network, network_name, preprocessing, backend, n_generated, n_real,
             fd, kid_mean, kid_std, kid_se, precision, recall, copy_ratio, flagged, seconds, created_at, coverage, in_domain_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.runId,
          e.step,
          e.datasetId,
          e.seed,
          e.weights,
          p.network,
          p.networkName,
          p.preprocessing,
          p.backend,
          p.nGenerated,
          p.nReal,
          e.fd,
          e.kid.mean,
          e.kid.std,
          e.kid.standardError,
          e.precision,
          e.recall,
          e.copyRatio,
          e.flagged ? 1 : 0,
          e.seconds,
          e.createdAt,
          e.coverage,
          e.inDomain === null ? null : JSON.stringify(e.inDomain),
        );
    });
  }

  /** A run's evaluations by step, also of checkpoints pruned since. */
  list(runId: string): RunEvaluation[] {
    return (this.db.prepare('SELECT * FROM evaluations WHERE run_id = ? ORDER BY step').all(runId) as EvaluationRow[]).map(toEvaluation);
  }

  /** The KID of each evaluated checkpoint of a run, by step. */
  kids(runId: string): { step: number; kid: number }[] {
    return this.db.prepare('SELECT step, kid_mean AS kid FROM evaluations WHERE run_id = ? ORDER BY step').all(runId) as { step: number; kid: number }[];
  }
}
