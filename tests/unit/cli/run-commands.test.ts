/** The run commands in-process against one real tiny training run: rename, fork, stop, resume, pause (on a server too), generate, export, compare and delete. */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Generated, Run, RunSummary } from '../../../src-main/common/domain';
import type { Row } from '../../../src-main/common/config-diff';
import { startHeadless } from '../../../src-main/headless';
import { cliIn } from '../../fixtures/cli';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { sourceTrainer, tempDir, tinyConfig } from '../../fixtures/workbench';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('run commands', () => {
  const dataDir = tempDir('cli-runs');
  const cli = cliIn(dataDir);
  let parent: Run;
  let fork: Run;

  // One run trained for the whole file: the commands below read, fork and render from it.
  beforeAll(async () => {
    const folder = tempDir('cli-runs-mnist');
    await writeMnistFolder(folder, 1);
    const imported = await cli('--json', 'import', folder, '--size', '16', '--channels', '1');
    const datasetId = (imported.json as { dataset: { id: string } }).dataset.id;
    const configFile = join(tempDir('cli-runs-config'), 'tiny.json');
    writeFileSync(configFile, JSON.stringify(tinyConfig(4, { intervals: { metricsEvery: 1, sampleEvery: 4, checkpointEvery: 4 } })));
    const trained = await cli('--json', 'train', '--dataset', datasetId, '--config', configFile, '--name', 'tiny');
    expect(trained.code).toBe(0);
    parent = (trained.json as { run: Run }).run;
    expect(parent).toMatchObject({ status: 'completed', step: 4 });
  }, 60_000);

  it('rename renames a run; a bad id is refused by the contract', async () => {
    expect((await cli('--json', 'rename', parent.id, 'tiny parent')).json).toMatchObject({ id: parent.id, name: 'tiny parent' });
    expect((await cli('rename', parent.id, 'tiny parent')).stdout).toBe(`run ${parent.id} is now “tiny parent”\n`);
    const bad = await cli('--json', 'rename', 'not an id', 'x');
    expect(bad).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'id' }] } } } });
  });

  it('fork --no-start makes a stopped fork at the checkpoint with --preset and --set over the parent config', async () => {
    const forked = await cli('--json', 'fork', parent.id, '--no-start', '--steps', '6', '--set', 'optimizerD.lr=0.0003', '--name', 'tiny fork');
    expect(forked.code).toBe(0);
    fork = forked.json as Run;
    expect(fork).toMatchObject({ status: 'stopped', step: 4, parentRunId: parent.id, parentStep: 4, name: 'tiny fork' });
    expect(fork.config).toMatchObject({ steps: 6, batchSize: 8, optimizerD: { lr: 0.0003 } });
    // The fork starts at step 4: the core refuses fewer steps, with the field.
    const short = await cli('--json', 'fork', parent.id, '--no-start', '--steps', '3');
    expect(short).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'config.steps' }] } } } });
    // A preset goes over the parent's config: its loss, the parent's batch size, and --set over both.
    const lsgan = (await cli('--json', 'fork', parent.id, '--no-start', '--preset', 'lsgan', '--steps', '6')).json as Run;
    expect(lsgan).toMatchObject({ preset: 'lsgan', config: { loss: { type: 'lsgan' }, batchSize: 8, steps: 6 } });
    expect((await cli('--json', 'delete', lsgan.id, '--yes')).json).toEqual({ deleted: true, id: lsgan.id });
    // At 16×16 D has 2 blocks: feature matching cannot read a third, refused before any run appears.
    const fm = ['--set', 'stabilizers.featureMatching.enabled=true', '--set', 'stabilizers.featureMatching.layer=3'];
    const deep = await cli('--json', 'fork', parent.id, '--no-start', '--steps', '6', ...fm);
    expect(deep).toMatchObject({
      code: 2,
      json: { error: { code: 'INVALID_REQUEST', message: expect.stringContaining('the maximum is 2'), details: { issues: [{ path: 'config.stabilizers.featureMatching.layer' }] } } },
    });
    const preset = await cli('--json', 'fork', parent.id, '--no-start', '--preset', 'nope');
    expect(preset).toMatchObject({ code: 2, json: { error: { details: { issues: [{ path: 'preset' }] } } } });
  });

  it('pause and stop are refused for a run that is not training here, with the core’s reason', async () => {
    expect((await cli('--json', 'pause', parent.id)).json).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((await cli('--json', 'stop', fork.id)).json).toEqual({ error: { code: 'CONFLICT', message: `cannot stop run ${fork.id}: it is stopped` } });
  });

  it('resume trains the stopped fork from its checkpoint to the end, in the foreground', async () => {
    const resumed = await cli('--json', 'resume', fork.id);
    expect(resumed.code).toBe(0);
    const { run, lastMetrics } = resumed.json as { run: Run; lastMetrics: Record<string, number> };
    expect(run).toMatchObject({ id: fork.id, status: 'completed', step: 6 });
    expect(Number.isFinite(lastMetrics.d_loss)).toBe(true);
    expect((await cli('--json', 'resume', fork.id)).json).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringContaining('is completed') } });
  }, 60_000);

  it('compare shows last and best values and the config differences of 2–6 runs, as the contract bounds them', async () => {
    const compared = await cli('--json', 'compare', parent.id, fork.id);
    expect(compared.code).toBe(0);
    const { summaries, configDiff } = compared.json as { summaries: RunSummary[]; configDiff: Row[] };
    expect(summaries.map((s) => s.runId)).toEqual([parent.id, fork.id]);
    expect(configDiff).toEqual([
      { path: 'steps', values: [4, 6] },
      { path: 'optimizerD.lr', values: [0.0002, 0.0003] },
    ]);
    const text = (await cli('compare', parent.id, fork.id)).stdout;
    expect(text).toContain('config differences:');
    expect(text).toMatch(/status\s+completed 4\/4\s+completed 6\/6/);
    expect(text).toMatch(/d_loss\s+-?\d/);
    const one = await cli('--json', 'compare', parent.id);
    expect(one).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', message: expect.stringContaining('compare at least 2 runs') } } });
    const twice = await cli('--json', 'compare', parent.id, parent.id);
    expect(twice.json).toMatchObject({ error: { message: expect.stringContaining('each run only once') } });
  });

  it('generate renders a latent walk to a PNG and prints its path; class rows need a conditional run', async () => {
    const out = join(tempDir('cli-runs-out'), 'walk.png');
    const walk = await cli('--json', 'generate', parent.id, '--walk', '0:3', '--frames', '4', '--out', out);
    expect(walk.code).toBe(0);
    const generated = walk.json as Generated & { absolutePath: string; out: string };
    expect(generated).toMatchObject({ runId: parent.id, step: 4, rows: 1, cols: 4, cellSize: 16, out });
    expect(readFileSync(generated.absolutePath).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(readFileSync(out)).toEqual(readFileSync(generated.absolutePath));
    const classes = await cli('--json', 'generate', parent.id, '--classes');
    expect(classes.json).toMatchObject({ error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'spec.kind' }] } } });
    const frames = await cli('--json', 'generate', parent.id, '--walk', '0:3', '--frames', '99');
    expect(frames.json).toMatchObject({ error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'spec.frames' }] } } });
    // ψ-truncation: said in the output and the file name; a mode without ψ, or ψ out of range, is refused by name.
    const truncated = await cli('generate', parent.id, '--walk', '0:3', '--frames', '4', '--psi', '0.6', '--truncation', 'lerp');
    expect(truncated.stdout).toMatch(new RegExp(`^1×4 images of 16px from step 4 \\(ψ 0\\.6 \\(lerp\\)\\): .*interpolate-4-psi0\\.6lerp-[0-9a-f]{12}\\.png\n$`));
    const modeOnly = await cli('--json', 'generate', parent.id, '--walk', '0:3', '--truncation', 'lerp');
    expect(modeOnly.json).toMatchObject({ error: { code: 'INVALID_REQUEST', message: '--truncation needs --psi (the ψ to truncate at)' } });
    const tooSmall = await cli('--json', 'generate', parent.id, '--walk', '0:3', '--psi', '0.01');
    expect(tooSmall.json).toMatchObject({ error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'spec.truncation.psi', message: expect.stringContaining('between 0.1 and 4') }] } } });
  }, 60_000);

  it('export --format onnx copies the ONNX folder out; the formats in --help are the contract’s, tfjs the default', async () => {
    const out = join(tempDir('cli-runs-onnx'), 'generator');
    const onnx = await cli('--json', 'export', parent.id, '--format', 'onnx', '--out', out);
    expect(onnx.code).toBe(0);
    expect(onnx.json).toMatchObject({ runId: parent.id, step: 4, format: 'onnx', out });
    expect(readdirSync(out).sort()).toEqual(['README.md', 'config.json', 'example.png', 'generator.json', 'generator.onnx']);
    const tfjsOut = join(tempDir('cli-runs-tfjs'), 'generator');
    const tfjs = await cli('export', parent.id, '--out', tfjsOut);
    expect(tfjs.stdout).toBe(`exported the generator of run ${parent.id} at step 4 (tfjs) to ${tfjsOut}\n`);
    expect(existsSync(join(tfjsOut, 'model.json'))).toBe(true);
    const psiOut = join(tempDir('cli-runs-psi'), 'generator');
    const truncated = await cli('export', parent.id, '--psi', '0.7', '--out', psiOut);
    expect(truncated.stdout).toBe(`exported the generator of run ${parent.id} at step 4 (tfjs, sampled with ψ 0.7) to ${psiOut}\n`);
    expect(JSON.parse(readFileSync(join(psiOut, 'generator.json'), 'utf8'))).toMatchObject({ truncation: { psi: 0.7, mode: 'resample' } });
    // A synthetic dataset, imported at once: the new dataset keeps where its images came from.
    const synthetic = await cli('--json', 'export', parent.id, '--format', 'dataset', '--count', '12', '--seed', '3', '--import', '--name', 'fake digits');
    expect(synthetic.code).toBe(0);
    expect(synthetic.json).toMatchObject({ format: 'dataset', dataset: { name: 'fake digits', count: 12, synthetic: { runId: parent.id, step: 4, seed: 3, count: 12 } } });
    const humans = await cli('export', parent.id, '--format', 'dataset', '--count', '12', '--seed', '3', '--import');
    expect(humans.stdout).toMatch(new RegExp(`^imported 12 images from run ${parent.id} at step 4 as dataset ds_\\w+ \\(.+ · synthetic \\(step 4\\)\\)\\n$`));
    const importTfjs = await cli('--json', 'export', parent.id, '--import');
    expect(importTfjs.json).toMatchObject({ error: { code: 'INVALID_REQUEST', message: '--import and --name go with --format dataset' } });
    const countTfjs = await cli('--json', 'export', parent.id, '--count', '5', '--out', join(tempDir('cli-runs-count'), 'x'));
    expect(countTfjs.json).toMatchObject({ error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'count', message: 'only a dataset export takes count (format is tfjs)' }] } } });
    // The confidence filter needs the dataset's classifier: ten digits have no held-out split to measure one on.
    const filtered = await cli('--json', 'export', parent.id, '--format', 'dataset', '--count', '5', '--min-confidence', '0.9', '--import');
    expect(filtered).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'minConfidence', message: expect.stringMatching(/has no classifier: .*no held-out split/) }] } } } });
    const help = (await cli('export', '--help')).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/--format <format> tfjs: .* One of tfjs, onnx, html, dataset \(default: tfjs\)/);
    expect(help).toMatch(/--min-confidence <p> dataset only: keep an image only if the dataset's in-domain classifier gives its class at least this probability/);
  }, 60_000);

  it('pause, resume and stop a run that trains on a server (--server): resume follows it until it stops', async () => {
    const long = (await cli('--json', 'fork', parent.id, '--no-start', '--steps', '100000')).json as Run;
    const staticDir = tempDir('cli-runs-static');
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GAN Workbench</title>');
    const app = await startHeadless({ dataDir, staticDir, trainerEntry: sourceTrainer.entry, trainerExecArgv: sourceTrainer.execArgv, version: 'test' });
    const remote = (...args: string[]) => cli('--server', app.server.openUrl, '--json', ...args);
    const statusOf = async () => ((await remote('runs')).json as Run[]).find((r) => r.id === long.id)?.status;
    const until = async (status: string) => {
      while ((await statusOf()) !== status) await new Promise((r) => setTimeout(r, 100));
    };
    try {
      const following = remote('resume', long.id);
      await until('running');
      expect((await remote('pause', long.id)).json).toMatchObject({ id: long.id });
      await until('paused');
      expect((await remote('stop', long.id)).json).toMatchObject({ id: long.id });
      const followed = await following;
      expect(followed).toMatchObject({ code: 1, json: { run: { id: long.id, status: 'stopped' } } });
    } finally {
      await app.close();
    }
    expect((await cli('--json', 'delete', long.id, '--yes')).json).toEqual({ deleted: true, id: long.id });
  }, 60_000);

  it('delete asks for --yes without a terminal, then deletes the run and its folder', async () => {
    expect((await cli('--json', 'delete', fork.id)).json).toMatchObject({ error: { message: expect.stringContaining('--yes') } });
    expect((await cli('--json', 'delete', fork.id, '--yes')).json).toEqual({ deleted: true, id: fork.id });
    expect(existsSync(join(dataDir, 'runs', fork.id))).toBe(false);
    expect((await cli('--json', 'runs')).json as Run[]).toEqual([expect.objectContaining({ id: parent.id })]);
  });
});
