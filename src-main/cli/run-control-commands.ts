/** CLI commands that control a run: resume, pause, stop, fork, rename, delete; each is one contract call (resume and fork then follow the run). */
import type { Command } from 'commander';
import type { Run } from '../common/domain';
import { configPatch, configPatchOptions, type ConfigPatchOptions } from './config-patch';
import { confirm, declined } from './confirm';
import { num, type CliContext } from './context';
import { followRun } from './run-follow';

function describeRun(run: Run): string {
  return `run ${run.id} ${run.status} at step ${run.step}/${run.config.steps}${run.reason ? ` (${run.reason.message})` : ''}`;
}

export function addRunControlCommands(program: Command, ctx: CliContext): void {
  program
    .command('resume <run>')
    .description('continue a run in the foreground: a paused one where it is, a stopped, interrupted or failed one from its last checkpoint')
    .action((id: string) =>
      ctx.with('write', 'resume', async ({ client }) => {
        // Two doors in the contract: a paused run still has its trainer (runs.resume), any other starts one (runs.start).
        const { status } = await client.call('runs.get', { id });
        const run = await client.call(status === 'paused' ? 'runs.resume' : 'runs.start', { id });
        await followRun(ctx, client, run);
      }),
    );

  program
    .command('pause <run>')
    .description('pause a training run (on the app or server that trains it: use --server)')
    .action((id: string) =>
      ctx.with('write', 'pause', async ({ client }) => {
        const run = await client.call('runs.pause', { id });
        ctx.print(run, () => describeRun(run));
      }),
    );

  program
    .command('stop <run>')
    .description('stop a queued, running or paused run after a checkpoint; it can be resumed')
    .option('--now', 'stop at once, without a final checkpoint (the run resumes from its last one)')
    .action((id: string, o: { now?: boolean }) =>
      ctx.with('write', 'stop', async ({ client }) => {
        const run = await client.call('runs.stop', { id, immediate: o.now });
        ctx.print(run, () => describeRun(run));
      }),
    );

  configPatchOptions(program.command('fork <run>'), "lay a preset's settings over the parent's config")
    .description("a new run from a checkpoint of <run> with changed settings, trained in the foreground (weights carry over when the networks keep their shape)")
    .option('--step <n>', 'checkpoint step (default: the newest)', num('--step'))
    .option('--name <name>', 'name of the new run')
    .option('--no-start', 'create the fork queued, without training it')
    .action((id: string, o: ConfigPatchOptions & { step?: number; name?: string; start: boolean }) =>
      ctx.with('write', 'fork', async ({ client }) => {
        const run = await client.call('runs.fork', { id, step: o.step, name: o.name, preset: o.preset, config: configPatch(o), start: o.start });
        if (o.start) await followRun(ctx, client, run);
        else ctx.print(run, () => `${describeRun(run)}, forked from ${run.parentRunId} at step ${run.parentStep}`);
      }),
    );

  program
    .command('rename <run> <name>')
    .description('rename a run')
    .action((id: string, name: string) =>
      ctx.with('write', 'rename', async ({ client }) => {
        const run = await client.call('runs.update', { id, name });
        ctx.print(run, () => `run ${run.id} is now “${run.name}”`);
      }),
    );

  program
    .command('delete <run>')
    .description('delete a run with its checkpoints, samples and exports (refused while it trains)')
    .option('--yes', 'do not ask for confirmation')
    .action((id: string, o: { yes?: boolean }) =>
      ctx.with('write', 'delete', async ({ client }) => {
        const run = await client.call('runs.get', { id });
        if (!(await confirm(ctx, `Delete run ${id} “${run.name}” (${run.status}, step ${run.step}) and all its files?`, o.yes))) return declined(ctx);
        await client.call('runs.delete', { id });
        ctx.print({ deleted: true, id }, () => `deleted run ${id}`);
      }),
    );
}
