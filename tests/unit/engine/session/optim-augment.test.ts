/** Optimizers, schedules and gradient clipping as the session applies them; classic augmentation of reals; DiffAugment with ADA. */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { scheduledRate } from '../../../../src-main/engine/optim/lr-schedule';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { mnistData, tinyConfig, trainableSnapshot, trainsAndLearns } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('optimizers and schedules', () => {
  for (const type of ['adam', 'rmsprop', 'sgd'] as const) {
    for (const schedule of ['constant', 'linear', 'cosine'] as const) {
      it(`${type} with a ${schedule} schedule: trains, lr_g and lr_d follow the schedule (TTUR rates)`, async () => {
        // SGD's raw gradients are small here: it needs larger rates than the adaptive optimizers.
        const [lrG, lrD] = type === 'sgd' ? [0.05, 0.1] : [1e-4, 2e-4];
        const optimizer = (lr: number) => ({ type, schedule, lr, momentum: type === 'adam' ? 0 : 0.5 });
        const config = tinyConfig({ steps: 12, optimizerG: optimizer(lrG), optimizerD: optimizer(lrD) });
        const { session, metrics } = await trainsAndLearns(config);
        metrics.forEach((m, step) => {
          expect(m['lr_g']).toBeCloseTo(scheduledRate(schedule, lrG, step, 12), 12);
          expect(m['lr_d']).toBeCloseTo(scheduledRate(schedule, lrD, step, 12), 12);
        });
        session.dispose();
      });
    }
  }

  it('gradient-norm clipping caps the update: plain SGD moves G by exactly lr·clip when the norm is above it', async () => {
    const config = tinyConfig({ optimizerG: { type: 'sgd', lr: 0.01, gradClip: 1e-3 } });
    const session = new TrainingSession({ config, data: mnistData() });
    const before = trainableSnapshot(session);
    const m = await session.step();
    expect(m['g_grad_norm']).toBeGreaterThan(1e-3);
    let squared = 0;
    for (const [name, after] of trainableSnapshot(session)) {
      if (!name.startsWith('g/')) continue;
      after.forEach((v, i) => (squared += (v - before.get(name)![i]!) ** 2));
    }
    expect(Math.sqrt(squared)).toBeCloseTo(0.01 * 1e-3, 7);
    session.dispose();
  });
});

describe('classic augmentation of reals', () => {
  const ops = {
    flip: { flip: 1 },
    rotation: { rotation: { p: 1, degrees: 30 } },
    scale: { scale: { p: 1, amount: 0.3 } },
    translation: { translation: { p: 1 } },
    crop: { crop: { p: 1, fraction: 0.6 } },
    colorJitter: { colorJitter: { p: 1 } },
    cutout: { cutout: { p: 1 } },
    noise: { noise: { p: 1, std: 0.2 } },
  };
  const plainFirst = async () => {
    const s = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    const m = await s.step();
    s.dispose();
    return m;
  };
  for (const [name, augment] of Object.entries(ops)) {
    it(`${name}: trains, and changes what D sees of the reals only`, async () => {
      const { session, metrics } = await trainsAndLearns(tinyConfig({ augment }));
      const plain = await plainFirst();
      // Same draws otherwise: the fakes D sees are the same, the reals are not.
      expect(metrics[0]!['d_fake']).toBeCloseTo(plain['d_fake']!, 6);
      expect(metrics[0]!['d_real']).not.toBeCloseTo(plain['d_real']!, 6);
      session.dispose();
    });
  }
});

describe('DiffAugment and ADA', () => {
  it('DiffAugment alone (p = 1) transforms reals and fakes alike', async () => {
    const { session, metrics } = await trainsAndLearns(tinyConfig({ augment: { diffAugment: ['color', 'translation', 'cutout'] } }));
    const plain = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    const reference = await plain.step();
    expect(metrics[0]!['d_real']).not.toBeCloseTo(reference['d_real']!, 6);
    expect(metrics[0]!['d_fake']).not.toBeCloseTo(reference['d_fake']!, 6);
    expect(Object.keys(metrics[0]!)).not.toContain('aug_p');
    [session, plain].forEach((s) => s.dispose());
  });

  it('ADA moves p by sign(r_t − target)·batch·interval/speedImages, starting from 0, clipped to [0, 1]', async () => {
    const config = tinyConfig({ augment: { diffAugment: ['color', 'translation', 'cutout'], ada: { enabled: true, target: 0.6, interval: 1, speedImages: 80 } } });
    const { session, metrics } = await trainsAndLearns(config, 12);
    let p = 0;
    for (const m of metrics) {
      expect(Math.abs(m['ada_rt']!)).toBeLessThanOrEqual(1);
      p = Math.min(1, Math.max(0, p + Math.sign(m['ada_rt']! - 0.6) * 0.1));
      expect(m['aug_p']).toBeCloseTo(p, 9);
    }
    expect(metrics.some((m) => m['aug_p']! > 0)).toBe(true);
    session.dispose();
  });
});
