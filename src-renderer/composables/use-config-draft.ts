/** A config being edited: starts from a preset or a run, validates each change against the schema on the server, and knows what it changed. */
import { computed, onScopeDispose, ref, shallowRef, toRaw } from 'vue';
import type { ConfigAdvice } from '@common/config-advice';
import type { TrainingConfig } from '@common/training-config';
import { configFields, getAt, setAt } from '../lib/config-schema';
import { diffConfigs, patchOf } from '../lib/config-diff';
import { useConfigStore } from '../stores/config';
import { messageOf } from '../stores/client';

export interface DraftStart {
  /** Preset to start from (its config fills every field). */
  preset?: string | null;
  /** A whole config to start from instead (clone, fork); the preset then only names the baseline. */
  config?: TrainingConfig | null;
  /** What "changed" is measured against: the preset (new run, clone) or the starting config (fork). */
  baseline?: 'preset' | 'start';
}

/** A deep copy of a config, also of one inside a store (a reactive proxy cannot be structured-cloned). */
const copy = <T>(value: T): T => structuredClone(toRaw(value));

/** Typing in a field sends one validation after this pause, not one per key. */
const VALIDATE_DELAY_MS = 150;

export function useConfigDraft(start: DraftStart = {}) {
  const store = useConfigStore();
  const preset = ref<string | null>(start.preset ?? null);
  /** Any shape while being edited: an empty number field holds '' until the schema says what is wrong. */
  const values = shallowRef<Record<string, unknown> | null>(start.config ? copy(start.config) : null);
  const startConfig = start.config ? copy(start.config) : null;
  const issues = ref<{ path: string; message: string }[]>([]);
  /** What the valid config goes against in its loss's paper (common/config-advice.ts); never blocks. */
  const advice = ref<ConfigAdvice[]>([]);
  const pending = ref(false);
  const error = ref<string | null>(null);
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const baseline = computed<TrainingConfig | null>(() =>
    start.baseline === 'start' && startConfig ? startConfig : (store.presetConfig(preset.value) ?? store.defaults),
  );
  /** Exactly the leaves that differ from the baseline. */
  const changes = computed(() => (values.value && baseline.value ? diffConfigs(baseline.value, values.value) : []));
  /** The partial config to send: only what differs from the baseline. */
  const patch = computed(() => (values.value && baseline.value ? patchOf(baseline.value, values.value) : {}));
  const valid = computed(() => values.value !== null && !pending.value && issues.value.length === 0 && error.value === null);

  async function validate(): Promise<boolean> {
    if (timer) clearTimeout(timer);
    timer = null;
    const mine = ++seq;
    pending.value = true;
    try {
      const result = await store.resolve(values.value ?? {});
      // An older answer must not overwrite a newer one.
      if (mine !== seq) return false;
      issues.value = result.ok ? [] : result.issues;
      advice.value = result.ok ? result.advice : [];
      error.value = null;
    } catch (e) {
      if (mine === seq) error.value = messageOf(e);
    } finally {
      if (mine === seq) pending.value = false;
    }
    return mine === seq && issues.value.length === 0 && error.value === null;
  }

  function schedule(): void {
    pending.value = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void validate(), VALIDATE_DELAY_MS);
  }

  /** Fills every field from the preset's resolved config. */
  function applyPreset(name: string): void {
    const config = store.presetConfig(name);
    if (!config) return;
    preset.value = name;
    values.value = copy(config);
    schedule();
  }

  function set(path: string, value: unknown): void {
    values.value = setAt(values.value ?? {}, path, value);
    schedule();
  }

  /** Follows one piece of advice: sets every value it suggests. */
  function follow(a: ConfigAdvice): void {
    for (const [path, value] of Object.entries(a.suggest)) values.value = setAt(values.value ?? {}, path, value);
    schedule();
  }

  function get(path: string): unknown {
    return getAt(values.value, path);
  }

  /** The baseline's value of one field, to reset it. */
  function reset(path: string): void {
    if (baseline.value) set(path, getAt(baseline.value, path));
  }

  function issueAt(path: string): string | undefined {
    return issues.value.find((i) => i.path === path)?.message;
  }

  /** Loads presets and defaults, then fills the draft if it has no config yet. */
  async function ready(): Promise<void> {
    await store.load();
    if (values.value === null) {
      const name = preset.value ?? store.presets[0]?.name ?? null;
      if (name) applyPreset(name);
      else if (store.defaults) values.value = copy(store.defaults);
    }
    await validate();
  }

  onScopeDispose(() => {
    if (timer) clearTimeout(timer);
  });

  return { preset, values, issues, advice, follow, pending, error, baseline, changes, patch, valid, fields: configFields(), ready, validate, applyPreset, set, get, reset, issueAt };
}

export type ConfigDraft = ReturnType<typeof useConfigDraft>;
