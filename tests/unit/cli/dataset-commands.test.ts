/** The dataset commands in-process against a real data directory: scan, import, import-paired, rejects, rename-dataset and delete-dataset, with --json and as text. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, RejectedFile } from '../../../src-main/common/domain';
import type { ScanResult } from '../../../src-main/common/datasets';
import { cliIn } from '../../fixtures/cli';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { tempDir } from '../../fixtures/workbench';

describe('dataset commands', () => {
  const dataDir = tempDir('cli-datasets');
  const cli = cliIn(dataDir);
  let folder: string;
  let dataset: Dataset;

  beforeAll(async () => {
    folder = tempDir('cli-datasets-mnist');
    await writeMnistFolder(folder, 1);
    writeFileSync(join(folder, 'notes.txt'), 'not an image');
  });

  it('scan says what an import would find and imports nothing', async () => {
    const scanned = await cli('--json', 'scan', folder);
    expect(scanned.code).toBe(0);
    const scan = scanned.json as ScanResult;
    expect(scan).toMatchObject({ images: 10, wouldReject: 1, existing: [] });
    expect(scan.classes).toHaveLength(10);
    expect((await cli('scan', folder, '--flat')).stdout).toMatch(/^.+: 10 images in 11 files, 1 would be rejected\nclasses: \(none\)\n/);
    expect((await cli('--json', 'datasets')).json).toEqual([]);
  });

  it('import fills its defaults from the contract and lists the rejected files', async () => {
    const imported = await cli('--json', 'import', folder, '--channels', '1', '--size', '16');
    expect(imported.code).toBe(0);
    dataset = (imported.json as { dataset: Dataset }).dataset;
    expect(dataset).toMatchObject({ count: 10, size: 16, channels: 1 });
    const rejects = await cli('--json', 'rejects', dataset.id);
    expect(rejects.json as RejectedFile[]).toEqual([{ file: 'notes.txt', reason: expect.any(String) }]);
    expect((await cli('rejects', dataset.id)).stdout).toMatch(/^notes\.txt: .+\n$/);
    // The size is the contract's to bound: the same refusal as over IPC or WebSocket.
    const small = await cli('--json', 'import', folder, '--size', '4');
    expect(small).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'size' }] } } } });
    const fit = await cli('import', folder, '--fit', 'squash');
    expect(fit.code).toBe(2);
    expect(fit.stderr).toMatch(/^error: invalid datasets\.import request: fit: /);
  });

  it('rename-dataset renames, and refuses an empty name with the contract’s reason', async () => {
    const renamed = await cli('--json', 'rename-dataset', dataset.id, 'digits');
    expect(renamed).toMatchObject({ code: 0, json: { id: dataset.id, name: 'digits' } });
    expect((await cli('rename-dataset', dataset.id, 'ones')).stdout).toBe(`dataset ${dataset.id} is now “ones”\n`);
    const empty = await cli('--json', 'rename-dataset', dataset.id, '  ');
    expect(empty).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', message: expect.stringContaining('give the dataset a name') } } });
  });

  it('delete-dataset asks for --yes without a terminal, then deletes the dataset and its files', async () => {
    const asked = await cli('--json', 'delete-dataset', dataset.id);
    expect(asked).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', message: expect.stringContaining('--yes') } } });
    expect(existsSync(join(dataDir, 'datasets', dataset.id))).toBe(true);
    expect((await cli('--json', 'delete-dataset', dataset.id, '--yes')).json).toEqual({ deleted: true, id: dataset.id });
    expect(existsSync(join(dataDir, 'datasets', dataset.id))).toBe(false);
    expect((await cli('--json', 'delete-dataset', dataset.id, '--yes')).json).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('the in-domain classifier from the command line', () => {
  const dataDir = tempDir('cli-classifier');
  const cli = cliIn(dataDir);

  it('import of 1,000 digits waits for the classifier it starts, and says its held-out accuracy; train-classifier trains it again', async () => {
    const folder = tempDir('cli-classifier-mnist');
    await writeMnistFolder(folder, 100);
    const imported = await cli('import', folder, '--channels', '1', '--size', '28');
    expect(imported.code).toBe(0);
    // The command ends with the worker: it returns only once the classifier is trained.
    expect(imported.stdout).toMatch(/held out: 100 images training never sees\nclassifier \d+\.\d% on 100 held-out images\n/);
    const [listed] = (await cli('--json', 'datasets')).json as Dataset[];
    expect(listed!.classifier).toMatchObject({ status: 'ready', trainImages: 900, heldOutImages: 100 });
    expect((await cli('datasets')).stdout).toMatch(/100 held out {2}classifier \d+\.\d% on 100 held-out images/);
    const again = await cli('--json', 'train-classifier', listed!.id);
    expect(again.code).toBe(0);
    // The same data, seed and backend train the same weights: the same network id and accuracy.
    expect((again.json as Dataset).classifier).toMatchObject({ status: 'ready', network: (listed!.classifier as { network: string }).network, accuracy: (listed!.classifier as { accuracy: number }).accuracy });
  });

  it('train-classifier refuses a dataset without a held-out split, with the reason', async () => {
    const folder = tempDir('cli-classifier-small');
    await writeMnistFolder(folder, 3);
    const { dataset } = (await cli('--json', 'import', folder, '--channels', '1', '--size', '16')).json as { dataset: Dataset };
    expect(dataset.classifier).toBeNull();
    const refused = await cli('train-classifier', dataset.id);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot have a classifier: the dataset has no held-out split/);
  });
});

describe('import-paired from the command line', () => {
  const dataDir = tempDir('cli-paired');
  const cli = cliIn(dataDir);
  const png = (colour: string) => sharp({ create: { width: 12, height: 12, channels: 3, background: colour } }).png();

  it('imports A/ and B/ as two datasets naming each other, says both ids and counts and lists the rejects', async () => {
    const folder = tempDir('cli-paired-folders');
    for (const [side, name, colour] of [['A', '1.png', '#102030'], ['B', '1.jpg', '#302010'], ['A', 'x/2.png', '#405060'], ['B', 'x/2.png', '#605040'], ['A', 'lonely.png', '#000000']] as const) {
      mkdirSync(dirname(join(folder, side, name)), { recursive: true });
      await png(colour).toFile(join(folder, side, name));
    }
    const imported = await cli('--json', 'import-paired', folder, '--size', '12', '--name', 'colours');
    expect(imported.code).toBe(0);
    const { a, b, rejected } = imported.json as { a: Dataset; b: Dataset; rejected: RejectedFile[] };
    expect(a).toMatchObject({ name: 'colours · A', count: 2, size: 12, pair: { datasetId: b.id, role: 'A' } });
    expect(b).toMatchObject({ name: 'colours · B', count: 2, pair: { datasetId: a.id, role: 'B' } });
    expect(rejected).toEqual([{ file: 'A/lonely.png', reason: 'no partner in B/' }]);
    const text = await cli('import-paired', folder, '--size', '12', '--channels', '1');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^imported 2 pairs \(12x12, 1 channel\)\nA \(inputs\): {2}ds_\S+ {2}\S+ · A {2}2 images .* inputs \(A\) paired with ds_\S+\nB \(targets\): ds_\S+ .* targets \(B\) paired with ds_\S+\n/);
    expect(text.stdout).toMatch(/rejected: 1\n {2}A\/lonely\.png: no partner in B\/\n$/);
    expect((await cli('--json', 'datasets')).json).toHaveLength(4);
  });

  it('refuses a layout the contract does not list, and a folder without A/ and B/ by name', async () => {
    const folder = tempDir('cli-paired-flat');
    await png('#ffffff').toFile(join(folder, 'one.png'));
    const layout = await cli('import-paired', folder, '--layout', 'stacked');
    expect(layout.code).toBe(2);
    expect(layout.stderr).toMatch(/^error: invalid datasets\.importPaired request: layout: /);
    const missing = await cli('import-paired', folder);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('need the subfolders A/ and B/');
    const split = await cli('--json', 'import-paired', folder, '--layout', 'side-by-side', '--size', '8');
    expect(split).toMatchObject({ code: 2, json: { error: { code: 'NO_IMAGES' } } });
  });
});
