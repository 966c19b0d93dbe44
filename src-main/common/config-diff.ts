/** Config differences by dotted path: what a run changed from its preset, what differs across compared runs (the Compare page and `compare` in the CLI), and the patch to send. */

export type Leaves = Map<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every leaf of a config by dotted path; arrays are leaves (a DiffAugment policy list is one setting). */
export function leaves(config: unknown, prefix = '', out: Leaves = new Map()): Leaves {
  if (!isObject(config)) {
    if (prefix) out.set(prefix, config);
    return out;
  }
  for (const [k, v] of Object.entries(config)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

/** Exactly the leaves whose values differ, in the order of `to`'s keys (then keys only `from` has). */
export function diffConfigs(from: unknown, to: unknown): Change[] {
  const a = leaves(from);
  const b = leaves(to);
  const paths = [...b.keys(), ...[...a.keys()].filter((k) => !b.has(k))];
  return paths.filter((p) => !sameValue(a.get(p), b.get(p))).map((path) => ({ path, from: a.get(path), to: b.get(path) }));
}

export interface Row {
  path: string;
  values: unknown[];
}

/** The leaves on which any of the configs disagree, with every config's value. */
export function diffMany(configs: readonly unknown[]): Row[] {
  const all = configs.map((c) => leaves(c));
  const paths = [...new Set(all.flatMap((l) => [...l.keys()]))];
  return paths
    .map((path) => ({ path, values: all.map((l) => l.get(path)) }))
    .filter((row) => row.values.some((v) => !sameValue(v, row.values[0])));
}

/** The smallest partial config that turns `base` into `config`: only changed leaves, nested. */
export function patchOf(base: unknown, config: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { path, to } of diffConfigs(base, config)) {
    if (to === undefined) continue;
    const keys = path.split('.');
    let cur = out;
    keys.slice(0, -1).forEach((k) => {
      if (!isObject(cur[k])) cur[k] = {};
      cur = cur[k] as Record<string, unknown>;
    });
    cur[keys[keys.length - 1]!] = to;
  }
  return out;
}

/** A value as a table cell shows it. */
export function showValue(v: unknown): string {
  if (v === undefined) return '—';
  // A list of records (progressive.phases) shows each record, not "[object Object]".
  if (Array.isArray(v)) return v.length === 0 ? '[]' : v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(', ');
  return String(v);
}
