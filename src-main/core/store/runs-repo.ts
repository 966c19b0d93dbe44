/** SQL of the runs table: create, read, update status, recover runs left active by a crash. */
import { ACTIVE_STATUSES, type Run, type RunStatus } from '../../common/domain';
import { reason as makeReason, type RunReason } from '../../common/run-reasons';
import { CONFIG_VERSION, readStoredConfig } from '../../common/config-version';
import type { ProcessIdentity } from '../process-identity';
import { durableTransaction, type Db } from './database';

interface RunRow {
  id: string;
  name: string;
  dataset_id: string;
  status: RunStatus;
  config_json: string;
  config_version: number;
  step: number;
  backend: string | null;
  reason_json: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  last_checkpoint_step: number | null;
  parent_run_id: string | null;
  parent_step: number | null;
  preset: string | null;
  tags_json: string;
  notes: string;
}

const SELECT_RUN = `SELECT r.*, (SELECT MAX(c.step) FROM checkpoints c WHERE c.run_id = r.id) AS last_checkpoint_step FROM runs r`;

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    name: r.name,
    datasetId: r.dataset_id,
    status: r.status,
    config: readStoredConfig(JSON.parse(r.config_json), r.config_version),
    step: r.step,
    backend: r.backend,
    reason: r.reason_json === null ? null : (JSON.parse(r.reason_json) as RunReason),
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    lastCheckpointStep: r.last_checkpoint_step,
    parentRunId: r.parent_run_id,
    parentStep: r.parent_step,
    preset: r.preset,
    tags: JSON.parse(r.tags_json) as string[],
    notes: r.notes,
  };
}

export type RunPatch = Partial<Pick<Run, 'status' | 'step' | 'backend' | 'reason' | 'startedAt' | 'endedAt' | 'name' | 'notes' | 'tags'>> & {
  /** The process that trains (or queued) the run: only runs whose owner is gone are recovered at start-up. */
  owner?: ProcessIdentity | null;
};

const COLUMNS: Record<keyof RunPatch, string> = {
  status: 'status',
  step: 'step',
  backend: 'backend',
  reason: 'reason_json',
  owner: 'owner_json',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  name: 'name',
  notes: 'notes',
  tags: 'tags_json',
};

/** A new row: labels (preset, tags, notes) may be left out and start empty. */
export type NewRun = Omit<Run, 'lastCheckpointStep' | 'preset' | 'tags' | 'notes'> & Partial<Pick<Run, 'preset' | 'tags' | 'notes'>>;

export class RunsRepo {
  constructor(private readonly db: Db) {}

  /** Durable: the run's folder exists before its row, and a row that rolled back would leave that folder orphaned. */
  insert(run: NewRun): void {
    durableTransaction(this.db, () => this.db
      .prepare(
        `INSERT INTO runs (id, name, dataset_id, status, config_json, config_version, step, backend, reason_json, created_at, started_at, ended_at, parent_run_id, parent_step, preset, tags_json, notes)
         VALUES (@id, @name, @datasetId, @status, @config, ${CONFIG_VERSION}, @step, @backend, @reason, @createdAt, @startedAt, @endedAt, @parentRunId, @parentStep, @preset, @tags, @notes)`,
      )
      .run({
        id: run.id,
        name: run.name,
        datasetId: run.datasetId,
        status: run.status,
        config: JSON.stringify(run.config),
        step: run.step,
        backend: run.backend,
        reason: run.reason === null ? null : JSON.stringify(run.reason),
        createdAt: run.createdAt,
        startedAt: run.startedAt,
        endedAt: run.endedAt,
        parentRunId: run.parentRunId,
        parentStep: run.parentStep,
        preset: run.preset ?? null,
        tags: JSON.stringify(run.tags ?? []),
        notes: run.notes ?? '',
      }));
  }

  get(id: string): Run | undefined {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row && toRun(row);
  }

  list(): Run[] {
    return (this.db.prepare(`${SELECT_RUN} ORDER BY r.created_at DESC, r.id`).all() as RunRow[]).map(toRun);
  }

  /** Runs training on the dataset, or taking it as their targets or domain B (`task.datasetB`): each needs its images. */
  countUsingDataset(datasetId: string): number {
    return (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM runs WHERE dataset_id = @id OR json_extract(config_json, '$.task.datasetB') = @id`)
        .get({ id: datasetId }) as { n: number }
    ).n;
  }

  update(id: string, patch: RunPatch): void {
    const keys = (Object.keys(patch) as (keyof RunPatch)[]).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    const sets = keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ');
    const values: Record<string, unknown> = { ...patch, id };
    if (patch.tags) values['tags'] = JSON.stringify(patch.tags);
    if (patch.reason !== undefined) values['reason'] = patch.reason === null ? null : JSON.stringify(patch.reason);
    if (patch.owner !== undefined) values['owner'] = patch.owner === null ? null : JSON.stringify(patch.owner);
    const update = () => this.db.prepare(`UPDATE runs SET ${sets} WHERE id = @id`).run(values);
    // A status (running, completed, interrupted…) must not roll back behind the files the run wrote since.
    if (patch.status !== undefined) durableTransaction(this.db, update);
    else update();
  }

  /**
   * Runs the database still calls active whose owning process is gone (a crash, a kill, a power cut):
   * running and paused ones become interrupted (resumable from their last checkpoint), queued ones stopped.
   * Runs whose owner still lives are left alone: that process is training them.
   */
  recoverOrphans(now: string, ownerGone: (owner: ProcessIdentity | null) => boolean): string[] {
    const active = ACTIVE_STATUSES.map(() => '?').join(', ');
    const rows = this.db.prepare(`SELECT id, status, owner_json FROM runs WHERE status IN (${active})`).all(...ACTIVE_STATUSES) as {
      id: string;
      status: RunStatus;
      owner_json: string | null;
    }[];
    const orphans = rows.filter((r) => ownerGone(r.owner_json === null ? null : (JSON.parse(r.owner_json) as ProcessIdentity)));
    const why = makeReason('APP_STOPPED', 'the app or server that was training this run stopped while it was active');
    const update = this.db.prepare(`UPDATE runs SET status = ?, ended_at = ?, reason_json = ?, owner_json = NULL WHERE id = ?`);
    durableTransaction(this.db, () => {
      for (const r of orphans) update.run(r.status === 'queued' ? 'stopped' : 'interrupted', now, JSON.stringify(why), r.id);
    });
    return orphans.map((r) => r.id);
  }

  /** Forks of the run outlive it: they keep their own checkpoints and only forget where they came from. */
  delete(id: string): void {
    durableTransaction(this.db, () => {
      this.db.prepare('UPDATE runs SET parent_run_id = NULL, parent_step = NULL WHERE parent_run_id = ?').run(id);
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    });
  }
}
