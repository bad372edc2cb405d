import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';

export interface NewOutboxItem {
  target: string;
  kind: string;
  orderingKey: string;
  payload: unknown;
  /** For absolute values (e.g. a stock level): pending rows with the same key and target collapse to this one. */
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
      collapse: db.prepare("DELETE FROM outbox WHERE target = ? AND coalesce_key = ? AND state = 'pending' AND attempts = 0"),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * Queues one outgoing change. Synchronous on purpose: call it inside the same better-sqlite3
 * transaction as the local change that caused it, so both commit or neither does.
 */
export function enqueue(db: Db, item: NewOutboxItem, now: Date = new Date()): string {
  const id = item.id ?? randomUUID();
  const coalesceKey = item.coalesceKey ?? null;
  const s = prepared(db);
  if (coalesceKey) s.collapse.run(item.target, coalesceKey);
  s.insert.run(id, item.target, item.kind, item.orderingKey, coalesceKey, JSON.stringify(item.payload), now.toISOString());
  return id;
}
