/** The checked-in list of accepted electronegativity findings (check + file + reason), and the verdict of an audit against it. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Finding } from './audit';

const AllowEntry = z
  .object({
    check: z.string().min(1),
    /** As the audit reports it: relative to out/, forward slashes, or N/A. */
    file: z.string().min(1),
    /** Why the finding is not a problem here; a reviewer reads it. */
    reason: z.string().min(30, 'give the reason in a sentence or more'),
  })
  .strict();
export type AllowEntry = z.infer<typeof AllowEntry>;

export function parseAllowlist(json: unknown, source: string): AllowEntry[] {
  const parsed = z.array(AllowEntry).safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${source}: entry ${issue.path.join('.')}: ${issue.message}`);
}

export function loadAllowlist(path: string): AllowEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseAllowlist(json, path);
}

export interface Verdict {
  /** Findings nobody has accepted: each fails the gate. */
  unlisted: Finding[];
  allowed: { finding: Finding; reason: string }[];
  /** Entries no finding matches any more: they fail the gate too, so the list never outlives its reasons. */
  stale: AllowEntry[];
}

export function judge(findings: Finding[], allowlist: AllowEntry[]): Verdict {
  const entryOf = (f: Finding) => allowlist.find((e) => e.check === f.check && e.file === f.file);
  const unlisted: Finding[] = [];
  const allowed: Verdict['allowed'] = [];
  for (const finding of findings) {
    const entry = entryOf(finding);
    if (entry) allowed.push({ finding, reason: entry.reason });
    else unlisted.push(finding);
  }
  const stale = allowlist.filter((e) => !findings.some((f) => f.check === e.check && f.file === e.file));
  return { unlisted, allowed, stale };
}
