/**
 * Advice on a valid config: settings that train but go against the paper of the chosen loss, so a
 * user who set `loss.type` by hand learns what its preset would also have changed. Advice never
 * refuses a config; the editor shows it beside the fields and the CLI prints it.
 */
import { z } from 'zod';
import { LOSS_FAMILIES } from './loss-families';
import type { TrainingConfig } from './training-config';

export const AdviceCode = z.enum(['critic-optimizer', 'critic-steps', 'gp-adam-betas']);
export type AdviceCode = z.infer<typeof AdviceCode>;

export const ConfigAdvice = z.object({
  code: AdviceCode,
  /** The field the advice is about, as the editor names fields (`loss.nCritic`). */
  path: z.string(),
  /** The values the paper (and the preset named in `preset`) uses, by field path: applying them follows the advice. */
  suggest: z.record(z.string(), z.union([z.number(), z.string()])),
  preset: z.string(),
  message: z.string(),
});
export type ConfigAdvice = z.infer<typeof ConfigAdvice>;

export function configAdvice(c: TrainingConfig): ConfigAdvice[] {
  const loss = LOSS_FAMILIES[c.loss.type];
  const out: ConfigAdvice[] = [];
  if (loss.lipschitz === 'clip' && (c.optimizerD.type === 'adam' || c.optimizerG.type === 'adam')) {
    out.push({
      code: 'critic-optimizer',
      path: 'optimizerD.type',
      suggest: { 'optimizerD.type': 'rmsprop', 'optimizerD.lr': 5e-5, 'optimizerG.type': 'rmsprop', 'optimizerG.lr': 5e-5 },
      preset: 'wgan',
      message:
        'WGAN with weight clipping trains with RMSProp at lr 5e-5 in its paper; Adam’s momentum made it unstable there. The wgan preset sets this.',
    });
  }
  if (loss.family === 'critic' && c.loss.nCritic === 1) {
    out.push({
      code: 'critic-steps',
      path: 'loss.nCritic',
      suggest: { 'loss.nCritic': 5 },
      preset: c.loss.type,
      message: `a Wasserstein critic is trained 5 times per generator step in its paper, so that it stays close to optimal; with 1, its estimate of the distance lags. The ${c.loss.type} preset sets this.`,
    });
  }
  if (loss.lipschitz === 'gradient-penalty' && c.optimizerD.type === 'adam' && c.optimizerD.beta1 >= 0.5) {
    out.push({
      code: 'gp-adam-betas',
      path: 'optimizerD.beta1',
      suggest: { 'optimizerD.beta1': 0, 'optimizerD.beta2': 0.9, 'optimizerG.beta1': 0, 'optimizerG.beta2': 0.9, 'optimizerD.lr': 1e-4, 'optimizerG.lr': 1e-4 },
      preset: 'wgan-gp',
      message: 'WGAN-GP trains with Adam at lr 1e-4, β1 0 and β2 0.9 in its paper; β1 0.5 (the DCGAN default) adds momentum the critic does not need. The wgan-gp preset sets this.',
    });
  }
  return out;
}
