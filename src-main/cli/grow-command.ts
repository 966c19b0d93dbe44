/** `grow <run>`: the article's "simplify, then grow" from the command line: one runs.grow call, its report printed, then the grown run followed. */
import { InvalidArgumentError, type Command } from 'commander';
import { growCounts, type GrowReport } from '../common/grow';
import { num, type CliContext } from './context';
import { followRun } from './run-follow';

/** "+1" or "1". */
function depthStep(value: string): number {
  const n = Number(value.trim().replace(/^\+/, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('--depth must be +1, +2, …');
  return n;
}

/** "×2", "x2" or "2": widths can only double. */
function widthFactor(value: string): 2 {
  if (!/^[×xX*]?2$/.test(value.trim())) throw new InvalidArgumentError('--width must be ×2 (or x2): widths double');
  return 2;
}

/** The report as a person reads it: the change, the fade, counts, then every weight by fate. */
export function describeGrowth(report: GrowReport): string {
  const counts = growCounts(report);
  const lines = [
    `grown from ${report.parentRunId} at step ${report.parentStep}: ${report.summary}`,
    report.fade === null ? 'nothing fades in: the grown networks train from their first step' : `new blocks fade in from ${report.fade.from} × ${report.fade.from} to ${report.fade.to} × ${report.fade.to} over ${report.fade.images} images`,
    `${counts.kept} weights kept, ${counts.widened} widened, ${counts.new} new; ${report.copiedValues} of ${report.totalValues} trained values come from the parent`,
  ];
  for (const fate of ['kept', 'widened', 'new'] as const) {
    const weights = report.weights.filter((w) => w.fate === fate);
    if (weights.length === 0) continue;
    lines.push(`${fate}:`);
    for (const w of weights) lines.push(`  ${w.name} [${w.shape.join('×')}]${w.from !== null && w.from !== w.name ? ` ← ${w.from}${w.fromShape ? ` [${w.fromShape.join('×')}]` : ''}` : ''}${fate === 'kept' ? '' : `: ${w.how}`}`);
  }
  if (report.dropped.length > 0) lines.push(`left behind (no place in the grown networks): ${report.dropped.join(', ')}`);
  return lines.join('\n');
}

export function addGrowCommand(program: Command, ctx: CliContext): void {
  program
    .command('grow <run>')
    .description('a new run whose networks are <run>’s grown larger (--size), deeper (--depth +1) or wider (--width ×2), keeping every trained weight that fits; trained in the foreground')
    .option('--size <n>', 'a larger image side: 2×, 4×… the run’s (needs --dataset with images of that size)', num('--size'))
    .option('--depth <+n>', 'blocks to add at the low-resolution end', depthStep)
    .option('--width <×2>', 'double every layer’s channels', widthFactor)
    .option('--dataset <id>', 'the dataset the grown run trains on (default: the run’s own)')
    .option('--steps <n>', 'steps of the grown run (default: the parent’s)', num('--steps'))
    .option('--fade-images <n>', 'images over which the new blocks fade in (--size)', num('--fade-images'))
    .option('--step <n>', 'checkpoint to grow from (default: the newest)', num('--step'))
    .option('--name <name>', 'name of the grown run')
    .option('--no-start', 'create the grown run without training it')
    .action((id: string, o: { size?: number; depth?: number; width?: 2; dataset?: string; steps?: number; fadeImages?: number; step?: number; name?: string; start: boolean }) =>
      ctx.with('write', 'grow', async ({ client }) => {
        const { run, report } = await client.call('runs.grow', {
          id,
          step: o.step,
          size: o.size,
          depth: o.depth,
          widthFactor: o.width,
          datasetId: o.dataset,
          steps: o.steps,
          fadeImages: o.fadeImages,
          name: o.name,
          start: o.start,
        });
        ctx.print({ run, report }, () => `run ${run.id} “${run.name}”\n${describeGrowth(report)}`);
        if (o.start) await followRun(ctx, client, run);
      }),
    );
}
