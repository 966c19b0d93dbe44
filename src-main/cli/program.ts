/** The command line as a function: builds the commands, runs one argv and answers with its exit code (the shell's entry and in-process tests share it). */
import { Command, CommanderError } from 'commander';
import { ApiError } from '../common/client/transport-port';
import { WorkbenchError } from '../common/errors';
import { CliContext, int, processIo, type AppLocation, type CliIo } from './context';
import { addDatasetCommands } from './dataset-commands';
import { addQualityCommands } from './quality-commands';
import { addRunCommands } from './run-commands';
import { addGrowCommand } from './grow-command';
import { addTranslateCommand } from './translate-command';
import { addRunControlCommands } from './run-control-commands';
import { addRunResultCommands } from './run-result-commands';
import { addSettingsCommands } from './settings-commands';
import { addSystemCommands } from './system-commands';

function buildProgram(app: AppLocation, io: CliIo): { program: Command; ctx: CliContext } {
  const program = new Command()
    .name('workbench')
    .description('GAN Workbench from the command line')
    .option('--data-dir <dir>', 'data directory')
    .option('--json', 'print one JSON document on stdout')
    .option('--backend <name>', 'force a compute backend (tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)')
    .option('--adapter <name>', 'train on the GPU whose vendor or description contains NAME (webgpu; machines with two GPUs)')
    .option('--server <url>', 'run the command on a running `serve` (the address it printed, with its token) instead of opening the data directory')
    .option('--threads <n>', 'CPU threads for training on wasm, for every run (overrides compute.threads)', int('--threads', 1, 64))
    // Commander's own refusals (an unknown option, a bad value) come back as an exit code instead of ending the process.
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const ctx = new CliContext(program, app, io);
  program.version(ctx.version);
  addDatasetCommands(program, ctx);
  addRunCommands(program, ctx);
  addRunControlCommands(program, ctx);
  addGrowCommand(program, ctx);
  addTranslateCommand(program, ctx);
  addRunResultCommands(program, ctx);
  addQualityCommands(program, ctx);
  addSystemCommands(program, ctx);
  addSettingsCommands(program, ctx);
  return { program, ctx };
}

/** The error as the contract shapes it, whichever side raised it. */
function errorShape(error: unknown): { code: string; message: string; details?: unknown } {
  if (error instanceof WorkbenchError) return error.toShape();
  if (error instanceof ApiError) return { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Exit codes: 0 done, 1 a followed run that did not complete (CliContext), 2 a refused command line or request. */
const REFUSED = 2;

/**
 * A command line commander refuses (unknown command or option, missing argument, bad value), as the
 * contract shapes a refusal: commander has already written its message to stderr; --json gets it as
 * the one JSON document too. Its message without the "error: " commander prefixes.
 */
function usageError(error: CommanderError): { code: 'INVALID_REQUEST'; message: string; details: { usage: string } } {
  const text = error.message.replace(/^error: /, '');
  // Commander's "(outputHelp)": no command at all, so it printed the help instead of a message.
  const message = error.code === 'commander.help' ? 'give a command: workbench --help lists them' : text;
  return { code: 'INVALID_REQUEST', message, details: { usage: error.code } };
}

/** --json as given, also when commander refused the line before it set its options. */
function wantsJson(ctx: CliContext, argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return Boolean(ctx.options.json) || (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs one command line (without node and the script); resolves with the exit code once the command is done. */
export async function runCli(argv: readonly string[], app: AppLocation, io: CliIo = processIo): Promise<number> {
  const { program, ctx } = buildProgram(app, io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    // --help and --version end through the same exception, with exit code 0.
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    const json = wantsJson(ctx, argv);
    if (error instanceof CommanderError) {
      if (json) io.out(`${JSON.stringify({ error: usageError(error) }, null, 2)}\n`);
      return REFUSED;
    }
    const shape = errorShape(error);
    if (json) io.out(`${JSON.stringify({ error: shape }, null, 2)}\n`);
    else io.err(`error: ${shape.message}\n`);
    return REFUSED;
  }
}
