/** `grow` in-process against a real data directory: a tiny 16 × 16 run grown into 32 × 32 (report printed, grown run followed to the end), doubled in width, and the refusals. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../src-main/common/domain';
import type { GrowReport } from '../../../src-main/common/grow';
import { cliIn } from '../../fixtures/cli';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { tempDir, tinyConfig } from '../../fixtures/workbench';

describe('grow', () => {
  const dataDir = tempDir('cli-grow');
  const cli = cliIn(dataDir);
  let parent: Run;
  let large: string;

  beforeAll(async () => {
    const folder = tempDir('cli-grow-mnist');
    await writeMnistFolder(folder, 1);
    const small = ((await cli('--json', 'import', folder, '--size', '16', '--channels', '1')).json as { dataset: { id: string } }).dataset.id;
    large = ((await cli('--json', 'import', folder, '--size', '32', '--channels', '1')).json as { dataset: { id: string } }).dataset.id;
    const configFile = join(tempDir('cli-grow-config'), 'tiny.json');
    writeFileSync(configFile, JSON.stringify(tinyConfig(4, { intervals: { metricsEvery: 1, sampleEvery: 4, checkpointEvery: 4 } })));
    parent = ((await cli('--json', 'train', '--dataset', small, '--config', configFile)).json as { run: Run }).run;
    expect(parent).toMatchObject({ status: 'completed', step: 4 });
  }, 60_000);

  it('--size 32 --dataset grows the run, prints which weights were kept, widened or new, and trains the grown run to the end', async () => {
    const grown = await cli('grow', parent.id, '--size', '32', '--dataset', large, '--steps', '6', '--fade-images', '16');
    expect(grown.code).toBe(0);
    expect(grown.stdout).toContain(`grown from ${parent.id} at step 4: 16 × 16 → 32 × 32`);
    expect(grown.stdout).toContain('new blocks fade in from 16 × 16 to 32 × 32 over 16 images');
    expect(grown.stdout).toMatch(/\d+ weights kept, \d+ widened, \d+ new; \d+ of \d+ trained values come from the parent/);
    expect(grown.stdout).toMatch(/ {2}generator\/toImage@16\/kernel \[4×4×1×16\] ← generator\/toImage\/kernel \[4×4×1×8\]: inputs 8 → 16/);
    expect(grown.stdout).toMatch(/completed at step 6/);
  }, 120_000);

  it('--width ×2 --no-start makes the wider run without training it; --json gives the run and the report', async () => {
    const wide = await cli('--json', 'grow', parent.id, '--width', '×2', '--no-start');
    expect(wide.code).toBe(0);
    const { run, report } = wide.json as { run: Run; report: GrowReport };
    expect(run).toMatchObject({ status: 'stopped', step: 0, parentRunId: parent.id, config: { model: { gWidth: 16, dWidth: 16 } } });
    expect(report.weights.every((w) => w.fate !== 'new')).toBe(true);
  }, 60_000);

  it('refuses what cannot grow: a depth the size cannot take (by the core, with the field), a width other than ×2 (by the command)', async () => {
    const deep = await cli('--json', 'grow', parent.id, '--depth', '+1');
    expect(deep).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'depth' }] } } } });
    const width = await cli('grow', parent.id, '--width', '3');
    expect(width.code).not.toBe(0);
    expect(width.stderr).toContain('--width must be ×2');
    const none = await cli('--json', 'grow', parent.id);
    expect(none).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST' } } });
  });
});
