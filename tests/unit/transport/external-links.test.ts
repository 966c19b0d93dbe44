/** Which links the desktop app hands to the user's browser: https on the allowlisted hosts, and no lookalikes. */
import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../../src-main/transport/external-links';

describe('external links', () => {
  it.each([
    'https://github.com/',
    'https://github.com/tensorflow/tfjs/issues/3830',
    'https://arxiv.org/abs/1511.06434',
    'https://GitHub.com/x',
    'https://github.com:443/x',
  ])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['plain http', 'http://github.com/'],
    ['a lookalike host', 'https://github.com.evil.io/'],
    ['a host ending like ours', 'https://evilgithub.com/'],
    ['a subdomain', 'https://gist.github.com/'],
    ['userinfo that hides the real host', 'https://github.com@evil.io/'],
    ['userinfo on our host', 'https://user:pass@github.com/'],
    ['a trailing dot', 'https://github.com./'],
    ['another port', 'https://github.com:8443/'],
    ['an IDN homograph', 'https://gіthub.com/'],
    ['javascript:', 'javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['a custom scheme', 'app://renderer/index.html'],
    ['a relative URL', '/github.com'],
    ['no URL at all', ''],
  ])('refuses %s: %s', (_what, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});
