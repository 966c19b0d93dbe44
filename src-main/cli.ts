/** Command line over the same core: import, datasets, config, train, runs, metrics, doctor, serve, settings. */
import { Command } from 'commander';
import { ApiError } from './common/client/transport-port';
import { WorkbenchError } from './common/errors';
import { CliContext, int, locateApp } from './cli/context';
import { addDatasetCommands } from './cli/dataset-commands';
import { addRunCommands } from './cli/run-commands';
import { addSettingsCommands } from './cli/settings-commands';
import { addSystemCommands } from './cli/system-commands';

const program = new Command()
  .name('workbench')
  .description('GAN Workbench from the command line')
  .option('--data-dir <dir>', 'data directory')
  .option('--json', 'print one JSON document on stdout')
  .option('--backend <name>', 'force a compute backend (tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)')
  .option('--adapter <name>', 'train on the GPU whose vendor or description contains NAME (webgpu; machines with two GPUs)')
  .option('--server <url>', 'run the command on a running `serve` (the address it printed, with its token) instead of opening the data directory')
  .option('--threads <n>', 'CPU threads for training on wasm, for every run (overrides compute.threads)', int('--threads', 1, 64));
const ctx = new CliContext(program, locateApp(import.meta.url));
program.version(ctx.version);
addDatasetCommands(program, ctx);
addRunCommands(program, ctx);
addSystemCommands(program, ctx);
addSettingsCommands(program, ctx);

program.parseAsync(process.argv).catch((error: unknown) => {
  const shape =
    error instanceof WorkbenchError
      ? error.toShape()
      : error instanceof ApiError
        ? { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) }
        : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  if (ctx.options.json) process.stdout.write(`${JSON.stringify({ error: shape }, null, 2)}\n`);
  else process.stderr.write(`error: ${shape.message}\n`);
  process.exitCode = 2;
});
