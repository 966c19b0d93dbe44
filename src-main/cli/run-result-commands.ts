/** CLI commands over what runs produced: render images from a checkpoint (generate) and compare runs side by side (compare). */
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ApiError } from '../common/client/transport-port';
import { diffMany, showValue } from '../common/config-diff';
import type { RequestOf } from '../common/contract';
import { describeTruncation } from '../common/truncation';
import { num, type CliContext } from './context';
import { addTruncationOptions, truncationOf, type TruncationOptions } from './truncation-options';

type Spec = RequestOf<'runs.generate'>['spec'];

interface GenerateOptions extends TruncationOptions {
  step?: number;
  walk?: string;
  frames?: number;
  mode?: string;
  classes?: boolean;
  perClass?: number;
  out?: string;
}

/** `--walk 3:7` is a latent walk from cell 3 to cell 7 of the sample grid; `--classes` is a row per class. Ranges are the contract's to check. */
function specOf(o: GenerateOptions): Spec {
  if (o.classes && o.walk !== undefined) throw new ApiError('INVALID_REQUEST', 'give either --walk FROM:TO or --classes, not both');
  const truncation = truncationOf(o);
  if (o.classes) return { kind: 'classes', perClass: o.perClass, truncation };
  const cells = o.walk?.split(':');
  if (cells?.length !== 2) throw new ApiError('INVALID_REQUEST', 'give --walk FROM:TO (two cells of the sample grid, like 0:5) or --classes');
  const [from, to] = cells.map(Number) as [number, number];
  return { kind: 'interpolate', from, to, frames: o.frames, mode: o.mode as 'lerp' | 'slerp' | undefined, truncation };
}

/** Columns padded to the widest cell, the first column left as the row's name. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

function showNumber(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : Number(v.toPrecision(4)).toString();
}

export function addRunResultCommands(program: Command, ctx: CliContext): void {
  addTruncationOptions(program.command('generate <run>'))
    .description("render images from a run's checkpoint: a latent walk between two cells of the sample grid, or one row per class")
    .option('--step <n>', 'checkpoint step (default: the newest)', num('--step'))
    .option('--walk <from:to>', 'latent walk between two cells of the fixed-noise sample grid (row-major), e.g. 0:5')
    .option('--frames <n>', 'frames of the walk (the contract says how many at most)', num('--frames'))
    .option('--mode <how>', 'lerp (straight line) or slerp (great circle)')
    .option('--classes', 'one row per class, the same noise in every row (conditional runs)')
    .option('--per-class <n>', 'images per class row', num('--per-class'))
    .option('--out <file>', 'also copy the PNG here')
    .action((id: string, o: GenerateOptions) =>
      ctx.with('write', 'generate', async ({ client }) => {
        const generated = await client.call('runs.generate', { id, step: o.step, spec: specOf(o) });
        const { dataDir } = await client.call('app.info');
        const absolutePath = join(dataDir, generated.path);
        let out: string | undefined;
        if (o.out) {
          // With --server the image lies in the server's data directory, which is this machine's when it serves on 127.0.0.1.
          if (!existsSync(absolutePath)) throw new ApiError('NOT_FOUND', `the image was written on the server at ${absolutePath}, which this machine cannot read`);
          out = resolve(o.out);
          copyFileSync(absolutePath, out);
        }
        ctx.print({ ...generated, absolutePath, ...(out ? { out } : {}) }, () =>
          [
            `${generated.rows}×${generated.cols} images of ${generated.cellSize}px from step ${generated.step} (${describeTruncation(generated.truncation)}): ${absolutePath}`,
            ...(generated.rowLabels.some((l) => l) ? [`rows: ${generated.rowLabels.join(', ')}`] : []),
            ...(out ? [`copied to ${out}`] : []),
          ].join('\n'),
        );
      }),
    );

  program
    .command('compare <runs...>')
    .description('compare runs: last and best values side by side, and the settings on which their configs differ')
    .option('--max-points <n>', 'points per series in the JSON output', num('--max-points'), 50)
    .action((ids: string[], o: { maxPoints: number }) =>
      ctx.with('read', 'compare', async ({ client }) => {
        // runs.compare first: it holds the rules on which runs can be compared (how many, each once).
        const series = await client.call('runs.compare', { ids, maxPoints: o.maxPoints });
        const summaries = await client.call('runs.summaries', { ids });
        const runs = await Promise.all(ids.map((id) => client.call('runs.get', { id })));
        const configDiff = diffMany(runs.map((r) => r.config));
        ctx.print({ runs, summaries, configDiff, series }, () => {
          const keys = [...new Set(summaries.flatMap((s) => Object.keys(s.last)))].sort();
          const best = (i: number) => {
            const b = summaries[i]!.best;
            return b ? (b.by === 'kid' ? `KID ${showNumber(b.kid)} @ ${b.step}` : `newest @ ${b.step} (no quality metric)`) : '—';
          };
          return [
            table([
              ['', ...runs.map((r) => r.id)],
              ['name', ...runs.map((r) => r.name)],
              ['status', ...runs.map((r) => `${r.status} ${r.step}/${r.config.steps}`)],
              ['best', ...runs.map((_, i) => best(i))],
              ...keys.map((k) => [k, ...summaries.map((s) => showNumber(s.last[k]))]),
            ]),
            '',
            configDiff.length ? 'config differences:' : 'the configs are the same',
            ...(configDiff.length ? [table(configDiff.map((row) => [`  ${row.path}`, ...row.values.map(showValue)]))] : []),
          ].join('\n');
        });
      }),
    );
}
