/** The built CLI as a process: the exit status a shell sees for success, a refused request and a refused command line, with the message on stderr (never a stack) or one JSON document on stdout. */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../fixtures/workbench';
import { assertBuilt, builtCli } from './serve';

const run = promisify(execFile);

interface Exited {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the CLI’s exit status', () => {
  const dataDir = tempDir('cli-exit');
  const cli = async (...args: string[]): Promise<Exited> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [builtCli, '--data-dir', dataDir, ...args]);
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  beforeAll(() => assertBuilt());

  it('is 0 on success, 2 for an unknown run (named), a missing folder and a refused command line', async () => {
    expect(await cli('runs')).toEqual({ code: 0, stdout: 'no runs\n', stderr: '' });
    expect(await cli('metrics', 'run_nope000000')).toEqual({ code: 2, stdout: '', stderr: 'error: no run with id run_nope000000\n' });
    const missing = join(tempDir('cli-exit-missing'), 'none');
    expect(await cli('import', missing, '--size', '16')).toEqual({ code: 2, stdout: '', stderr: `error: no folder at ${missing}\n` });
    expect(await cli('frobnicate')).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'frobnicate'\n" });
    expect(await cli('runs', '--frob')).toEqual({ code: 2, stdout: '', stderr: "error: unknown option '--frob'\n" });
  });

  it('with --json prints one JSON error document on stdout and exits 2', async () => {
    const unknownRun = await cli('--json', 'metrics', 'run_nope000000');
    expect(unknownRun.code).toBe(2);
    expect(JSON.parse(unknownRun.stdout)).toEqual({ error: { code: 'NOT_FOUND', message: 'no run with id run_nope000000' } });
    const unknownFlag = await cli('--json', 'runs', '--frob');
    expect(unknownFlag.code).toBe(2);
    expect(JSON.parse(unknownFlag.stdout)).toEqual({ error: { code: 'INVALID_REQUEST', message: "unknown option '--frob'", details: { usage: 'commander.unknownOption' } } });
    const ok = await cli('--json', 'runs');
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(ok.stdout)).toEqual([]);
  });
});
