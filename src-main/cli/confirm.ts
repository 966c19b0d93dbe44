/** Asks before a command destroys something: yes/no on a terminal; elsewhere only `--yes` lets it go ahead. */
import { createInterface } from 'node:readline/promises';
import { ApiError } from '../common/client/transport-port';
import type { CliContext } from './context';

/** True to go ahead. Without a terminal nobody can answer, so a script must say --yes rather than delete by accident. */
export async function confirm(ctx: CliContext, question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!ctx.io.interactive) throw new ApiError('INVALID_REQUEST', `${question} Pass --yes to confirm without a terminal.`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** What a command prints when the person said no: nothing was changed, and the exit code says so. */
export function declined(ctx: CliContext): void {
  ctx.print({ deleted: false }, () => 'nothing deleted');
  ctx.exitCode = 1;
}
