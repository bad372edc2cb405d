import type { Db } from '../db';

/** Small durable facts of the outbox in the `meta` table (paused, per-target rate limits). */
export const PAUSED_KEY = 'sync.paused';
export const rateLimitKey = (target: string) => `outbox.rateLimit.${target}`;

export function readMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/** null deletes the key. */
export function writeMeta(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  else db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
