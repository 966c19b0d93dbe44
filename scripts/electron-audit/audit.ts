/** Electronegativity over a built app folder, offline: its release-list check is excluded and its translation download refused. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { withoutNetwork } from './offline';

const require = createRequire(import.meta.url);

export interface Finding {
  check: string;
  /** Relative to the scanned folder, with forward slashes; `N/A` for a finding about the app as a whole. */
  file: string;
  line: number;
  column: number;
  severity: string;
  confidence: string;
  description: string;
}

export interface Audit {
  findings: Finding[];
  /** Files the tool could not parse, so could not check. */
  unparsed: { file: string; message: string }[];
  refusedHosts: string[];
  checks: number;
  electronVersion: string;
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  description: string;
}

interface RawResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: RawIssue[];
}

type Run = (options: Record<string, unknown>) => Promise<RawResult>;

/** Needs the network (it downloads Electron's release list); the Electron version is pinned by package.json anyway. */
const ONLINE_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

export async function auditElectron(input: string): Promise<Audit> {
  const run = require('@doyensec/electronegativity') as Run;
  // Checks depend on the Electron version's defaults; the folder has no package.json to read it from.
  const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
  const { result, refusedHosts } = await withoutNetwork(() =>
    run({ input, isRelative: true, excludeFromScan: ONLINE_CHECKS, electronVersionOverride: electronVersion }),
  );
  return {
    findings: result.issues.map((i) => ({
      check: i.id,
      file: i.file.split(sep).join('/'),
      line: i.location.line,
      column: i.location.column,
      severity: i.severity.name,
      confidence: i.confidence.name,
      description: i.description,
    })),
    unparsed: result.errors.filter((e) => !e.tolerable).map(({ file, message }) => ({ file, message })),
    refusedHosts,
    checks: result.globalChecks + result.atomicChecks,
    electronVersion,
  };
}
