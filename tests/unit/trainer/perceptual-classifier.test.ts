/** The trainer's reading of a dataset's classifier for the perceptual loss: decoded from model.json and weights.bin without a tensor, the same weights and input side the classifier was saved with, refused when it is not the in-domain network. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../src-main/engine/backends/resolve-backend';
import { buildDomainClassifier } from '../../../src-main/engine/evaluators/feature-nets/domain-classifier';
import { readFrozenClassifier } from '../../../src-main/utility/classifier-job';
import { saveArtifacts } from '../../../src-main/utility/save-artifacts';
import { tempDir } from '../../fixtures/workbench';

beforeAll(async () => {
  await resolveBackend('wasm');
});

async function saved(model: tf.LayersModel, dir: string): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  await saveArtifacts(artifacts!, dir);
}

describe('readFrozenClassifier', () => {
  it.each([
    [28, 1, 28],
    [64, 3, 32],
  ] as const)('reads a %i-pixel, %i-channel dataset’s classifier back with its weights and its %i-pixel input, creating no tensor', async (size, channels, side) => {
    const model = buildDomainClassifier({ size, channels, classes: 4 }, 7);
    const dir = tempDir('frozen-classifier');
    await saved(model, dir);
    const before = tf.memory().numTensors;
    const frozen = await readFrozenClassifier(dir);
    expect(tf.memory().numTensors).toBe(before);
    expect(frozen.shape).toEqual({ size: side, channels, classes: 4 });
    const expected = model.getWeights();
    expect(frozen.weights.map((w) => w.shape)).toEqual(expected.map((w) => w.shape));
    frozen.weights.forEach((w, i) => expect(w.values).toEqual(expected[i]!.dataSync()));
    model.dispose();
  });

  it('refuses files that are not the in-domain network', async () => {
    const dir = tempDir('not-a-classifier');
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    await saved(dense, dir);
    dense.dispose();
    await expect(readFrozenClassifier(dir)).rejects.toThrow(/not the in-domain network/);
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(4));
    await expect(readFrozenClassifier(dir)).rejects.toThrow(/ends before weight/);
  });
});
