/** The CLI's refusals as a person and a script see them: the message naming what was wrong on stderr (never a stack), or one JSON error document with --json, and the exit codes of success and failure. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliIn, type CliResult } from '../../fixtures/cli';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { tempDir } from '../../fixtures/workbench';

const RUN = 'run_nope000000';
const DATASET = 'ds_nope000000';

/** A refusal in text: nothing on stdout, `error: <message>` on stderr without a stack trace, exit code 2. */
function refusedAsText(r: CliResult, message: string | RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(typeof message === 'string' ? new RegExp(`^error: ${escape(message)}\\n$`) : message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** A refusal with --json: exactly one JSON document on stdout (cliIn parses it whole), nothing on stderr unless commander wrote its message there. */
function refusedAsJson(r: CliResult, error: Record<string, unknown>): void {
  expect(r.code).toBe(2);
  expect(r.json).toEqual({ error });
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the CLI’s errors and exit codes', () => {
  const dataDir = tempDir('cli-errors');
  const cli = cliIn(dataDir);
  let datasetId: string;

  beforeAll(async () => {
    const folder = tempDir('cli-errors-mnist');
    await writeMnistFolder(folder, 1);
    const imported = await cli('--json', 'import', folder, '--size', '16', '--channels', '1');
    expect(imported.code).toBe(0);
    datasetId = (imported.json as { dataset: { id: string } }).dataset.id;
  });

  it('succeeds with exit code 0 and nothing on stderr, as text and as JSON', async () => {
    expect(await cli('runs')).toEqual({ code: 0, stdout: 'no runs\n', stderr: '', json: undefined });
    expect(await cli('--json', 'runs')).toMatchObject({ code: 0, stderr: '', json: [] });
    expect(await cli('--json', 'datasets')).toMatchObject({ code: 0, json: [{ id: datasetId }] });
    // --help and --version end through commander's exception, but they are no failure.
    expect(await cli('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: workbench'), stderr: '' });
    expect(await cli('--version')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  it('an unknown run id is named in the message, with NOT_FOUND and exit code 2', async () => {
    for (const args of [['metrics', RUN], ['resume', RUN], ['export', RUN, '--out', join(tempDir('cli-errors-out'), 'g')], ['delete', RUN, '--yes'], ['rename', RUN, 'x']]) {
      refusedAsText(await cli(...args), `no run with id ${RUN}`);
      refusedAsJson(await cli('--json', ...args), { code: 'NOT_FOUND', message: `no run with id ${RUN}` });
    }
  });

  it('an unknown dataset id is named in the message; train starts nothing', async () => {
    for (const args of [['rejects', DATASET], ['train', '--dataset', DATASET, '--steps', '2'], ['delete-dataset', DATASET, '--yes']]) {
      refusedAsText(await cli(...args), `no dataset with id ${DATASET}`);
      refusedAsJson(await cli('--json', ...args), { code: 'NOT_FOUND', message: `no dataset with id ${DATASET}` });
    }
    expect((await cli('--json', 'runs')).json).toEqual([]);
  });

  it('a missing import folder is named, and no dataset appears', async () => {
    const missing = join(tempDir('cli-errors-missing'), 'no-such-folder');
    refusedAsText(await cli('import', missing, '--size', '16', '--channels', '1'), `no folder at ${missing}`);
    refusedAsJson(await cli('--json', 'import', missing, '--size', '16', '--channels', '1'), { code: 'NOT_FOUND', message: `no folder at ${missing}` });
    expect(((await cli('--json', 'datasets')).json as { id: string }[]).map((d) => d.id)).toEqual([datasetId]);
  });

  it('an unknown command, an unknown flag, a missing argument or no command: commander’s message, exit code 2', async () => {
    const cases: [string[], string, string][] = [
      [['frobnicate'], "unknown command 'frobnicate'", 'commander.unknownCommand'],
      [['runs', '--frob'], "unknown option '--frob'", 'commander.unknownOption'],
      [['--frob', 'runs'], "unknown option '--frob'", 'commander.unknownOption'],
      [['metrics'], "missing required argument 'run'", 'commander.missingArgument'],
      [['import', '.', '--size', 'big'], "option '--size <px>' argument 'big' is invalid. --size must be a number", 'commander.invalidArgument'],
    ];
    for (const [args, message, usage] of cases) {
      refusedAsText(await cli(...args), message);
      const json = await cli('--json', ...args);
      refusedAsJson(json, { code: 'INVALID_REQUEST', message, details: { usage } });
      // Commander has written its message for the person at the terminal too; stdout holds only the document.
      expect(json.stderr).toBe(`error: ${message}\n`);
    }
    // A near miss gets commander's suggestion.
    expect((await cli('dataset')).stderr).toBe("error: unknown command 'dataset'\n(Did you mean datasets?)\n");
    // No command: the help on stderr, and with --json a message saying what is missing.
    const none = await cli();
    expect(none).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('Usage: workbench') });
    refusedAsJson(await cli('--json'), { code: 'INVALID_REQUEST', message: 'give a command: workbench --help lists them', details: { usage: 'commander.help' } });
  });

  it('an invalid config: the issues on stderr as text (stdout is for a config to save), one document with --json', async () => {
    const text = await cli('config', '--set', 'loss.type=nope');
    expect(text).toMatchObject({ code: 2, stdout: '' });
    expect(text.stderr).toMatch(/^error: invalid training config:\n {2}loss\.type: .+\n$/);
    const json = await cli('--json', 'config', '--set', 'loss.type=nope');
    expect(json).toMatchObject({ code: 2, stderr: '', json: { error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'loss.type' }] } } } });
  });

  it('a feature-matching layer beyond D’s blocks at the dataset’s size is refused by train, naming the field and the maximum', async () => {
    const fm = ['--set', 'stabilizers.featureMatching.enabled=true', '--set', 'stabilizers.featureMatching.layer=3'];
    const message = 'config.stabilizers.featureMatching.layer is 3, but D has 2 blocks at image size 16: the maximum is 2 (0 = the last hidden features)';
    refusedAsText(await cli('train', '--dataset', datasetId, '--steps', '2', ...fm), message);
    refusedAsJson(await cli('--json', 'train', '--dataset', datasetId, '--steps', '2', ...fm), {
      code: 'INVALID_REQUEST',
      message,
      details: { issues: [{ path: 'config.stabilizers.featureMatching.layer', message }] },
    });
    expect((await cli('--json', 'runs')).json).toEqual([]);
  });
});
