/** The ψ-truncation options that `generate` and `export` share: --psi and --truncation; the contract checks the range. */
import type { Command } from 'commander';
import { ApiError } from '../common/client/transport-port';
import { PSI_RANGE, TRUNCATION_MODES, type TruncationMode } from '../common/truncation';
import { num } from './context';

export interface TruncationOptions {
  psi?: number;
  truncation?: string;
}

export function addTruncationOptions(command: Command): Command {
  const ranges = TRUNCATION_MODES.map((m) => `${m} ${PSI_RANGE[m].min}–${PSI_RANGE[m].max}`).join(', ');
  return command
    .option('--psi <ψ>', `ψ-truncation of the noise (${ranges}); none when left out`, num('--psi'))
    .option('--truncation <mode>', `how ψ truncates: ${TRUNCATION_MODES.join(' (redraw coordinates outside ±ψ) or ')} (z ← ψ·z); default resample`);
}

/** The request's truncation: none without --psi; a mode alone is a mistake worth naming. */
export function truncationOf(o: TruncationOptions): { psi: number; mode?: TruncationMode } | undefined {
  if (o.psi === undefined) {
    if (o.truncation !== undefined) throw new ApiError('INVALID_REQUEST', '--truncation needs --psi (the ψ to truncate at)');
    return undefined;
  }
  return { psi: o.psi, ...(o.truncation !== undefined ? { mode: o.truncation as TruncationMode } : {}) };
}
