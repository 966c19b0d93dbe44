/** `translate <run> --in DIR --out DIR`: a translation run's checkpoint applied to every image of a folder, one runs.translate call per image, the outputs written under the same relative names as PNGs. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ApiError } from '../common/client/transport-port';
import { num, type CliContext } from './context';

/** The image files a folder holds, at any depth, in a stable order. */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

export function imageFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
    }
  };
  walk(root);
  return found;
}

function mode(value: string): 'resize' | 'tile' {
  if (value !== 'resize' && value !== 'tile') throw new InvalidArgumentError('--mode must be resize or tile');
  return value;
}

function direction(value: string): 'ab' | 'ba' {
  const v = value.toLowerCase().replace(/[^ab]/g, '');
  if (v !== 'ab' && v !== 'ba') throw new InvalidArgumentError('--direction must be ab (A → B) or ba (B → A)');
  return v;
}

export function addTranslateCommand(program: Command, ctx: CliContext): void {
  program
    .command('translate <run>')
    .description("apply a translation run's checkpoint to every image of a folder (inpainting, super-resolution, colorization, or one domain into the other)")
    .requiredOption('--in <dir>', 'folder of images (PNG, JPEG, WebP…), read at any depth')
    .requiredOption('--out <dir>', 'folder for the outputs: the same relative names, as .png')
    .option('--step <n>', 'checkpoint step (default: the newest)', num('--step'))
    .option('--mode <how>', 'resize: to the training size; tile: at the image’s own size in blended tiles', mode, 'resize')
    .option('--direction <ab|ba>', 'unpaired runs: A → B (ab) or B → A (ba)', direction, 'ab')
    .action((id: string, o: { in: string; out: string; step?: number; mode: 'resize' | 'tile'; direction: 'ab' | 'ba' }) =>
      ctx.with('write', 'translate', async ({ client }) => {
        const inDir = resolve(o.in);
        if (!statSync(inDir, { throwIfNoEntry: false })?.isDirectory()) throw new ApiError('INVALID_REQUEST', `--in ${o.in} is not a folder`);
        const files = imageFiles(inDir);
        if (files.length === 0) throw new ApiError('INVALID_REQUEST', `--in ${o.in} holds no image files`);
        const outDir = resolve(o.out);
        const written: { in: string; out: string; step: number; width: number; height: number }[] = [];
        const failed: { in: string; error: string }[] = [];
        for (const file of files) {
          const name = relative(inDir, file);
          try {
            const result = await client.call('runs.translate', { id, step: o.step, image: { name, data: readFileSync(file).toString('base64') }, mode: o.mode, direction: o.direction });
            const target = join(outDir, name.slice(0, name.length - extname(name).length) + '.png');
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, Buffer.from(result.outputPng, 'base64'));
            written.push({ in: name, out: target, step: result.step, width: result.width, height: result.height });
          } catch (error) {
            // One unreadable file must not lose the rest: it is listed with its reason.
            if (!(error instanceof ApiError) || error.code !== 'INVALID_REQUEST') throw error;
            failed.push({ in: name, error: error.message });
          }
        }
        ctx.print({ written, failed }, () =>
          [
            `${written.length} of ${files.length} images translated${written[0] ? ` with step ${written[0].step}` : ''} into ${outDir}`,
            ...failed.map((f) => `skipped ${f.in}: ${f.error}`),
          ].join('\n'),
        );
        if (written.length === 0) throw new ApiError('INVALID_REQUEST', `no image of ${o.in} could be translated`);
      }),
    );
}
