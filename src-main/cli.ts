/** Command line over the same core: import, datasets, train, runs, metrics, serve. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import pkg from '../package.json';
import { WorkbenchError } from './common/errors';
import { defaultDataDir } from './core/default-data-dir';
import { forkLauncher } from './core/trainer/fork-launcher';
import { createWorkbench, type Workbench } from './core/workbench';
import { startHeadless } from './headless';
import { createEventHub, type EventHub } from './transport/event-hub';

const here = dirname(fileURLToPath(import.meta.url));
/** From source (tsx) the trainer is a .ts file that needs the same loader; built, it sits beside this file. */
const fromSource = import.meta.url.endsWith('.ts');
const trainer = fromSource
  ? { entry: join(here, 'utility', 'trainer.ts'), execArgv: ['--import', 'tsx'] }
  : { entry: join(here, 'trainer.js'), execArgv: [] };
const staticDir = fromSource ? resolve(here, '..', 'out', 'renderer') : resolve(here, '..', 'renderer');

interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  backend?: string;
}

const program = new Command()
  .name('workbench')
  .description('GAN Workbench from the command line')
  .version(pkg.version)
  .option('--data-dir <dir>', 'data directory', undefined)
  .option('--json', 'print one JSON document on stdout')
  .option('--backend <name>', 'force a compute backend (tensorflow-gpu, tensorflow, wasm, cpu)');

function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

function open(hub: EventHub = createEventHub()): Workbench {
  const g = globals();
  return createWorkbench({
    dataDir: resolve(g.dataDir ?? defaultDataDir()),
    launcher: forkLauncher({ entry: trainer.entry, execArgv: trainer.execArgv }),
    emit: hub.emit,
    mode: 'headless',
    version: pkg.version,
    backend: g.backend,
  });
}

function print(json: unknown, text: () => string) {
  process.stdout.write(globals().json ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
}

function int(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

function bar(label: string): cliProgress.SingleBar | null {
  if (globals().json || !process.stderr.isTTY) return null;
  return new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {extra}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
}

program
  .command('import <folder>')
  .description('import a folder of images (class subfolders become classes)')
  .option('--size <px>', 'square size of the imported images', int('--size', 8, 256), 64)
  .option('--channels <n>', '1 (grayscale) or 3 (RGB)', (v) => {
    if (v !== '1' && v !== '3') throw new InvalidArgumentError('--channels must be 1 or 3');
    return Number(v) as 1 | 3;
  }, 3 as 1 | 3)
  .option('--name <name>', 'dataset name (default: the folder name)')
  .action(async (folder: string, o: { size: number; channels: 1 | 3; name?: string }) => {
    const hub = createEventHub();
    const wb = open(hub);
    const progress = bar('importing');
    let started = false;
    hub.subscribe((event, payload) => {
      if (event !== 'dataset.importProgress' || !progress) return;
      const p = payload as { done: number; total: number; rejected: number; phase: string };
      if (!started) {
        progress.start(Math.max(1, p.total), 0, { extra: '' });
        started = true;
      }
      progress.setTotal(Math.max(1, p.total));
      progress.update(p.done, { extra: `${p.rejected} rejected · ${p.phase}` });
    });
    try {
      const { dataset, rejected } = await wb.datasets.import({ path: resolve(folder), size: o.size, channels: o.channels, name: o.name });
      progress?.stop();
      print({ dataset, imported: dataset.count, rejected }, () =>
        [
          `imported ${dataset.count} images as dataset ${dataset.id} (${dataset.size}x${dataset.size}, ${dataset.channels} channel${dataset.channels === 1 ? '' : 's'})`,
          `classes: ${dataset.classes.length ? dataset.classes.join(', ') : '(none)'}`,
          `rejected: ${rejected.length}`,
          ...rejected.map((r) => `  ${r.file}: ${r.reason}`),
        ].join('\n'),
      );
    } finally {
      progress?.stop();
      wb.close();
    }
  });

program
  .command('datasets')
  .description('list datasets')
  .action(() => {
    const wb = open();
    try {
      const list = wb.datasets.list();
      print(list, () => (list.length ? list.map((d) => `${d.id}  ${d.name}  ${d.count} images  ${d.size}px  ${d.channels}ch`).join('\n') : 'no datasets'));
    } finally {
      wb.close();
    }
  });

program
  .command('train')
  .description('create a run and train it in the foreground until its steps are done')
  .requiredOption('--dataset <id>', 'dataset id')
  .option('--steps <n>', 'steps to train', int('--steps', 1, 10_000_000))
  .option('--config <file>', 'JSON file with a (partial) training config')
  .option('--name <name>', 'run name')
  .action(async (o: { dataset: string; steps?: number; config?: string; name?: string }) => {
    const hub = createEventHub();
    const wb = open(hub);
    try {
      const fromFile = o.config ? (JSON.parse(readFileSync(o.config, 'utf8')) as Record<string, unknown>) : {};
      const config = o.steps === undefined ? fromFile : { ...fromFile, steps: o.steps };
      const run = wb.runs.create({ datasetId: o.dataset, name: o.name, config, start: true });
      const progress = bar('training');
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
      print({ run: final, lastMetrics: last }, () =>
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
  .command('runs')
  .description('list runs')
  .action(() => {
    const wb = open();
    try {
      const list = wb.runs.list();
      print(list, () => (list.length ? list.map((r) => `${r.id}  ${r.status.padEnd(11)} ${r.step}/${r.config.steps}  ${r.name}`).join('\n') : 'no runs'));
    } finally {
      wb.close();
    }
  });

program
  .command('metrics <run>')
  .description("print a run's metric series (bucketed) and last values")
  .option('--max-points <n>', 'points per series', int('--max-points', 2, 10_000), 50)
  .action((runId: string, o: { maxPoints: number }) => {
    const wb = open();
    try {
      const series = wb.runs.metrics(runId, undefined, o.maxPoints);
      const last = wb.store.metrics.last(runId);
      print({ runId, last, series }, () =>
        series.map((s) => `${s.key.padEnd(16)} last=${last[s.key]}  points=${s.points.length}`).join('\n') || 'no metrics yet',
      );
    } finally {
      wb.close();
    }
  });

program
  .command('serve')
  .description('serve the workbench UI and API on 127.0.0.1 for a browser')
  .option('--port <port>', 'port (default: a free one)', int('--port', 0, 65535), 0)
  .action(async (o: { port: number }) => {
    const g = globals();
    const app = await startHeadless({
      dataDir: resolve(g.dataDir ?? defaultDataDir()),
      staticDir,
      trainerEntry: trainer.entry,
      trainerExecArgv: trainer.execArgv,
      port: o.port,
      backend: g.backend,
      version: pkg.version,
      log: (m) => process.stderr.write(`${m}\n`),
    });
    print({ url: app.server.openUrl, dataDir: app.workbench.dataDir.root }, () =>
      `GAN Workbench is serving on ${app.server.url}\nopen: ${app.server.openUrl}\ndata: ${app.workbench.dataDir.root}\n(Ctrl+C to stop)`,
    );
    const shutdown = () => void app.close().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const shape = error instanceof WorkbenchError ? error.toShape() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  if (globals().json) process.stdout.write(`${JSON.stringify({ error: shape }, null, 2)}\n`);
  else process.stderr.write(`error: ${shape.message}\n`);
  process.exitCode = 2;
});
