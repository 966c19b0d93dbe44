/** The hyperparameter editor's fields, generated from the one config schema (zod → JSON Schema): types, bounds, choices, defaults. */
import { z } from 'zod';
import { TrainingConfig } from '@common/training-config';

export const GROUPS = ['data', 'model', 'loss', 'stabilizers', 'optimization', 'growth', 'schedule'] as const;
export type GroupId = (typeof GROUPS)[number] | 'other';

/** `rows`: a list of small records (progressive growing's per-size settings), edited as a table of `columns`. */
export type FieldKind = 'integer' | 'number' | 'boolean' | 'enum' | 'string' | 'multi' | 'rows';

/** One leaf of the config: what to edit, how, and within which bounds. */
export interface FieldSpec {
  path: string;
  group: GroupId;
  kind: FieldKind;
  /** `null` is a value of its own (e.g. "pick the depth from the image size"). */
  nullable: boolean;
  min?: number;
  max?: number;
  /** The value must be strictly above this (zod `.positive()`). */
  above?: number;
  options?: string[];
  /** Values to offer for a free-text field (any other is allowed too). */
  suggestions?: readonly string[];
  /** The fields of one row of a `rows` field, each with its key as its path. */
  columns?: FieldSpec[];
  default: unknown;
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
}

/** Values to offer for free-text fields, by path (none has any today). */
const SUGGESTIONS: Readonly<Record<string, readonly string[]>> = {};

/** Which tab a path belongs to; a new top-level key lands in "other" until it is given a group here. */
export function groupOf(path: string): GroupId {
  const top = path.split('.')[0]!;
  if (top === 'augment') return 'data';
  if (top === 'model' || top === 'latentSize' || top === 'task') return 'model';
  if (top === 'loss') return 'loss';
  if (top === 'stabilizers') return 'stabilizers';
  if (top === 'optimizerG' || top === 'optimizerD' || top === 'batchSize') return 'optimization';
  if (top === 'progressive') return 'growth';
  if (['steps', 'seed', 'intervals', 'sampleGridSize', 'evaluation', 'compute'].includes(top)) return 'schedule';
  return 'other';
}

function leaf(path: string, node: JsonSchema): FieldSpec | null {
  const variants = node.anyOf ?? [node];
  const nullable = variants.some((v) => v.type === 'null');
  const main = variants.find((v) => v.type !== 'null') ?? node;
  const base = {
    path,
    group: groupOf(path),
    nullable,
    default: 'default' in node ? node.default : main.default,
  };
  const bounds = {
    ...(main.minimum !== undefined ? { min: main.minimum } : {}),
    // zod writes the largest safe integer for "no upper bound": not a bound worth showing.
    ...(main.maximum !== undefined && main.maximum < Number.MAX_SAFE_INTEGER ? { max: main.maximum } : {}),
    ...(main.exclusiveMinimum !== undefined ? { above: main.exclusiveMinimum } : {}),
  };
  if (main.enum) return { ...base, kind: 'enum', options: main.enum.map(String) };
  if (main.type === 'array' && main.items?.enum) return { ...base, kind: 'multi', options: main.items.enum.map(String) };
  if (main.type === 'array' && main.items?.type === 'object' && main.items.properties) {
    const columns = Object.entries(main.items.properties).flatMap(([key, child]) => leaf(key, child) ?? []);
    return { ...base, kind: 'rows', columns };
  }
  if (main.type === 'integer') return { ...base, kind: 'integer', ...bounds };
  if (main.type === 'number') return { ...base, kind: 'number', ...bounds };
  if (main.type === 'boolean') return { ...base, kind: 'boolean' };
  if (main.type === 'string') return { ...base, kind: 'string', ...(SUGGESTIONS[path] ? { suggestions: SUGGESTIONS[path] } : {}) };
  return null;
}

function walk(node: JsonSchema, prefix: string, out: FieldSpec[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.type === 'object' && child.properties) walk(child, path, out);
    else {
      const field = leaf(path, child);
      if (field) out.push(field);
    }
  }
}

let cached: FieldSpec[] | null = null;

/** Every leaf of the training config, in schema order. */
export function configFields(): FieldSpec[] {
  if (!cached) {
    const schema = z.toJSONSchema(TrainingConfig, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    cached = [];
    walk(schema, '', cached);
  }
  return cached;
}

/** The value at a dotted path. */
export function getAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A copy of `obj` with the value at a dotted path replaced (objects on the way are copied, not shared). */
export function setAt<T>(obj: T, path: string, value: unknown): T {
  const [key, ...rest] = path.split('.');
  const base = (typeof obj === 'object' && obj !== null ? obj : {}) as Record<string, unknown>;
  return { ...base, [key!]: rest.length === 0 ? value : setAt(base[key!], rest.join('.'), value) } as T;
}
