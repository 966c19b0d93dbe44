/** CLI commands over runs and configs: train in the foreground, list runs, print metrics, export, resolve a config. */
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { WorkbenchClient } from '../common/client/client';
import { ApiError } from '../common/client/transport-port';
import { deepMerge, parseOverride, resolveConfig } from '../common/config-resolve';
import { ACTIVE_STATUSES, type Run } from '../common/domain';
import { PRESETS, PRESET_NAMES } from '../common/presets';
import { collect, int, type CliContext } from './context';

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ApiError('INVALID_REQUEST', `cannot read the config file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The file's partial config with each `--set a.b=value` merged over it: the patch the core resolves against the preset. */
function configPatch(file: string | undefined, sets: readonly string[]): Record<string, unknown> {
  return sets.reduce((patch, s) => deepMerge(patch, parseOverride(s)), readConfigFile(file));
}

/** Resolves once the run is no longer queued, running or paused: from its status events, checked against the store. */
function settled(client: WorkbenchClient, id: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (run: Run) => {
      if (done) return;
      done = true;
      off();
      clearInterval(poll);
      resolve(run);
    };
    const check = () =>
      client.call('runs.get', { id }).then((run) => {
        if (!ACTIVE_STATUSES.includes(run.status)) finish(run);
      }, (e: unknown) => {
        if (done) return;
        done = true;
        off();
        clearInterval(poll);
        reject(e);
      });
    const off = client.on('run.status', (p) => {
      if (p.runId !== id || ACTIVE_STATUSES.includes(p.status)) return;
      // The event is the truth even when the store could not record it (see TrainerHost.settleUnrecorded).
      void client.call('runs.get', { id }).then((run) => finish({ ...run, status: p.status, reason: p.reason }), () => undefined);
    });
    // A server that goes away sends no more events: asking now and then notices.
    const poll = setInterval(check, 2000);
    void check();
  });
}

/** First Ctrl+C: stop after a checkpoint. Second: stop at once; the run resumes from its last checkpoint. */
function stopOnSignals(client: WorkbenchClient, id: string): () => void {
  let count = 0;
  const onSignal = () => {
    count++;
    const immediate = count > 1;
    process.stderr.write(
      immediate ? '\nstopping at once (no final checkpoint)\n' : '\nstopping after a checkpoint; press Ctrl+C again to stop at once\n',
    );
    client.call('runs.stop', { id, immediate }).catch((e: unknown) => process.stderr.write(`could not stop: ${e instanceof Error ? e.message : String(e)}\n`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
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
    .description('create a run and train it in the foreground until its steps are done (Ctrl+C stops it after a checkpoint)')
    .requiredOption('--dataset <id>', 'dataset id')
    .option('--preset <name>', `start from a preset (${PRESET_NAMES.join(', ')})`)
    .option('--config <file>', 'JSON file with a partial training config')
    .option('--set <path=value>', 'override one key, e.g. --set optimizerD.lr=0.0004 (repeatable)', collect)
    .option('--steps <n>', 'steps to train (same as --set steps=N)', int('--steps', 1, 10_000_000))
    .option('--name <name>', 'run name')
    .action((o: { dataset: string; preset?: string; config?: string; set?: string[]; steps?: number; name?: string }) =>
      ctx.with('write', 'train', async ({ client }) => {
        const sets = [...(o.set ?? []), ...(o.steps === undefined ? [] : [`steps=${o.steps}`])];
        const config = configPatch(o.config, sets);
        const run = await client.call('runs.create', { datasetId: o.dataset, name: o.name, preset: o.preset, config, start: true });
        const progress = ctx.bar('training');
        progress?.start(run.config.steps, 0, { extra: '' });
        const off = client.on('run.metrics', (p) => {
          const last = p.runId === run.id ? p.points.at(-1) : undefined;
          if (last) progress?.update(last.step, { extra: `D ${last.values.d_loss?.toFixed(3)} G ${last.values.g_loss?.toFixed(3)}` });
        });
        const release = stopOnSignals(client, run.id);
        try {
          const final = await settled(client, run.id);
          progress?.stop();
          const [summary] = await client.call('runs.summaries', { ids: [run.id] });
          const last = summary?.last ?? {};
          ctx.print({ run: final, lastMetrics: last }, () =>
            [
              `run ${final.id} ${final.status} at step ${final.step}/${final.config.steps} on ${final.backend ?? 'no backend'}`,
              ...(final.reason ? [`${final.status === 'stopped' ? 'note' : 'reason'}: ${final.reason.message}`] : []),
              ...Object.entries(last).map(([k, v]) => `  ${k} = ${v}`),
            ].join('\n'),
          );
          if (final.status !== 'completed') process.exitCode = 1;
        } finally {
          release();
          off();
          progress?.stop();
        }
      }),
    );

  program
    .command('export <run>')
    .description("export a run's generator (EMA copy when EMA is on) as a TensorFlow.js model folder")
    .option('--step <n>', 'checkpoint step (default: the newest)', int('--step', 0, 10_000_000))
    .requiredOption('--out <dir>', 'folder to create (must not exist or be empty)')
    .action((runId: string, o: { step?: number; out: string }) => {
      const out = resolve(o.out);
      if (existsSync(out) && readdirSync(out).length > 0) {
        throw new ApiError('CONFLICT', `${out} exists and is not empty; choose a new folder`);
      }
      return ctx.with('write', 'export', async ({ client }) => {
        const result = await client.call('runs.export', { id: runId, step: o.step });
        // With --server the export lies in the server's data directory, which is this machine's when it serves on 127.0.0.1.
        if (!existsSync(result.absolutePath)) {
          throw new ApiError('NOT_FOUND', `the export was written on the server at ${result.absolutePath}, which this machine cannot read`);
        }
        cpSync(result.absolutePath, out, { recursive: true });
        ctx.print({ ...result, out }, () => `exported the generator of run ${runId} at step ${result.step} to ${out}`);
      });
    });

  program
    .command('runs')
    .description('list runs')
    .action(() =>
      ctx.with('read', 'runs', async ({ client }) => {
        const list = await client.call('runs.list');
        ctx.print(list, () =>
          list.length ? list.map((r) => `${r.id}  ${r.status.padEnd(11)} ${r.step}/${r.config.steps}  ${r.name}`).join('\n') : 'no runs',
        );
      }),
    );

  program
    .command('metrics <run>')
    .description("print a run's metric series (bucketed) and last values")
    .option('--max-points <n>', 'points per series', int('--max-points', 2, 10_000), 50)
    .action((runId: string, o: { maxPoints: number }) =>
      ctx.with('read', 'metrics', async ({ client }) => {
        const series = await client.call('runs.metrics', { id: runId, maxPoints: o.maxPoints });
        const [summary] = await client.call('runs.summaries', { ids: [runId] });
        const last = summary?.last ?? {};
        ctx.print({ runId, last, series }, () =>
          series.map((s) => `${s.key.padEnd(16)} last=${last[s.key]}  points=${s.points.length}`).join('\n') || 'no metrics yet',
        );
      }),
    );
}
