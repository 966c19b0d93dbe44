/** The partial training config a command sends: a JSON file with `--set a.b=value` merged over it; the core resolves it against the preset. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiError } from '../common/client/transport-port';
import { deepMerge, parseOverride } from '../common/config-resolve';
import { PRESET_NAMES } from '../common/presets';
import { collect, num } from './context';

export interface ConfigPatchOptions {
  preset?: string;
  config?: string;
  set?: string[];
  steps?: number;
}

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ApiError('INVALID_REQUEST', `cannot read the config file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `--steps N` is `--set steps=N`, written last so that it wins. */
export function configPatch(o: ConfigPatchOptions): Record<string, unknown> {
  const sets = [...(o.set ?? []), ...(o.steps === undefined ? [] : [`steps=${o.steps}`])];
  return sets.reduce((patch, s) => deepMerge(patch, parseOverride(s)), readConfigFile(o.config));
}

/** --preset, --config, --set and --steps, as train and fork take them; `presetHelp` says what the preset applies to. */
export function configPatchOptions(command: Command, presetHelp: string): Command {
  return command
    .option('--preset <name>', `${presetHelp} (${PRESET_NAMES.join(', ')})`)
    .option('--config <file>', 'JSON file with a partial training config')
    .option('--set <path=value>', 'override one key, e.g. --set optimizerD.lr=0.0004 (repeatable)', collect)
    .option('--steps <n>', 'steps to train (same as --set steps=N)', num('--steps'));
}
