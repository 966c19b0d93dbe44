/** CLI commands over runs and configs: resolve a config, train in the foreground, list runs, print metrics, export. */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ApiError } from '../common/client/transport-port';
import { methods } from '../common/contract';
import { configAdvice, type ConfigAdvice } from '../common/config-advice';
import type { Dataset, ExportFormat } from '../common/domain';
import { PRESET_NAMES } from '../common/presets';
import { SYNTHETIC_DEFAULT_IMAGES, syntheticImport } from '../common/synthetic';
import { describeTruncation } from '../common/truncation';
import { configPatch, configPatchOptions, type ConfigPatchOptions } from './config-patch';
import { collect, num, type CliContext } from './context';
import { followRun } from './run-follow';
import { addTruncationOptions, truncationOf, type TruncationOptions } from './truncation-options';

/** Advice goes to stderr, beside the result: the config or run it is about stays the one document on stdout. */
/** The formats and the default for --help, from the contract. */
const formatField = methods['runs.export'].request.shape.format;
const minConfidenceField = methods['runs.export'].request.shape.minConfidence;

function adviseOn(ctx: CliContext, advice: readonly ConfigAdvice[]): void {
  for (const a of advice) ctx.note(`advice: ${a.path}: ${a.message} (${Object.entries(a.suggest).map(([k, v]) => `--set ${k}=${v}`).join(' ')})`);
}

interface ExportOptions extends TruncationOptions {
  step?: number;
  format?: string;
  out?: string;
  count?: number;
  unbalanced?: boolean;
  seed?: number;
  minConfidence?: number;
  import?: boolean;
  name?: string;
}

export function addRunCommands(program: Command, ctx: CliContext): void {
  program
    .command('config')
    .description('print the resolved training config, or the exact validation errors')
    .option('--preset <name>', `start from a preset (${PRESET_NAMES.join(', ')})`)
    .option('--config <file>', 'JSON file with a partial config')
    .option('--set <path=value>', 'override one key, e.g. --set loss.type=hinge (repeatable)', collect)
    .option('--list-presets', 'list the presets')
    .action((o: ConfigPatchOptions & { listPresets?: boolean }) =>
      ctx.with('read', 'config', async ({ client }) => {
        if (o.listPresets) {
          const list = (await client.call('config.presets')).map(({ name, summary }) => ({ name, summary }));
          return ctx.print(list, () => list.map((p) => `${p.name.padEnd(12)} ${p.summary}`).join('\n'));
        }
        const r = await client.call('config.resolve', { preset: o.preset, config: configPatch(o) });
        if (r.ok) {
          adviseOn(ctx, r.advice);
          return ctx.print(r.config, () => JSON.stringify(r.config, null, 2));
        }
        // As every refusal: the JSON error document on stdout, or the text on stderr (stdout is for a config to save).
        if (ctx.options.json) ctx.print({ error: { code: 'INVALID_REQUEST', message: 'invalid training config', details: { issues: r.issues } } }, () => '');
        else ctx.note(['error: invalid training config:', ...r.issues.map((i) => `  ${i.path}: ${i.message}`)].join('\n'));
        ctx.exitCode = 2;
      }),
    );

  configPatchOptions(program.command('train'), 'start from a preset')
    .description('create a run and train it in the foreground until its steps are done (Ctrl+C stops it after a checkpoint)')
    .requiredOption('--dataset <id>', 'dataset id')
    .option('--name <name>', 'run name')
    .action((o: ConfigPatchOptions & { dataset: string; name?: string }) =>
      ctx.with('write', 'train', async ({ client }) => {
        const run = await client.call('runs.create', { datasetId: o.dataset, name: o.name, preset: o.preset, config: configPatch(o), start: true });
        adviseOn(ctx, configAdvice(run.config));
        await followRun(ctx, client, run);
      }),
    );

  addTruncationOptions(program.command('export <run>'))
    .description(
      "export a run's generator (EMA copy when EMA is on) as a TensorFlow.js model folder, an ONNX model or a web page, with an example and a README; or N generated images as a synthetic dataset",
    )
    .option('--step <n>', 'checkpoint step (default: the newest)', num('--step'))
    .option('--format <format>', `${formatField.description} One of ${formatField.def.innerType.options.join(', ')} (default: ${formatField.def.defaultValue})`)
    .option('--count <n>', `dataset: images to generate (default ${SYNTHETIC_DEFAULT_IMAGES})`, num('--count'))
    .option('--unbalanced', 'dataset: draw each image’s class at random instead of equal numbers per class')
    .option('--seed <n>', 'dataset: seed of the noise and labels (default 0)', num('--seed'))
    .option('--min-confidence <p>', minConfidenceField.description ?? '', num('--min-confidence'))
    .option('--import', 'dataset: also import the images as a new dataset, marked synthetic')
    .option('--name <name>', 'dataset: name of the imported dataset')
    .option('--out <dir>', 'folder to create (must not exist or be empty); optional with --import')
    .action((runId: string, o: ExportOptions) => {
      if (o.out === undefined && !o.import) throw new ApiError('INVALID_REQUEST', 'give --out DIR (or, for --format dataset, --import)');
      if ((o.import || o.name !== undefined) && o.format !== 'dataset') throw new ApiError('INVALID_REQUEST', '--import and --name go with --format dataset');
      const out = o.out === undefined ? undefined : resolve(o.out);
      if (out !== undefined && existsSync(out) && readdirSync(out).length > 0) {
        throw new ApiError('CONFLICT', `${out} exists and is not empty; choose a new folder`);
      }
      return ctx.with('write', 'export', async ({ client }) => {
        const result = await client.call('runs.export', {
          id: runId,
          step: o.step,
          format: o.format as ExportFormat | undefined,
          truncation: truncationOf(o),
          ...(o.count !== undefined ? { count: o.count } : {}),
          ...(o.unbalanced ? { balanced: false } : {}),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.minConfidence !== undefined ? { minConfidence: o.minConfidence } : {}),
        });
        const psi = result.truncation ? `, sampled with ${describeTruncation(result.truncation)}` : '';
        const lines: string[] = [];
        if (out !== undefined) {
          // With --server the export lies in the server's data directory, which is this machine's when it serves on 127.0.0.1.
          if (!existsSync(result.absolutePath)) {
            throw new ApiError('NOT_FOUND', `the export was written on the server at ${result.absolutePath}, which this machine cannot read`);
          }
          cpSync(result.absolutePath, out, { recursive: true });
          lines.push(`exported the generator of run ${runId} at step ${result.step} (${result.format}${psi}) to ${out}`);
        }
        let dataset: Dataset | undefined;
        if (o.import) {
          const run = await client.call('runs.get', { id: runId });
          const source = await client.call('datasets.get', { id: run.datasetId });
          dataset = (await client.call('datasets.import', syntheticImport(result.absolutePath, source, result.step, o.name))).dataset;
          lines.push(`imported ${dataset.count} images from run ${runId} at step ${result.step}${psi} as dataset ${dataset.id} (${dataset.name})`);
          const f = dataset.synthetic?.filter;
          if (f) lines.push(`kept where the classifier gave the class at least ${f.minConfidence}: ${f.kept} of ${f.drawn} drawn (${(f.acceptanceRate * 100).toFixed(1)}%)`);
        }
        ctx.print({ ...result, ...(out !== undefined ? { out } : {}), ...(dataset ? { dataset } : {}) }, () => lines.join('\n'));
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
    .option('--max-points <n>', 'points per series', num('--max-points'), 50)
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
