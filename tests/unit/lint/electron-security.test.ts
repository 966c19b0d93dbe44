/** The electronegativity gate: the real tool finds an insecure window offline, unlisted findings and stale entries fail, the checked-in list is valid. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judge, loadAllowlist, parseAllowlist } from '../../../scripts/electron-audit/allowlist';
import { auditElectron, type Audit } from '../../../scripts/electron-audit/audit';
import { withoutNetwork } from '../../../scripts/electron-audit/offline';
import { repoRoot, tempDir } from '../../fixtures/workbench';

const INSECURE_MAIN = `
const { BrowserWindow } = require('electron');
const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
win.loadURL('http://example.com/');
`;

const reason = 'accepted for this test, with a reason long enough to be read';

describe('the electronegativity gate', () => {
  let audit: Audit;

  it('finds what is wrong in an insecure main process', async () => {
    const app = tempDir('insecure-app');
    mkdirSync(join(app, 'main'));
    writeFileSync(join(app, 'main', 'index.js'), INSECURE_MAIN);
    audit = await auditElectron(app);
    const found = audit.findings.map((f) => `${f.check} ${f.file}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'CONTEXT_ISOLATION_JS_CHECK main/index.js',
        'SANDBOX_JS_CHECK main/index.js',
        'HTTP_RESOURCES_JS_CHECK main/index.js',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK N/A',
      ]),
    );
    expect(audit.unparsed).toEqual([]);
  });

  it('fails on every finding that is not allowlisted, and passes once each is listed with its reason', () => {
    expect(judge(audit.findings, []).unlisted).toHaveLength(audit.findings.length);
    const everything = audit.findings.map((f) => ({ check: f.check, file: f.file, reason }));
    const verdict = judge(audit.findings, everything);
    expect(verdict.unlisted).toEqual([]);
    expect(verdict.stale).toEqual([]);
    expect(verdict.allowed.every((a) => a.reason === reason)).toBe(true);
  });

  it('matches an entry by check and file: the same check elsewhere is still a finding', () => {
    const elsewhere = [{ check: 'CONTEXT_ISOLATION_JS_CHECK', file: 'preload/index.cjs', reason }];
    const verdict = judge(audit.findings, elsewhere);
    expect(verdict.unlisted.map((f) => f.check)).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(verdict.stale).toEqual(elsewhere);
  });

  it('refuses an allowlist entry without a reason, or with unknown keys, naming the entry', () => {
    expect(() => parseAllowlist([{ check: 'PRELOAD_JS_CHECK', file: 'main/index.js' }], 'allow.json')).toThrow(/allow\.json: entry 0\.reason/);
    expect(() => parseAllowlist([{ check: 'PRELOAD_JS_CHECK', file: 'main/index.js', reason: 'ok' }], 'allow.json')).toThrow(/give the reason/);
    expect(() => parseAllowlist([{ check: 'X', file: 'y', reason, line: 3 }], 'allow.json')).toThrow(/entry 0/);
    expect(() => parseAllowlist({ check: 'X' }, 'allow.json')).toThrow(/allow\.json/);
  });

  it('runs offline: HTTP clients inside the audit cannot resolve any host, and DNS is restored after', async () => {
    const { get } = await import('node:http');
    const { default: dns } = await import('node:dns');
    const before = dns.lookup;
    const attempt = () =>
      new Promise<string>((resolve) => {
        get('http://electron-releases.example/index.json', () => resolve('connected')).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      });
    const { result, refusedHosts } = await withoutNetwork(attempt);
    expect(result).toBe('ENETDOWN');
    expect(refusedHosts).toEqual(['electron-releases.example']);
    expect(dns.lookup).toBe(before);
  });

  it('the checked-in allowlist is valid', () => {
    const entries = loadAllowlist(join(repoRoot, '.electronegativity-allow.json'));
    expect(entries.length).toBeGreaterThan(0);
  });
});
