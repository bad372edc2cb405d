import { ContractError } from '../../shared/contract/envelope';
import { SettingsSchema, type Settings, type SettingsPatch } from '../../shared/contract/settings';
import type { Db } from '../db';

type Listener = (settings: Settings) => void;

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  onChange(listener: Listener): () => void;
}

/** Non-secret settings in SQLite, one JSON row per section, validated as a whole on every change. */
export function createSettingsStore(db: Db): SettingsStore {
  const listeners = new Set<Listener>();
  const read = (): Settings => {
    const rows = db.prepare('SELECT section, value FROM settings').all() as Array<{ section: string; value: string }>;
    const raw: Record<string, unknown> = {};
    for (const r of rows) {
      try {
        raw[r.section] = JSON.parse(r.value);
      } catch {
        /* a damaged section falls back to its defaults below */
      }
    }
    const parsed = SettingsSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    // Keep every section that still validates; reset only the broken ones.
    const fixed: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      const one = SettingsSchema.safeParse({ [k]: v });
      if (one.success) fixed[k] = v;
    }
    return SettingsSchema.parse(fixed);
  };
  let current = read();

  return {
    get: () => current,
    update(patch) {
      const merged: Record<string, unknown> = { ...current };
      for (const [section, values] of Object.entries(patch)) {
        if (values) merged[section] = { ...(current as Record<string, object>)[section], ...values };
      }
      const parsed = SettingsSchema.safeParse(merged);
      if (!parsed.success) {
        throw new ContractError(
          'invalid_params',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          parsed.error.issues,
        );
      }
      const next = parsed.data;
      const now = new Date().toISOString();
      const put = db.prepare(
        'INSERT INTO settings(section, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(section) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      );
      db.transaction(() => {
        for (const section of Object.keys(patch)) put.run(section, JSON.stringify((next as Record<string, unknown>)[section]), now);
      })();
      current = next;
      for (const l of listeners) l(current);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
