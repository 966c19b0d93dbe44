/** SQL of the settings table: every setting over its default, and partial updates in one transaction. */
import { Settings, type SettingsPatch } from '../../common/settings';
import type { Db } from './database';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stored values over the schema's defaults. A stored value the schema does not accept (edited by
   * hand, or written by another version) reads as the default and stays in the table untouched;
   * so do keys this version does not know.
   */
  get(): Settings {
    const rows = this.db.prepare('SELECT key, value_json FROM settings').all() as { key: string; value_json: string }[];
    const stored = new Map(rows.map((r) => [r.key, r.value_json]));
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(Settings.shape)) {
      const raw = stored.get(key);
      const parsed = raw === undefined ? null : field.safeParse(parseJson(raw));
      out[key] = parsed?.success ? parsed.data : field.parse(undefined);
    }
    return Settings.parse(out);
  }

  /** Writes the keys present in `patch` (already validated against SettingsPatch) and returns every setting. */
  update(patch: SettingsPatch): Settings {
    const upsert = this.db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json');
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) if (value !== undefined) upsert.run(key, JSON.stringify(value));
    })();
    return this.get();
  }
}
