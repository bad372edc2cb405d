import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db';
import { processAlive } from '../lock';

/**
 * The drain lease: one row in `drain_lease`. The data-folder lock already keeps a second engine
 * out; the lease is the database's own guard (a copied folder, a lock file removed by hand), so two
 * processes never deliver the same queue at once. A holder that died on this machine (SIGKILL,
 * power cut) is taken over at once; one on another machine only after its lease expired.
 */
export interface DrainLease {
  /** Takes or renews the lease when needed; false = someone else drains. */
  ensure(): boolean;
  release(): void;
  readonly owner: string;
}

interface Owner {
  host: string;
  pid: number;
  token: string;
}


export function createDrainLease(db: Db, opts: { ttlMs?: number; clock?: () => number } = {}): DrainLease {
  const ttl = opts.ttlMs ?? 30_000;
  const clock = opts.clock ?? Date.now;
  const me: Owner = { host: hostname(), pid: process.pid, token: randomUUID() };
  const owner = JSON.stringify(me);
  let heldUntil = 0;

  const read = db.prepare('SELECT owner, expires_at FROM drain_lease WHERE id = 1');
  const write = db.prepare(
    'INSERT INTO drain_lease (id, owner, expires_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at',
  );
  const drop = db.prepare('DELETE FROM drain_lease WHERE id = 1 AND owner = ?');

  const take = db.transaction((now: number): boolean => {
    const row = read.get() as { owner: string; expires_at: number } | undefined;
    if (row && row.owner !== owner && row.expires_at > now) {
      let other: Partial<Owner> = {};
      try {
        other = JSON.parse(row.owner) as Owner;
      } catch {
        /* unreadable owner: wait for expiry */
      }
      const deadHere = other.host === me.host && typeof other.pid === 'number' && other.pid !== me.pid && !processAlive(other.pid);
      if (!deadHere) return false;
    }
    write.run(owner, now + ttl);
    return true;
  });

  return {
    owner,
    ensure() {
      const now = clock();
      // Renew when half the lease is used up; otherwise no write at all.
      if (heldUntil - now > ttl / 2) return true;
      try {
        if (take(now)) {
          heldUntil = now + ttl;
          return true;
        }
      } catch {
        /* storage trouble: not draining is the safe answer */
      }
      heldUntil = 0;
      return false;
    },
    release() {
      heldUntil = 0;
      try {
        drop.run(owner);
      } catch {
        /* closing anyway */
      }
    },
  };
}
