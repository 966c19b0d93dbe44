/** The `settings` CLI command from source, as `npm run cli` runs it: show, change, refuse bad values; and `train` refused over the budget. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { repoRoot, tempDir } from '../../fixtures/workbench';

const run = promisify(execFile);

describe('workbench settings', () => {
  const dataDir = tempDir('cli-settings');
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main', 'cli.ts'), '--data-dir', dataDir, ...args], { cwd: repoRoot });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  beforeAll(async () => {
    const folder = tempDir('cli-settings-mnist');
    await writeMnistFolder(folder, 1);
    expect((await cli('import', folder, '--size', '28', '--channels', '1')).code).toBe(0);
  });

  it('shows the settings and the budget in force, changes one with --set, and goes back to automatic with null', async () => {
    const shown = await cli('settings');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^memoryBudgetMB = null \(automatic\)\ntrainingSlots = 1\nmemory budget for new runs: \d+ MB \(automatic: half the free RAM\)\n$/);

    const set = await cli('--json', 'settings', '--set', 'memoryBudgetMB=640');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ settings: { memoryBudgetMB: 640 }, memoryBudget: { effectiveMB: 640, source: 'settings' } });
    expect((await cli('settings')).stdout).toContain('memory budget for new runs: 640 MB (set in settings)');

    const back = await cli('--json', 'settings', '--set', 'memoryBudgetMB=null');
    expect(JSON.parse(back.stdout)).toMatchObject({ settings: { memoryBudgetMB: null }, memoryBudget: { source: 'free-memory' } });
  });

  it('refuses a bad value or an unknown setting with the field and the reason, and changes nothing', async () => {
    await cli('settings', '--set', 'memoryBudgetMB=700');
    const low = await cli('settings', '--set', 'memoryBudgetMB=5');
    expect(low.code).toBe(2);
    expect(low.stderr).toContain('memoryBudgetMB: memoryBudgetMB must be at least 64');
    const unknown = await cli('--json', 'settings', '--set', 'memoryBudget=5');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'INVALID_REQUEST', message: expect.stringContaining('memoryBudget') } });
    expect(JSON.parse((await cli('--json', 'settings')).stdout).settings).toEqual({ memoryBudgetMB: 700, trainingSlots: 1 });
  });

  it('train refuses a config over the budget, with the estimate and the budget, before training anything', async () => {
    await cli('settings', '--set', 'memoryBudgetMB=64');
    const datasets = JSON.parse((await cli('--json', 'datasets')).stdout) as { id: string }[];
    const refused = await cli('--json', 'train', '--dataset', datasets[0]!.id, '--preset', 'dcgan', '--steps', '2');
    expect(refused.code).toBe(2);
    const { error } = JSON.parse(refused.stdout) as { error: { code: string; message: string; details: { issues: { path: string }[] } } };
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toMatch(/≈ 672 k parameters · ≈ \d+ MB while training, over the memory budget of 64 MB/);
    expect(error.details.issues[0]?.path).toBe('config.batchSize');
    expect(JSON.parse((await cli('--json', 'runs')).stdout)).toEqual([]);
  });
});
