/** `config` and `train` print advice on a valid config to stderr, with the --set flags that follow it; stdout keeps only the result. */
import { describe, expect, it } from 'vitest';
import { cliIn } from '../../fixtures/cli';
import { tempDir } from '../../fixtures/workbench';

describe('CLI advice', () => {
  const cli = cliIn(tempDir('cli-advice'));

  it('config: a WGAN set by hand resolves, and stderr says what its paper does differently', async () => {
    const r = await cli('--json', 'config', '--set', 'loss.type=wgan');
    expect(r.code).toBe(0);
    expect((r.json as { loss: { type: string } }).loss.type).toBe('wgan');
    expect(r.stderr).toContain('advice: optimizerD.type: WGAN with weight clipping trains with RMSProp at lr 5e-5');
    expect(r.stderr).toContain('--set optimizerD.type=rmsprop --set optimizerD.lr=0.00005');
    expect(r.stderr).toContain('advice: loss.nCritic:');
  });

  it('config: the wgan preset, and a config that follows the advice, get none', async () => {
    expect((await cli('config', '--preset', 'wgan')).stderr).toBe('');
    const followed = await cli('config', '--set', 'loss.type=wgan', '--set', 'loss.nCritic=5', '--set', 'optimizerD.type=rmsprop', '--set', 'optimizerG.type=rmsprop');
    expect(followed.code).toBe(0);
    expect(followed.stderr).toBe('');
  });
});
