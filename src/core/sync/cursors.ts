import type { Db } from '../db';

/** Polling cursors in `sync_cursors`: written only inside the transaction that records the items. */
export function readCursor(db: Db, name: string): string | null {
  const row = db.prepare('SELECT value FROM sync_cursors WHERE name = ?').get(name) as { value: string } | undefined;
  return row?.value ?? null;
}

export function writeCursor(db: Db, name: string, value: string, now: Date): void {
  db.prepare(
    'INSERT INTO sync_cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(name, value, now.toISOString());
}

export function listCursors(db: Db): Array<{ name: string; value: string; updatedAt: string }> {
  return (db.prepare('SELECT name, value, updated_at FROM sync_cursors ORDER BY name').all() as Array<{ name: string; value: string; updated_at: string }>).map(
    (r) => ({ name: r.name, value: r.value, updatedAt: r.updated_at }),
  );
}
