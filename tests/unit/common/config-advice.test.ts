/** Advice on valid configs: a loss set by hand without its paper's optimizer or critic steps is advised, its preset is not, and following the advice clears it. */
import { describe, expect, it } from 'vitest';
import { ConfigAdvice, configAdvice } from '../../../src-main/common/config-advice';
import { resolveConfig, resolveConfigOrThrow } from '../../../src-main/common/config-resolve';
import { LOSS_TYPES } from '../../../src-main/common/loss-families';
import { PRESET_NAMES } from '../../../src-main/common/presets';
import { setAt } from '../../../src-renderer/lib/config-schema';

const codes = (config: Record<string, unknown>) => configAdvice(resolveConfigOrThrow({ config })).map((a) => a.code);

describe('configAdvice', () => {
  it('advises WGAN set by hand on Adam and one critic step, and WGAN-GP on the DCGAN betas', () => {
    expect(codes({ loss: { type: 'wgan' } })).toEqual(['critic-optimizer', 'critic-steps']);
    expect(codes({ loss: { type: 'wgan-gp' }, model: { dNorm: 'layer' } })).toEqual(['critic-steps', 'gp-adam-betas']);
    expect(codes({ loss: { type: 'wgan-gp', nCritic: 5 }, model: { dNorm: 'layer' }, optimizerD: { beta1: 0.4 } })).toEqual([]);
    // RMSProp for D but Adam left on G is still against the paper.
    expect(codes({ loss: { type: 'wgan', nCritic: 5 }, optimizerD: { type: 'rmsprop' } })).toEqual(['critic-optimizer']);
  });

  it('has nothing to say about the defaults, the other losses, or any preset', () => {
    for (const type of LOSS_TYPES.filter((t) => !t.startsWith('wgan'))) expect(codes({ loss: { type } }), type).toEqual([]);
    for (const preset of PRESET_NAMES) expect(configAdvice(resolveConfigOrThrow({ preset })), preset).toEqual([]);
  });

  it('names the field, the preset and the values to set; following every piece of advice leaves none', () => {
    const [optimizer] = configAdvice(resolveConfigOrThrow({ config: { loss: { type: 'wgan' } } }));
    expect(optimizer).toMatchObject({ path: 'optimizerD.type', preset: 'wgan', suggest: { 'optimizerD.type': 'rmsprop', 'optimizerD.lr': 5e-5 } });
    expect(optimizer!.message).toContain('RMSProp at lr 5e-5');
    for (const type of ['wgan', 'wgan-gp'] as const) {
      let config: Record<string, unknown> = { loss: { type }, model: { dNorm: 'layer' } };
      for (const a of configAdvice(resolveConfigOrThrow({ config }))) {
        for (const [path, value] of Object.entries(a.suggest)) config = setAt(config, path, value);
      }
      expect(codes(config), type).toEqual([]);
    }
  });

  it('comes with every valid resolution, never with a refusal', () => {
    const ok = resolveConfig({ config: { loss: { type: 'wgan' } } });
    expect(ok.ok && ok.advice.map((a) => a.code)).toEqual(['critic-optimizer', 'critic-steps']);
    const refused = resolveConfig({ config: { loss: { type: 'wgan' }, batchSize: 1 } });
    expect(refused.ok).toBe(false);
    expect('advice' in refused).toBe(false);
  });

  it('advises WGAN’s optimizer when either network is on Adam', () => {
    expect(codes({ loss: { type: 'wgan', nCritic: 5 }, optimizerG: { type: 'rmsprop' } })).toEqual(['critic-optimizer']);
    expect(codes({ loss: { type: 'wgan', nCritic: 5 }, optimizerG: { type: 'rmsprop' }, optimizerD: { type: 'sgd' } })).toEqual([]);
  });

  it('advises WGAN-GP’s betas only for Adam on D with β1 from 0.5 up', () => {
    const gp = (optimizerD: Record<string, unknown>) => codes({ loss: { type: 'wgan-gp', nCritic: 5 }, model: { dNorm: 'layer' }, optimizerD });
    expect(gp({ beta1: 0.5 })).toEqual(['gp-adam-betas']);
    expect(gp({ beta1: 0.49 })).toEqual([]);
    expect(gp({ type: 'rmsprop', beta1: 0.5 })).toEqual([]);
  });

  it('words the critic-steps and betas advice for the chosen loss, at the field to change', () => {
    const advice = configAdvice(resolveConfigOrThrow({ config: { loss: { type: 'wgan-gp' }, model: { dNorm: 'layer' } } }));
    expect(advice).toEqual([
      {
        code: 'critic-steps',
        path: 'loss.nCritic',
        suggest: { 'loss.nCritic': 5 },
        preset: 'wgan-gp',
        message:
          'a Wasserstein critic is trained 5 times per generator step in its paper, so that it stays close to optimal; with 1, its estimate of the distance lags. The wgan-gp preset sets this.',
      },
      {
        code: 'gp-adam-betas',
        path: 'optimizerD.beta1',
        suggest: { 'optimizerD.beta1': 0, 'optimizerD.beta2': 0.9, 'optimizerG.beta1': 0, 'optimizerG.beta2': 0.9, 'optimizerD.lr': 1e-4, 'optimizerG.lr': 1e-4 },
        preset: 'wgan-gp',
        message:
          'WGAN-GP trains with Adam at lr 1e-4, β1 0 and β2 0.9 in its paper; β1 0.5 (the DCGAN default) adds momentum the critic does not need. The wgan-gp preset sets this.',
      },
    ]);
    expect(configAdvice(resolveConfigOrThrow({ config: { loss: { type: 'wgan' } } }))[1]?.preset).toBe('wgan');
  });

  it('passes the API’s response schema unchanged, every kind of it', () => {
    const advice = [
      ...configAdvice(resolveConfigOrThrow({ config: { loss: { type: 'wgan' } } })),
      ...configAdvice(resolveConfigOrThrow({ config: { loss: { type: 'wgan-gp' }, model: { dNorm: 'layer' } } })),
    ];
    expect(new Set(advice.map((a) => a.code))).toEqual(new Set(['critic-optimizer', 'critic-steps', 'gp-adam-betas']));
    expect(ConfigAdvice.array().parse(advice)).toEqual(advice);
    expect(ConfigAdvice.safeParse({ ...advice[0], code: 'louder' }).success).toBe(false);
  });
});
