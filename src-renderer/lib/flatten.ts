/** Flattens a nested config object into dotted keys for a compact key/value list. */
export function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [[prefix, Array.isArray(value) ? value.join(', ') : String(value)]];
  }
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.push(...flatten(v, prefix ? `${prefix}.${k}` : k));
  return out;
}
