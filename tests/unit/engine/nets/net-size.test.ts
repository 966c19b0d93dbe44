/** The model-size estimate counts exactly the values the engine's nets create: every arch, norm and conditioning, sizes, depths and D's batch features. */
import { beforeAll, describe, expect, it } from 'vitest';
import { discriminatorSize, generatorSize } from '../../../../src-main/common/net-size';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildDiscriminator, buildGenerator, type NetShape } from '../../../../src-main/engine/nets';
import { counted, tinyModel, tinyShape, type Model } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** Real G and D counts next to the estimate's, for one model on one data shape. */
function compare(model: Model, shape: NetShape) {
  const data = { size: shape.size, channels: shape.channels, numClasses: shape.numClasses };
  const g = generatorSize(model, data, shape.latentSize);
  const d = discriminatorSize(model, data);
  return {
    estimated: { g: { trainable: g.trainable, state: g.state }, d: { trainable: d.trainable, state: d.state } },
    real: { g: counted(buildGenerator(model, shape)), d: counted(buildDiscriminator(model, shape)) },
  };
}

const NORMS = ['none', 'batch', 'layer', 'instance', 'spectral'] as const;
const G_CONDITIONING = ['none', 'cbn', 'embedding'] as const;
const D_CONDITIONING = ['none', 'projection', 'acgan'] as const;

describe('parameter counts of the estimate against the real nets', () => {
  for (const arch of ['dcgan', 'resnet'] as const) {
    for (const gConditioning of G_CONDITIONING) {
      for (const dConditioning of D_CONDITIONING) {
        it(`${arch}, G ${gConditioning}, D ${dConditioning}: every G norm × D norm`, () => {
          for (const gNorm of NORMS) {
            for (const dNorm of NORMS) {
              const model = tinyModel({ arch, gNorm, dNorm, gConditioning, dConditioning, gWidth: 4, dWidth: 6 });
              const { estimated, real } = compare(model, tinyShape({ numClasses: 3 }));
              expect(estimated, `${gNorm}/${dNorm}`).toEqual(real);
            }
          }
        });
      }
    }
  }

  const shapes: [string, Partial<Model>, Partial<NetShape>][] = [
    ['28×28×1, automatic depth', {}, { size: 28, channels: 1 }],
    ['32×32×3, depth 2', { depth: 2 }, { size: 32 }],
    ['64×64×3, wide enough to reach the ×8 width cap', { gWidth: 8, dWidth: 8 }, { size: 64, latentSize: 32 }],
    ['48×48×1, start side 3', {}, { size: 48, channels: 1 }],
    ['16×16, depth 1', { depth: 1 }, {}],
  ];
  for (const arch of ['dcgan', 'resnet'] as const) {
    for (const [label, model, shape] of shapes) {
      it(`${arch} ${label}`, () => {
        for (const extra of [{}, { gNorm: 'spectral', dNorm: 'layer', gConditioning: 'cbn', dConditioning: 'projection' }] as Partial<Model>[]) {
          const { estimated, real } = compare(tinyModel({ arch, gWidth: 4, dWidth: 4, ...model, ...extra }), tinyShape({ numClasses: 4, ...shape }));
          expect(estimated).toEqual(real);
        }
      });
    }
  }

  it('dcgan G without the norm after its projection (the PyTorch peer\'s G): the dense layer keeps its bias, no norm values', () => {
    for (const gNorm of NORMS) {
      for (const gConditioning of G_CONDITIONING) {
        const { estimated, real } = compare(tinyModel({ arch: 'dcgan', gNorm, gConditioning, gProjectionNorm: false }), tinyShape({ numClasses: 3 }));
        expect(estimated.g, `${gNorm}/${gConditioning}`).toEqual(real.g);
      }
    }
  });

  it.each(['dcgan', 'resnet'] as const)('%s D with minibatch stddev, minibatch discrimination and ACGAN on top', (arch) => {
    for (const dNorm of NORMS) {
      const model = tinyModel({
        arch,
        dNorm,
        minibatchStddev: true,
        minibatchDiscrimination: { enabled: true, kernels: 5, kernelDim: 3 },
        dConditioning: 'acgan',
      });
      const { estimated, real } = compare(model, tinyShape({ numClasses: 2 }));
      expect(estimated.d, dNorm).toEqual(real.d);
    }
  });
});
