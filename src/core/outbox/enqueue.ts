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

const INSERT = 'INSERT INTO outbox (id, target, kind, ordering_key, coalesce_key, payload, state, created_at, next_attempt_at) VALUES ';
const ROW = "(?, ?, ?, ?, ?, ?, 'pending', ?, 0)";
/** Rows per statement in `enqueueMany`: one call into SQLite per chunk instead of per row. */
const CHUNK = 250;

// Prepared once per connection: enqueue sits on the till's hot path (and in bulk imports).
const statements = new WeakMap<Db, { insert: Statement; insertChunk: Statement; collapse: Statement }>();
function prepared(db: Db) {
  let s = statements.get(db);
  if (!s) {
    s = {
      insert: db.prepare(INSERT + ROW),
      insertChunk: db.prepare(INSERT + Array(CHUNK).fill(ROW).join(', ')),
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

/**
 * Queues many changes at once (an import, a stock push for a whole catalog), with exactly the rows
 * and order `enqueue` would give one by one: a later absolute value in the batch replaces an earlier
 * one of its lane, and replaces pending rows already queued. Call it inside the caller's transaction.
 * Returns every item's id (a replaced item's row is gone, as it would be one by one).
 */
export function enqueueMany(db: Db, items: readonly NewOutboxItem[], now: Date = new Date()): string[] {
  const s = prepared(db);
  const at = iso(now);
  const ids = items.map((it) => it.id ?? newOutboxId(now.getTime()));
  // The last item per (target, lane, coalesce key) survives, as it would one by one.
  const last = new Map<string, number>();
  items.forEach((it, i) => {
    if (it.coalesceKey) last.set(`${it.target}\u0000${it.orderingKey}\u0000${it.coalesceKey}`, i);
  });
  const keep: number[] = [];
  items.forEach((it, i) => {
    if (!it.coalesceKey) keep.push(i);
    else if (last.get(`${it.target}\u0000${it.orderingKey}\u0000${it.coalesceKey}`) === i) {
      s.collapse.run(it.target, it.orderingKey, it.coalesceKey);
      keep.push(i);
    }
  });
  const put = (out: unknown[], o: number, i: number) => {
    const it = items[i];
    out[o] = ids[i];
    out[o + 1] = it.target;
    out[o + 2] = it.kind;
    out[o + 3] = it.orderingKey;
    out[o + 4] = it.coalesceKey ?? null;
    out[o + 5] = JSON.stringify(it.payload);
    out[o + 6] = at;
  };
  const chunk: unknown[] = new Array(CHUNK * 7);
  let k = 0;
  for (; k + CHUNK <= keep.length; k += CHUNK) {
    for (let j = 0; j < CHUNK; j++) put(chunk, j * 7, keep[k + j]);
    s.insertChunk.run(chunk);
  }
  const one: unknown[] = new Array(7);
  for (; k < keep.length; k++) {
    put(one, 0, keep[k]);
    s.insert.run(one);
  }
  return ids;
}
