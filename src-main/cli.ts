/** Command line over the same core: import, datasets, config, train, runs, metrics, doctor, serve. */
import { Command } from 'commander';
import { WorkbenchError } from './common/errors';
import { CliContext, locateApp } from './cli/context';
import { addDatasetCommands } from './cli/dataset-commands';
import { addRunCommands } from './cli/run-commands';
import { addSystemCommands } from './cli/system-commands';

const program = new Command()
  .name('workbench')
  .description('GAN Workbench from the command line')
  .option('--data-dir <dir>', 'data directory')
  .option('--json', 'print one JSON document on stdout')
  .option('--backend <name>', 'force a compute backend (tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)')
  .option('--adapter <name>', 'train on the GPU whose vendor or description contains NAME (webgpu; machines with two GPUs)');
const ctx = new CliContext(program, locateApp(import.meta.url));
program.version(ctx.version);
addDatasetCommands(program, ctx);
addRunCommands(program, ctx);
addSystemCommands(program, ctx);

program.parseAsync(process.argv).catch((error: unknown) => {
  const shape =
    error instanceof WorkbenchError ? error.toShape() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  if (ctx.options.json) process.stdout.write(`${JSON.stringify({ error: shape }, null, 2)}\n`);
  else process.stderr.write(`error: ${shape.message}\n`);
  process.exitCode = 2;
});
