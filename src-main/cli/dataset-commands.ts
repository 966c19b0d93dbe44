/** CLI commands over datasets: scan and import a folder, import aligned pairs, list, rename, show rejected files, delete, train the in-domain classifier. Defaults and bounds are the contract's. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { WorkbenchClient } from '../common/client/client';
import { methods, type RequestOf } from '../common/contract';
import type { Dataset } from '../common/domain';
import { confirm, declined } from './confirm';
import { num, type CliContext } from './context';

type ImportRequest = RequestOf<'datasets.import'>;

/** The import request's fields as the contract defines them: help text shows its defaults and bounds, and the contract fills and checks them. */
const importFields = methods['datasets.import'].request.shape;
const size = importFields.size.def;
const channels = importFields.channels.def;
const fit = importFields.fit.def;
const background = importFields.background.def;
const sizeRange = `${size.innerType.minValue}–${size.innerType.maxValue}`;
const channelChoices = channels.innerType.options.map((o) => o.value).join(' or ');

function describeDataset(d: Dataset): string {
  const pair = d.pair ? `  ${d.pair.role === 'A' ? 'inputs (A)' : 'targets (B)'} paired with ${d.pair.datasetId}` : '';
  return `${d.id}  ${d.name}  ${d.count} images  ${d.size}px  ${d.channels}ch${d.heldOut > 0 ? `  ${d.heldOut} held out` : ''}  ${describeClassifier(d.classifier)}${pair}`;
}

function describeClassifier(c: Dataset['classifier']): string {
  if (c === null) return 'no classifier';
  if (c.status === 'training') return 'classifier training';
  if (c.status === 'failed') return `classifier failed: ${c.error}`;
  return `classifier ${(c.accuracy * 100).toFixed(1)}% on ${c.heldOutImages} held-out images`;
}

/**
 * Watches a dataset's classifier from before the call that starts it: in-process, the trainer worker
 * ends with the command, so a command that starts a training waits for it (`untilSettled`).
 */
function classifierWatch(client: WorkbenchClient): { untilSettled(dataset: Dataset): Promise<Dataset>; off(): void } {
  const latest = new Map<string, Dataset>();
  const waiting = new Map<string, (d: Dataset) => void>();
  const off = client.on('dataset.updated', (d) => {
    latest.set(d.id, d);
    if (d.classifier?.status !== 'training') waiting.get(d.id)?.(d);
  });
  return {
    untilSettled: (dataset) => {
      const seen = latest.get(dataset.id);
      if (dataset.classifier?.status !== 'training') return Promise.resolve(dataset);
      if (seen && seen.classifier?.status !== 'training') return Promise.resolve(seen);
      return new Promise((resolve) => waiting.set(dataset.id, resolve));
    },
    off,
  };
}

/** A progress bar fed by the import's progress events (none without a terminal); `off` stops listening. */
function importBar(ctx: CliContext, client: WorkbenchClient): { progress: ReturnType<CliContext['bar']>; off: () => void } {
  const progress = ctx.bar('importing');
  let started = false;
  const off = client.on('dataset.importProgress', (p) => {
    if (!progress) return;
    if (!started) {
      progress.start(Math.max(1, p.total), 0, { extra: '' });
      started = true;
    }
    progress.setTotal(Math.max(1, p.total));
    const eta = p.etaSeconds !== null && p.phase === 'decoding' ? ` · ${Math.ceil(p.etaSeconds)} s left` : '';
    progress.update(p.done, { extra: `${p.rejected} rejected · ${p.phase}${eta}` });
  });
  return { progress, off };
}

const pairedFields = methods['datasets.importPaired'].request.shape;
const pairedLayout = pairedFields.layout.def;

/** The options of every import: the images' size and channels, and how they are made square. */
function imageOptions(command: Command): Command {
  return command
    .option('--size <px>', `square size of the imported images, ${sizeRange} (default: ${size.defaultValue})`, num('--size'))
    .option('--channels <n>', `${channelChoices}: grayscale or RGB (default: ${channels.defaultValue})`, num('--channels'))
    .option('--fit <how>', `${importFields.fit.description} ${fit.innerType.options.join(', ')} (default: ${fit.defaultValue})`)
    .option('--background <#rrggbb>', `${importFields.background.description} (default: ${background.defaultValue})`);
}

function addImportPaired(program: Command, ctx: CliContext): void {
  imageOptions(program.command('import-paired <folder>'))
    .description('import aligned image pairs as two datasets, A (inputs) and B (targets), image i of one pairing image i of the other')
    .option('--layout <how>', `folders: subfolders A/ and B/ matched by path without extension; side-by-side: each image is A | B, cut at half its width (default: ${pairedLayout.defaultValue})`)
    .option('--name <name>', 'name of the pair; the datasets are “<name> · A” and “<name> · B” (default: the folder name)')
    .action((folder: string, o: { layout?: string; size?: number; channels?: number; name?: string; fit?: string; background?: string }) =>
      ctx.with('write', 'import-paired', async ({ client }) => {
        const { progress, off } = importBar(ctx, client);
        try {
          // Values as typed, unchecked: the contract refuses a bad one exactly as it does for the UI.
          const result = await client.call('datasets.importPaired', {
            path: resolve(folder),
            layout: o.layout as RequestOf<'datasets.importPaired'>['layout'],
            size: o.size,
            channels: o.channels as ImportRequest['channels'],
            name: o.name,
            fit: o.fit as ImportRequest['fit'],
            background: o.background,
          });
          progress?.stop();
          const { a, b, rejected } = result;
          ctx.print(result, () =>
            [
              `imported ${a.count} pairs (${a.size}x${a.size}, ${a.channels} channel${a.channels === 1 ? '' : 's'})`,
              `A (inputs):  ${describeDataset(a)}`,
              `B (targets): ${describeDataset(b)}`,
              `held out: ${a.heldOut > 0 ? `the same ${a.heldOut} pairs in both` : 'none (fewer than 1,000 pairs)'}`,
              `rejected: ${rejected.length}`,
              ...rejected.map((r) => `  ${r.file}: ${r.reason}`),
            ].join('\n'),
          );
        } finally {
          off();
          progress?.stop();
        }
      }),
    );
}

function addImport(program: Command, ctx: CliContext): void {
  imageOptions(program.command('import <folder>'))
    .description('import a folder of images (class subfolders become classes)')
    .option('--name <name>', 'dataset name (default: the folder name)')
    .option('--flat', 'ignore subfolders: import without classes')
    .action((folder: string, o: { size?: number; channels?: number; name?: string; flat?: boolean; fit?: string; background?: string }) =>
      ctx.with('write', 'import', async ({ client }) => {
        const { progress, off } = importBar(ctx, client);
        const classifier = classifierWatch(client);
        try {
          // Values as typed, unchecked: the contract refuses a bad one exactly as it does for the UI.
          const { dataset: imported, rejected } = await client.call('datasets.import', {
            path: resolve(folder),
            size: o.size,
            channels: o.channels as ImportRequest['channels'],
            name: o.name,
            layout: o.flat ? 'flat' : 'classes',
            fit: o.fit as ImportRequest['fit'],
            background: o.background,
          });
          progress?.stop();
          if (imported.classifier?.status === 'training') ctx.note('training the in-domain classifier on the training part…');
          const dataset = await classifier.untilSettled(imported);
          ctx.print({ dataset, imported: dataset.count, rejected }, () =>
            [
              `imported ${dataset.count} images as dataset ${dataset.id} (${dataset.size}x${dataset.size}, ${dataset.channels} channel${dataset.channels === 1 ? '' : 's'})`,
              `classes: ${dataset.classes.length ? dataset.classes.join(', ') : '(none)'}`,
              `held out: ${dataset.heldOut > 0 ? `${dataset.heldOut} images training never sees` : 'none (fewer than 1,000 images)'}`,
              describeClassifier(dataset.classifier),
              `rejected: ${rejected.length}`,
              ...rejected.map((r) => `  ${r.file}: ${r.reason}`),
            ].join('\n'),
          );
        } finally {
          off();
          classifier.off();
          progress?.stop();
        }
      }),
    );
}

export function addDatasetCommands(program: Command, ctx: CliContext): void {
  program
    .command('scan <folder>')
    .description('what an import of the folder would find (images, classes, certain rejects), without importing')
    .option('--flat', 'ignore subfolders: no classes')
    .action((folder: string, o: { flat?: boolean }) =>
      ctx.with('read', 'scan', async ({ client }) => {
        const scan = await client.call('datasets.scan', { path: resolve(folder), layout: o.flat ? 'flat' : 'classes' });
        ctx.print(scan, () =>
          [
            `${scan.sourcePath}: ${scan.images} images in ${scan.files} files, ${scan.wouldReject} would be rejected`,
            `classes: ${scan.classes.length ? scan.classes.map((c) => `${c.name} (${c.images})`).join(', ') : '(none)'}`,
            ...Object.entries(scan.rejectReasons).map(([reason, n]) => `  ${n} × ${reason}`),
            ...scan.existing.map((d) => `imported before as ${describeDataset(d)}`),
          ].join('\n'),
        );
      }),
    );

  addImport(program, ctx);
  addImportPaired(program, ctx);

  program
    .command('datasets')
    .description('list datasets')
    .action(() =>
      ctx.with('read', 'datasets', async ({ client }) => {
        const list = await client.call('datasets.list');
        ctx.print(list, () => (list.length ? list.map(describeDataset).join('\n') : 'no datasets'));
      }),
    );

  program
    .command('train-classifier <dataset>')
    .description("train the dataset's in-domain classifier (again) on its training part and measure it on its held-out split; waits until it is done")
    .action((id: string) =>
      ctx.with('write', 'train-classifier', async ({ client }) => {
        const classifier = classifierWatch(client);
        try {
          const dataset = await classifier.untilSettled(await client.call('datasets.trainClassifier', { id }));
          ctx.print(dataset, () => `dataset ${dataset.id}: ${describeClassifier(dataset.classifier)}`);
          if (dataset.classifier?.status === 'failed') process.exitCode = 1;
        } finally {
          classifier.off();
        }
      }),
    );

  program
    .command('rejects <dataset>')
    .description('the files an import rejected, with the reason for each')
    .action((id: string) =>
      ctx.with('read', 'rejects', async ({ client }) => {
        const rejected = await client.call('datasets.rejects', { id });
        ctx.print(rejected, () => (rejected.length ? rejected.map((r) => `${r.file}: ${r.reason}`).join('\n') : 'no rejected files'));
      }),
    );

  program
    .command('rename-dataset <dataset> <name>')
    .description('rename a dataset')
    .action((id: string, name: string) =>
      ctx.with('write', 'rename-dataset', async ({ client }) => {
        const dataset = await client.call('datasets.rename', { id, name });
        ctx.print(dataset, () => `dataset ${dataset.id} is now “${dataset.name}”`);
      }),
    );

  program
    .command('delete-dataset <dataset>')
    .description('delete a dataset and its files (refused while runs use it)')
    .option('--yes', 'do not ask for confirmation')
    .action((id: string, o: { yes?: boolean }) =>
      ctx.with('write', 'delete-dataset', async ({ client }) => {
        const dataset = await client.call('datasets.get', { id });
        if (!(await confirm(ctx, `Delete dataset ${id} “${dataset.name}” (${dataset.count} images)?`, o.yes))) return declined(ctx);
        await client.call('datasets.delete', { id });
        ctx.print({ deleted: true, id }, () => `deleted dataset ${id}`);
      }),
    );
}
