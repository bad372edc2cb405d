import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';

export interface NewOutboxItem {
  target: string;
  kind: string;
  orderingKey: string;
  payload: unknown;
  /** For absolute values (e.g. a stock level): pending rows of the same lane with this key collapse to this one. */
  coalesceKey?: string | null;
  /** Normally made here; callers that must name the key before enqueueing may pass one. */
  id?: string;
}

// Prepared once per connection: enqueue sits on the till's hot path (and in bulk imports).
const statements = new WeakMap<Db, { insert: Statement; collapse: Statement }>();
function prepared(db: Db) {
  let s = statements.get(db);
  if (!s) {
    s = {
      insert: db.prepare(
        `INSERT INTO outbox (id, target, kind, ordering_key, coalesce_key, payload, state, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, 0)`,
      ),
      // Only rows never handed to the target are replaced. One that was attempted (it may have been
      // applied) stays and is delivered in order before the newer value, so nothing it did is hidden.
      // Coalescing stays inside one lane (never reorders another key), and so uses the lane index:
      // no index of its own to update on every enqueue.
      collapse: db.prepare(
        // (The IN term repeats the lane index's condition so SQLite may use it.)
        `DELETE FROM outbox WHERE target = ? AND ordering_key = ? AND coalesce_key = ?
           AND state IN ('pending', 'in_flight', 'failed') AND state = 'pending' AND attempts = 0`,
      ),
    };
    statements.set(db, s);
  }
  return s;
}

// The last id's time and counter: ids made here only ever increase (RFC 9562 method 1).
const idClock = { ms: -1, counter: 0, prefix: '' };

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time, a 12-bit counter for ids made in the same
 * millisecond, then 62 random bits. Rows queued later sort later, so the id index grows at its end
 * instead of at random places (bulk enqueue stays fast).
 */
export function newOutboxId(now: number = Date.now()): string {
  let ms = Math.max(0, Math.floor(now));
  if (ms <= idClock.ms) {
    ms = idClock.ms;
    idClock.counter += 1;
    if (idClock.counter > 0xfff) {
      ms += 1; // counter exhausted: borrow the next millisecond
      idClock.counter = 0;
    }
  } else idClock.counter = 0;
  if (ms !== idClock.ms || !idClock.prefix) {
    const t = ms.toString(16).padStart(12, '0').slice(-12);
    idClock.prefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`;
    idClock.ms = ms;
  }
  const r = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: keep its variant and random tail
  return `${idClock.prefix}${idClock.counter.toString(16).padStart(3, '0')}${r.slice(18)}`;
}

const isoClock = { ms: Number.NaN, iso: '' };
function iso(d: Date): string {
  const ms = d.getTime();
  if (ms !== isoClock.ms) {
    isoClock.ms = ms;
    isoClock.iso = d.toISOString();
  }
  return isoClock.iso;
}

/**
 * Queues one outgoing change. Synchronous on purpose: call it inside the same better-sqlite3
 * transaction as the local change that caused it, so both commit or neither does.
 */
export function enqueue(db: Db, item: NewOutboxItem, now: Date = new Date()): string {
  const id = item.id ?? newOutboxId(now.getTime());
  const coalesceKey = item.coalesceKey ?? null;
  const s = prepared(db);
  if (coalesceKey) s.collapse.run(item.target, item.orderingKey, coalesceKey);
  s.insert.run(id, item.target, item.kind, item.orderingKey, coalesceKey, JSON.stringify(item.payload), iso(now));
  return id;
}
