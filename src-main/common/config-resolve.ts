/** Builds a config from a preset, a partial config and `path.to.key=value` overrides, and validates it once. */
import { configAdvice, type ConfigAdvice } from './config-advice';
import { WorkbenchError, issuesOf, type FieldIssue } from './errors';
import { PRESETS, PRESET_NAMES, isPresetName } from './presets';
import { TrainingConfig } from './training-config';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge for plain objects; arrays and scalars of `over` replace those of `base`. */
export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/** `a.b.c=value`: the value is read as JSON when it parses (numbers, booleans, arrays, null), else as a string. */
export function parseOverride(text: string): Json {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new WorkbenchError('INVALID_REQUEST', `--set wants path.to.key=value, not "${text}"`);
  const path = text.slice(0, eq).trim().split('.');
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  if (path.some((p) => p.length === 0 || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new WorkbenchError('INVALID_REQUEST', `--set has an invalid key path "${text.slice(0, eq)}"`);
  }
  return path.reduceRight<unknown>((acc, key) => ({ [key]: acc }), value) as Json;
}

export interface ResolveInput {
  preset?: string;
  config?: unknown;
  overrides?: readonly string[];
}

export type Resolved = { ok: true; config: TrainingConfig; advice: ConfigAdvice[] } | { ok: false; issues: FieldIssue[] };

function unknownPreset(name: string): FieldIssue {
  return { path: 'preset', message: `unknown preset "${name}"; choose one of ${PRESET_NAMES.join(', ')}` };
}

export function resolveConfig(input: ResolveInput): Resolved {
  if (input.preset !== undefined && !isPresetName(input.preset)) return { ok: false, issues: [unknownPreset(input.preset)] };
  if (input.config !== undefined && !isObject(input.config)) {
    return { ok: false, issues: [{ path: '(root)', message: 'a config must be a JSON object' }] };
  }
  let merged: Json = input.preset ? structuredClone(PRESETS[input.preset as keyof typeof PRESETS].config) as Json : {};
  if (input.config) merged = deepMerge(merged, input.config as Json);
  for (const o of input.overrides ?? []) merged = deepMerge(merged, parseOverride(o));
  const parsed = TrainingConfig.safeParse(merged);
  return parsed.success ? { ok: true, config: parsed.data, advice: configAdvice(parsed.data) } : { ok: false, issues: issuesOf(parsed.error) };
}

/** The same, throwing INVALID_REQUEST with every field issue (prefixed for the API). */
export function resolveConfigOrThrow(input: ResolveInput, prefix = 'config.'): TrainingConfig {
  const r = resolveConfig(input);
  if (r.ok) return r.config;
  const issues = r.issues.map((i) => ({ ...i, path: i.path === 'preset' ? 'preset' : `${prefix}${i.path}` }));
  throw new WorkbenchError('INVALID_REQUEST', `invalid training config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}

/** A preset's own settings (not the defaults), to lay over a config that is not the defaults, as a fork does. */
export function presetPatchOrThrow(name: string): Json {
  if (!isPresetName(name)) {
    const issue = unknownPreset(name);
    throw new WorkbenchError('INVALID_REQUEST', `invalid training config: preset: ${issue.message}`, { issues: [issue] });
  }
  return structuredClone(PRESETS[name].config) as Json;
}
