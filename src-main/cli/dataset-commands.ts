/** CLI commands over datasets: import a folder, list datasets. */
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { int, type CliContext } from './context';

/** A commander parser that accepts one of `values` and names them when it does not. */
function oneOf<T extends string>(flag: string, values: readonly T[]): (v: string) => T {
  return (v) => {
    if (!(values as readonly string[]).includes(v)) throw new InvalidArgumentError(`${flag} must be one of ${values.join(', ')}`);
    return v as T;
  };
}

export function addDatasetCommands(program: Command, ctx: CliContext): void {
  program
    .command('import <folder>')
    .description('import a folder of images (class subfolders become classes)')
    .option('--size <px>', 'square size of the imported images', int('--size', 8, 256), 64)
    .option(
      '--channels <n>',
      '1 (grayscale) or 3 (RGB)',
      (v) => {
        if (v !== '1' && v !== '3') throw new InvalidArgumentError('--channels must be 1 or 3');
        return Number(v) as 1 | 3;
      },
      3 as 1 | 3,
    )
    .option('--name <name>', 'dataset name (default: the folder name)')
    .option('--flat', 'ignore subfolders: import without classes')
    .option('--fit <how>', 'non-square images: crop (the centre), pad or stretch', oneOf('--fit', ['crop', 'pad', 'stretch'] as const), 'crop' as const)
    .option('--background <#rrggbb>', 'colour under transparency and padding', '#000000')
    .action((folder: string, o: { size: number; channels: 1 | 3; name?: string; flat?: boolean; fit: 'crop' | 'pad' | 'stretch'; background: string }) =>
      ctx.with('write', 'import', async ({ client }) => {
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
        try {
          const { dataset, rejected } = await client.call('datasets.import', {
            path: resolve(folder),
            size: o.size,
            channels: o.channels,
            name: o.name,
            layout: o.flat ? 'flat' : 'classes',
            fit: o.fit,
            background: o.background,
          });
          progress?.stop();
          ctx.print({ dataset, imported: dataset.count, rejected }, () =>
            [
              `imported ${dataset.count} images as dataset ${dataset.id} (${dataset.size}x${dataset.size}, ${dataset.channels} channel${dataset.channels === 1 ? '' : 's'})`,
              `classes: ${dataset.classes.length ? dataset.classes.join(', ') : '(none)'}`,
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

  program
    .command('datasets')
    .description('list datasets')
    .action(() =>
      ctx.with('read', 'datasets', async ({ client }) => {
        const list = await client.call('datasets.list');
        ctx.print(list, () =>
          list.length ? list.map((d) => `${d.id}  ${d.name}  ${d.count} images  ${d.size}px  ${d.channels}ch`).join('\n') : 'no datasets',
        );
      }),
    );
}
