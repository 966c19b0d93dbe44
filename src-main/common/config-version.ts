/** The version of the stored training config, and the migrations that bring a run stored by an older version to today's shape. */
import { WorkbenchError } from './errors';
import { StoredTrainingConfig, type TrainingConfig } from './training-config';

/** The version new runs are stored with. Raise it, and add a migration, whenever a field is renamed, moved or removed. */
export const CONFIG_VERSION = 4;

type RawConfig = Record<string, unknown>;

/**
 * MIGRATIONS[v] rewrites a version-v config as version v + 1. A field that is only added needs no
 * migration: the schema's default fills it (as for model.gProjectionNorm and compute.threads).
 */
const MIGRATIONS: Record<number, (config: RawConfig) => RawConfig> = {
  // Version 1: every run stored before configs carried a version. Its fields are version 2's; what
  // changed is that it is read without the caps and cross-field rules added since (StoredTrainingConfig).
  1: (config) => config,
  // Version 3: EMA's per-step `decay` became a half-life in images with a ramp-up (StyleGAN2-ADA).
  2: emaDecayToHalfLife,
  // Version 4: the best checkpoint is no longer chosen by a loss (bestMetric) but by the lowest KID of
  // the evaluated checkpoints, or is the newest when none is evaluated (issue 12); `evaluation` is new.
  3: ({ bestMetric: _dropped, ...rest }) => rest,
};

/** Version 2's defaults, which a stored config without the field had. */
const V2_EMA_DECAY = 0.999;
const V2_BATCH_SIZE = 64;

const isObject = (v: unknown): v is RawConfig => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A decay d per step of `batchSize` images is the half-life batchSize·ln 0.5 / ln d images, with no
 * ramp-up: 0.5^(batchSize / half-life) gives back d, so a stored run resumes with the β it trained with.
 */
function emaDecayToHalfLife(config: RawConfig): RawConfig {
  const stabilizers = isObject(config['stabilizers']) ? config['stabilizers'] : {};
  const ema = isObject(stabilizers['ema']) ? stabilizers['ema'] : {};
  const { decay = V2_EMA_DECAY, ...rest } = ema;
  const batchSize = typeof config['batchSize'] === 'number' ? config['batchSize'] : V2_BATCH_SIZE;
  // A non-number decay is carried over as it is, for the schema to refuse by name.
  const migrated = typeof decay === 'number' ? { halfLifeImages: (batchSize * Math.log(0.5)) / Math.log(decay), rampup: 0 } : { decay };
  return { ...config, stabilizers: { ...stabilizers, ema: { ...rest, ...migrated } } };
}

/** A stored config of `version`, migrated to CONFIG_VERSION and read with the schema stored runs get; CONFLICT for a version this app cannot read. */
export function readStoredConfig(raw: unknown, version: number): TrainingConfig {
  if (!Number.isInteger(version) || version < 1) throw new WorkbenchError('CONFLICT', `config version ${version} is not a version of GAN Workbench`);
  if (version > CONFIG_VERSION) {
    throw new WorkbenchError('CONFLICT', `this run's config is version ${version}, from a newer GAN Workbench (this one reads up to ${CONFIG_VERSION}); update the app`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new WorkbenchError('CONFLICT', 'a stored config must be a JSON object');
  let config = raw as RawConfig;
  for (let v = version; v < CONFIG_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (migrate === undefined) throw new WorkbenchError('CONFLICT', `no migration from config version ${v}`);
    config = migrate(config);
  }
  return StoredTrainingConfig.parse(config);
}
