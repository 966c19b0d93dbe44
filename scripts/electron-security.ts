/** `npm run test:electron-security`: electronegativity over the built out/, offline; fails on any finding not allowlisted with its reason. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllowlist, judge } from './electron-audit/allowlist';
import { auditElectron, type Finding } from './electron-audit/audit';

const root = join(import.meta.dirname, '..');
const out = join(root, 'out');
const allowlistFile = '.electronegativity-allow.json';

const where = (f: Finding) => `${f.check} in ${f.file}:${f.line}:${f.column} (${f.severity}, ${f.confidence})`;

async function main(): Promise<number> {
  if (!existsSync(join(out, 'main', 'index.js'))) {
    console.error('electron security: out/ is not built; run `npm run build` first (npm test builds before this step)');
    return 1;
  }
  const allowlist = loadAllowlist(join(root, allowlistFile));
  const audit = await auditElectron(out);
  const verdict = judge(audit.findings, allowlist);

  console.log(`electron security: electronegativity, ${audit.checks} checks, Electron ${audit.electronVersion}, over out/`);
  if (audit.refusedHosts.length > 0) console.log(`  offline run: refused network lookups of ${audit.refusedHosts.join(', ')}`);
  for (const { finding, reason } of verdict.allowed) console.log(`  allowed  ${where(finding)}\n           ${reason}`);
  for (const f of verdict.unlisted) console.error(`  FINDING  ${where(f)}\n           ${f.description}`);
  for (const e of verdict.stale) console.error(`  STALE    ${e.check} in ${e.file}: no finding matches this allowlist entry any more; remove it`);
  for (const u of audit.unparsed) console.error(`  UNPARSED ${u.file}: ${u.message}`);

  const failures = verdict.unlisted.length + verdict.stale.length + audit.unparsed.length;
  if (failures > 0) {
    console.error(`electron security: ${failures} problem(s). Fix each finding, or add it to ${allowlistFile} with the reason it is safe.`);
    return 1;
  }
  console.log(`electron security: no unlisted findings (${verdict.allowed.length} allowlisted with reasons)`);
  return 0;
}

process.exitCode = await main();
