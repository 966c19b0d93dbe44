/**
 * The built CLI on webgpu as a user runs it: `doctor` explains in one line why there is no GPU,
 * `--adapter` names the GPUs it found, and `train --backend webgpu` trains the dcgan and
 * sngan-hinge presets with finite losses (SwiftShader's Vulkan here; a real GPU elsewhere).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { useSwiftShader, webgpuAdapterForTests } from '../fixtures/webgpu-env';
import { tempDir } from '../fixtures/workbench';
import { assertBuilt, builtCli } from './serve';

const run = promisify(execFile);

// The CLI's trainer processes inherit this environment.
useSwiftShader();
const adapter = await webgpuAdapterForTests();

/** A nets-and-batches-tiny run: SwiftShader compiles every shader on the CPU. */
const TINY = ['steps=3', 'batchSize=4', 'latentSize=8', 'model.gWidth=4', 'model.dWidth=4', 'sampleGridSize=2', 'intervals.sampleEvery=3', 'intervals.checkpointEvery=3'];

describe('the CLI on webgpu', () => {
  const dataDir = tempDir('cli-gpu');
  const cli = async (args: string[], env: NodeJS.ProcessEnv = process.env) => {
    try {
      const { stdout } = await run(process.execPath, [builtCli, '--data-dir', dataDir, ...args], { env });
      return { code: 0, stdout };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout };
    }
  };

  beforeAll(() => {
    assertBuilt();
  });

  it('doctor on a machine without a Vulkan driver explains in one line why webgpu is unavailable', async () => {
    const noDriver = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/vulkan_icd.json' };
    const json = await cli(['--json', 'doctor'], noDriver);
    expect(json.code).toBe(0);
    const report = (JSON.parse(json.stdout) as { backend: { name: string; reasons: Record<string, string>; adapter: unknown } }).backend;
    expect(report.name).not.toBe('webgpu');
    expect(report.adapter).toBeNull();
    expect(report.reasons['webgpu']).toBe('no GPU adapter: VK_ICD_FILENAMES names a Vulkan driver file that does not exist (/nonexistent/vulkan_icd.json)');
    const text = await cli(['doctor'], noDriver);
    const lines = text.stdout.split('\n').filter((l) => l.includes('webgpu') || l.includes('GPU'));
    expect(lines).toEqual(['  not webgpu: no GPU adapter: VK_ICD_FILENAMES names a Vulkan driver file that does not exist (/nonexistent/vulkan_icd.json)']);
  });

  describe.skipIf(adapter === null)(`with a WebGPU adapter (${adapter?.description ?? 'none'})`, () => {
    let datasetId: string;

    beforeAll(async () => {
      const folder = tempDir('cli-webgpu-mnist');
      await writeMnistFolder(folder, 1);
      // 16 × 16: the fewest layers, so the fewest shaders for SwiftShader to compile.
      const imported = await cli(['--json', 'import', folder, '--size', '16', '--channels', '1']);
      expect(imported.code).toBe(0);
      datasetId = (JSON.parse(imported.stdout) as { dataset: { id: string } }).dataset.id;
    });

    it('doctor names the adapter, its limits and f16, and --adapter lists the GPUs when none matches', async () => {
      const text = await cli(['doctor']);
      expect(text.stdout).toContain(`GPU adapter: ${adapter?.vendor}`);
      expect(text.stdout).toMatch(/\n {2}f16 (yes|no) · maxBufferSize \d/);
      const missing = await cli(['--json', '--backend', 'webgpu', '--adapter', 'no-such-gpu', 'doctor']);
      expect(missing.code).toBe(2);
      expect(missing.stdout).toContain(`no WebGPU adapter matches \\"no-such-gpu\\"; found: ${adapter?.vendor}`);
    });

    for (const preset of ['dcgan', 'sngan-hinge']) {
      it(`train --backend webgpu --preset ${preset}: completes with finite losses`, async () => {
        const trained = await cli(['--json', '--backend', 'webgpu', 'train', '--dataset', datasetId, '--preset', preset, ...TINY.flatMap((s) => ['--set', s])]);
        expect(trained.code).toBe(0);
        const out = JSON.parse(trained.stdout) as { run: { status: string; step: number; backend: string }; lastMetrics: Record<string, number> };
        expect(out.run).toMatchObject({ status: 'completed', step: 3, backend: 'webgpu' });
        expect(Number.isFinite(out.lastMetrics['d_loss'])).toBe(true);
        expect(Number.isFinite(out.lastMetrics['g_loss'])).toBe(true);
      });
    }
  });
});
