/** The Store: one SQLite database and its repositories. The main process is its only writer. */
import { durableTransaction, openDatabase, type Db, type OpenOptions } from './database';
import { DatasetsRepo } from './datasets-repo';
import { EvaluationsRepo } from './evaluations-repo';
import { EventsRepo } from './events-repo';
import { MetricsRepo } from './metrics-repo';
import { RunsRepo } from './runs-repo';
import { CheckpointsRepo, SamplesRepo } from './samples-repo';
import { SettingsRepo } from './settings-repo';

export class Store {
  readonly datasets: DatasetsRepo;
  readonly runs: RunsRepo;
  readonly metrics: MetricsRepo;
  readonly samples: SamplesRepo;
  readonly checkpoints: CheckpointsRepo;
  readonly events: EventsRepo;
  readonly evaluations: EvaluationsRepo;
  readonly settings: SettingsRepo;

  constructor(readonly db: Db) {
    this.datasets = new DatasetsRepo(db);
    this.runs = new RunsRepo(db);
    this.metrics = new MetricsRepo(db);
    this.samples = new SamplesRepo(db);
    this.checkpoints = new CheckpointsRepo(db);
    this.events = new EventsRepo(db);
    this.evaluations = new EvaluationsRepo(db);
    this.settings = new SettingsRepo(db);
  }

  static open(file: string, opts?: OpenOptions): Store {
    return new Store(openDatabase(file, opts));
  }

  /** Several repositories' writes in one transaction committed with synchronous=FULL (see durableTransaction). */
  durably<T>(fn: () => T): T {
    return durableTransaction(this.db, fn);
  }

  close(): void {
    this.db.close();
  }
}
