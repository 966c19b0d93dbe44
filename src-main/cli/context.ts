/** What every CLI command shares: global options, opening the core, printing text or JSON, progress bars. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import pkg from '../../package.json';
import { defaultDataDir } from '../core/default-data-dir';
import { forkLauncher } from '../core/trainer/fork-launcher';
import { createWorkbench, type Workbench } from '../core/workbench';
import { computeFields, type ComputeChoice } from '../common/trainer-protocol';
import { createEventHub, type EventHub } from '../transport/event-hub';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  backend?: string;
  adapter?: string;
}

/** Where the trainer and the built UI are, from source (tsx) or from the bundle in out/main. */
export function locateApp(moduleUrl: string) {
  const here = dirname(fileURLToPath(moduleUrl));
  const fromSource = moduleUrl.endsWith('.ts');
  return {
    trainer: fromSource
      ? { entry: join(here, 'utility', 'trainer.ts'), execArgv: ['--import', 'tsx'] }
      : { entry: join(here, 'trainer.js'), execArgv: [] as string[] },
    staticDir: fromSource ? resolve(here, '..', 'out', 'renderer') : resolve(here, '..', 'renderer'),
  };
}

export type AppLocation = ReturnType<typeof locateApp>;

export class CliContext {
  constructor(
    private readonly program: Command,
    readonly app: AppLocation,
  ) {}

  get options(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  get dataDir(): string {
    return resolve(this.options.dataDir ?? defaultDataDir());
  }

  get version(): string {
    return pkg.version;
  }

  open(hub: EventHub = createEventHub()): Workbench {
    return createWorkbench({
      dataDir: this.dataDir,
      launcher: forkLauncher(this.app.trainer),
      emit: hub.emit,
      mode: 'headless',
      version: pkg.version,
      compute: this.compute,
    });
  }

  /** --backend and --adapter, for every trainer process this command starts. */
  get compute(): ComputeChoice {
    return computeFields({ backend: this.options.backend, adapter: this.options.adapter });
  }

  /** One JSON document with --json, else the human text. */
  print(json: unknown, text: () => string): void {
    process.stdout.write(this.options.json ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
  }

  /** A progress bar on a terminal; nothing when piped or with --json. */
  bar(label: string): cliProgress.SingleBar | null {
    if (this.options.json || !process.stderr.isTTY) return null;
    return new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {extra}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
  }
}

export function int(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
