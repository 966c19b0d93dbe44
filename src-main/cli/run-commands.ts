/** CLI commands over runs and configs: train in the foreground, list runs, print metrics, resolve a config. */
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveConfig } from '../common/config-resolve';
import { WorkbenchError } from '../common/errors';
import { PRESETS, PRESET_NAMES } from '../common/presets';
import { createEventHub } from '../transport/event-hub';
import { collect, int, type CliContext } from './context';

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new WorkbenchError('INVALID_REQUEST', `cannot read the config file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function addRunCommands(program: Command, ctx: CliContext): void {
  program
    .command('config')
    .description('print the resolved training config, or the exact validation errors')
    .option('--preset <name>', `start from a preset (${PRESET_NAMES.join(', ')})`)
    .option('--config <file>', 'JSON file with a partial config')
    .option('--set <path=value>', 'override one key, e.g. --set loss.type=hinge (repeatable)', collect)
    .option('--list-presets', 'list the presets')
    .action((o: { preset?: string; config?: string; set?: string[]; listPresets?: boolean }) => {
      if (o.listPresets) {
        const list = PRESET_NAMES.map((name) => ({ name, summary: PRESETS[name].summary }));
        return ctx.print(list, () => list.map((p) => `${p.name.padEnd(12)} ${p.summary}`).join('\n'));
      }
      const r = resolveConfig({ preset: o.preset, config: readConfigFile(o.config), overrides: o.set });
      if (r.ok) return ctx.print(r.config, () => JSON.stringify(r.config, null, 2));
      ctx.print({ error: { code: 'INVALID_REQUEST', message: 'invalid training config', details: { issues: r.issues } } }, () =>
        ['invalid training config:', ...r.issues.map((i) => `  ${i.path}: ${i.message}`)].join('\n'),
      );
      process.exitCode = 2;
    });

  program
    .command('train')
    .description('create a run and train it in the foreground until its steps are done')
    .requiredOption('--dataset <id>', 'dataset id')
    .option('--preset <name>', `start from a preset (${PRESET_NAMES.join(', ')})`)
    .option('--config <file>', 'JSON file with a partial training config')
    .option('--set <path=value>', 'override one key, e.g. --set optimizerD.lr=0.0004 (repeatable)', collect)
    .option('--steps <n>', 'steps to train (same as --set steps=N)', int('--steps', 1, 10_000_000))
    .option('--name <name>', 'run name')
    .action(async (o: { dataset: string; preset?: string; config?: string; set?: string[]; steps?: number; name?: string }) => {
      const hub = createEventHub();
      const wb = ctx.open(hub);
      try {
        const overrides = [...(o.set ?? []), ...(o.steps === undefined ? [] : [`steps=${o.steps}`])];
        const r = resolveConfig({ preset: o.preset, config: readConfigFile(o.config), overrides });
        if (!r.ok) {
          const issues = r.issues.map((i) => ({ ...i, path: i.path === 'preset' ? i.path : `config.${i.path}` }));
          throw new WorkbenchError('INVALID_REQUEST', `invalid training config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
        }
        const run = wb.runs.create({ datasetId: o.dataset, name: o.name, preset: o.preset, config: r.config, start: true });
        const progress = ctx.bar('training');
        progress?.start(run.config.steps, 0, { extra: '' });
        hub.subscribe((event, payload) => {
          if (event !== 'run.metrics' || !progress) return;
          const last = (payload as { points: { step: number; values: Record<string, number> }[] }).points.at(-1);
          if (last) progress.update(last.step, { extra: `D ${last.values.d_loss?.toFixed(3)} G ${last.values.g_loss?.toFixed(3)}` });
        });
        const onSignal = () => wb.host.stop(run.id);
        process.once('SIGINT', onSignal);
        const final = await wb.host.whenSettled(run.id);
        process.off('SIGINT', onSignal);
        progress?.stop();
        const last = wb.store.metrics.last(run.id);
        ctx.print({ run: final, lastMetrics: last }, () =>
          [
            `run ${final.id} ${final.status} at step ${final.step}/${final.config.steps} on ${final.backend ?? 'no backend'}`,
            ...(final.error ? [`error: ${final.error}`] : []),
            ...Object.entries(last).map(([k, v]) => `  ${k} = ${v}`),
          ].join('\n'),
        );
        if (final.status !== 'completed') process.exitCode = 1;
      } finally {
        wb.close();
      }
    });

  program
    .command('export <run>')
    .description("export a run's generator (EMA copy when EMA is on) as a TensorFlow.js model folder")
    .option('--step <n>', 'checkpoint step (default: the newest)', int('--step', 0, 10_000_000))
    .requiredOption('--out <dir>', 'folder to create (must not exist or be empty)')
    .action(async (runId: string, o: { step?: number; out: string }) => {
      const wb = ctx.open();
      try {
        const out = resolve(o.out);
        if (existsSync(out) && readdirSync(out).length > 0) {
          throw new WorkbenchError('CONFLICT', `${out} exists and is not empty; choose a new folder`);
        }
        const result = await wb.exporter.export(runId, o.step);
        cpSync(result.absolutePath, out, { recursive: true });
        ctx.print({ ...result, out }, () => `exported the generator of run ${runId} at step ${result.step} to ${out}`);
      } finally {
        wb.close();
      }
    });

  program
    .command('runs')
    .description('list runs')
    .action(() => {
      const wb = ctx.open();
      try {
        const list = wb.runs.list();
        ctx.print(list, () =>
          list.length ? list.map((r) => `${r.id}  ${r.status.padEnd(11)} ${r.step}/${r.config.steps}  ${r.name}`).join('\n') : 'no runs',
        );
      } finally {
        wb.close();
      }
    });

  program
    .command('metrics <run>')
    .description("print a run's metric series (bucketed) and last values")
    .option('--max-points <n>', 'points per series', int('--max-points', 2, 10_000), 50)
    .action((runId: string, o: { maxPoints: number }) => {
      const wb = ctx.open();
      try {
        const series = wb.runs.metrics(runId, undefined, o.maxPoints);
        const last = wb.store.metrics.last(runId);
        ctx.print({ runId, last, series }, () =>
          series.map((s) => `${s.key.padEnd(16)} last=${last[s.key]}  points=${s.points.length}`).join('\n') || 'no metrics yet',
        );
      } finally {
        wb.close();
      }
    });
}
