import { randomUUID } from 'node:crypto';
import type { HistoryEntry, OutboxItem, OutboxState, TargetCounts } from '../../shared/contract/sync';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';

/**
 * The outbox state machine in SQLite. Every transition is one short synchronous transaction, so
 * the durable state is always one of: pending → in_flight (committed before the request) →
 * sent | failed, or back to pending for a retry. Nothing here does I/O besides the database.
 */

export interface OutboxRow {
  seq: number;
  id: string;
  target: string;
  kind: string;
  ordering_key: string;
  coalesce_key: string | null;
  payload: string;
  state: OutboxState;
  attempts: number;
  failures: number;
  maybe_applied: number;
  created_at: string;
  next_attempt_at: number;
  last_attempt_at: string | null;
  sent_at: string | null;
  last_error: string | null;
  remote_ref: string | null;
}

const OPEN = "state IN ('pending', 'in_flight', 'failed')";

/** A stored JSON payload; text that is not JSON (never written by us) is shown as it is. */
function parseStored(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * `WHERE col = @col AND …` for the filters given (null = any), plus an optional extra condition;
 * with the paging arguments the list queries need.
 */
function equalsFilter(
  equals: Record<string, string | null>,
  page: { limit: number; offset: number },
  extra: { sql: string; args: Record<string, unknown> } | null = null,
): { w: string; args: Record<string, unknown> } {
  const where: string[] = [];
  const args: Record<string, unknown> = { limit: page.limit, offset: page.offset, ...extra?.args };
  for (const [col, value] of Object.entries(equals)) {
    if (value === null) continue;
    where.push(`${col} = @${col}`);
    args[col] = value;
  }
  if (extra) where.push(extra.sql);
  return { w: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

export function rowToItem(r: OutboxRow): OutboxItem {
  const payload = parseStored(r.payload);
  return {
    id: r.id,
    target: r.target,
    kind: r.kind,
    orderingKey: r.ordering_key,
    state: r.state,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.state === 'pending' && r.next_attempt_at > 0 ? new Date(r.next_attempt_at).toISOString() : null,
    sentAt: r.sent_at,
    lastError: r.last_error,
    payload,
    remoteRef: r.remote_ref,
  };
}

export interface HistoryRow {
  seq: number;
  id: string;
  at: string;
  direction: 'sent' | 'received';
  target: string;
  kind: string;
  outbox_id: string | null;
  summary: string;
  payload: string;
  ok: number;
  error: string | null;
}

export function historyToEntry(h: HistoryRow): HistoryEntry {
  const payload = parseStored(h.payload);
  return {
    id: h.id,
    at: h.at,
    direction: h.direction,
    target: h.target,
    kind: h.kind,
    outboxId: h.outbox_id,
    summary: h.summary,
    payload,
    ok: h.ok === 1,
    error: h.error,
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

export function createOutboxStore(db: Db) {
  const s = {
    recover: db.prepare(
      "UPDATE outbox SET state = 'pending', maybe_applied = 1, next_attempt_at = MAX(next_attempt_at, ?) WHERE state = 'in_flight'",
    ),
    dueHeads: db.prepare(
      `SELECT o.id, o.seq, o.ordering_key FROM outbox o
        WHERE o.target = @target AND o.state = 'pending' AND o.next_attempt_at <= @now
          AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.target = o.target AND p.ordering_key = o.ordering_key
                            AND p.${OPEN} AND p.seq < o.seq)
        ORDER BY o.seq LIMIT @limit`,
    ),
    nextDue: db.prepare("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE target = ? AND state = 'pending'"),
    laneHead: db.prepare(`SELECT * FROM outbox WHERE target = ? AND ordering_key = ? AND ${OPEN} ORDER BY seq LIMIT 1`),
    byId: db.prepare('SELECT * FROM outbox WHERE id = ?'),
    begin: db.prepare(
      "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, last_attempt_at = ? WHERE id = ? AND state = 'pending'",
    ),
    sent: db.prepare(
      "UPDATE outbox SET state = 'sent', sent_at = @at, remote_ref = @remoteRef, last_error = NULL, failures = 0 WHERE id = @id AND state = 'in_flight'",
    ),
    retry: db.prepare(
      `UPDATE outbox SET state = 'pending', next_attempt_at = @nextAt, last_error = @error, failures = failures + 1,
              maybe_applied = MAX(maybe_applied, @maybe) WHERE id = @id AND state = 'in_flight'`,
    ),
    failed: db.prepare(
      "UPDATE outbox SET state = 'failed', last_error = @error, maybe_applied = MAX(maybe_applied, @maybe) WHERE id = @id AND state = 'in_flight'",
    ),
    history: db.prepare(
      `INSERT OR IGNORE INTO sync_history (id, at, direction, target, kind, outbox_id, summary, payload, ok, error)
       VALUES (@id, @at, @direction, @target, @kind, @outboxId, @summary, @payload, @ok, @error)`,
    ),
    counts: db.prepare('SELECT target, state, COUNT(*) AS n FROM outbox GROUP BY target, state'),
    resendIds: db.prepare(
      "UPDATE outbox SET state = 'pending', next_attempt_at = 0, failures = 0 WHERE id = ? AND state = 'failed'",
    ),
    failedById: db.prepare("SELECT id, target, kind, payload FROM outbox WHERE id = ? AND state = 'failed'"),
    failedAll: db.prepare("SELECT id, target, kind, payload FROM outbox WHERE state = 'failed' AND (@target IS NULL OR target = @target)"),
    setPayload: db.prepare('UPDATE outbox SET payload = ? WHERE id = ?'),
    resendAll: db.prepare(
      "UPDATE outbox SET state = 'pending', next_attempt_at = 0, failures = 0 WHERE state = 'failed' AND (@target IS NULL OR target = @target)",
    ),
    resetDelays: db.prepare(
      "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending' AND next_attempt_at > @now AND (@target IS NULL OR target = @target)",
    ),
    restartBackoff: db.prepare(
      `UPDATE outbox SET next_attempt_at = 0, failures = 0
        WHERE state = 'pending' AND (next_attempt_at > @now OR failures > 0) AND (@target IS NULL OR target = @target)`,
    ),
  };

  return {
    /** At start (or after a storage halt): rows left in flight were interrupted; the target may have them. */
    recoverInterrupted(notBefore: number): number {
      return s.recover.run(notBefore).changes;
    },

    /** Due lane heads of a target, oldest first. */
    dueHeads(target: string, now: number, limit: number): Array<{ id: string; seq: number; ordering_key: string }> {
      return s.dueHeads.all({ target, now, limit }) as Array<{ id: string; seq: number; ordering_key: string }>;
    },

    /** Epoch ms when the target's next pending row becomes due (0 = now), or null when none is pending. */
    nextDueAt(target: string): number | null {
      return (s.nextDue.get(target) as { at: number | null }).at;
    },

    laneHead(target: string, orderingKey: string): OutboxRow | undefined {
      return s.laneHead.get(target, orderingKey) as OutboxRow | undefined;
    },

    get(id: string): OutboxRow | undefined {
      return s.byId.get(id) as OutboxRow | undefined;
    },

    /**
     * pending → in_flight, attempts + 1, committed before the request goes out. Refuses (null) a row
     * that is no longer pending, not yet due, or no longer the head of its lane.
     */
    begin(id: string, now: Date): OutboxRow | null {
      return db.transaction((): OutboxRow | null => {
        const row = s.byId.get(id) as OutboxRow | undefined;
        if (!row || row.state !== 'pending' || row.next_attempt_at > now.getTime()) return null;
        const head = s.laneHead.get(row.target, row.ordering_key) as OutboxRow | undefined;
        if (!head || head.id !== row.id) return null;
        s.begin.run(now.toISOString(), id);
        return { ...row, state: 'in_flight', attempts: row.attempts + 1, last_attempt_at: now.toISOString() };
      })();
    },

    markSent(row: OutboxRow, o: { at: Date; remoteRef: string | null; summary: string }): void {
      db.transaction(() => {
        const at = o.at.toISOString();
        if (s.sent.run({ id: row.id, at, remoteRef: o.remoteRef }).changes !== 1) return;
        s.history.run({
          id: randomUUID(),
          at,
          direction: 'sent',
          target: row.target,
          kind: row.kind,
          outboxId: row.id,
          summary: o.summary,
          payload: row.payload,
          ok: 1,
          error: null,
        });
      })();
    },

    markRetry(row: OutboxRow, o: { nextAt: number; error: string; maybeApplied: boolean }): void {
      s.retry.run({ id: row.id, nextAt: o.nextAt, error: o.error, maybe: o.maybeApplied ? 1 : 0 });
    },

    markFailed(row: OutboxRow, o: { at: Date; error: string; maybeApplied: boolean; summary: string }): void {
      db.transaction(() => {
        if (s.failed.run({ id: row.id, error: o.error, maybe: o.maybeApplied ? 1 : 0 }).changes !== 1) return;
        s.history.run({
          id: randomUUID(),
          at: o.at.toISOString(),
          direction: 'sent',
          target: row.target,
          kind: row.kind,
          outboxId: row.id,
          summary: o.summary,
          payload: row.payload,
          ok: 0,
          error: o.error,
        });
      })();
    },

    counts(): TargetCounts[] {
      const by = new Map<string, TargetCounts>();
      for (const r of s.counts.all() as Array<{ target: string; state: OutboxState; n: number }>) {
        const c = by.get(r.target) ?? { target: r.target, pending: 0, inFlight: 0, failed: 0, sent: 0 };
        if (r.state === 'pending') c.pending = r.n;
        else if (r.state === 'in_flight') c.inFlight = r.n;
        else if (r.state === 'failed') c.failed = r.n;
        else c.sent = r.n;
        by.set(r.target, c);
      }
      return [...by.values()].sort((a, b) => a.target.localeCompare(b.target));
    },

    list(q: { state: OutboxState | null; target: string | null; limit: number; offset: number }): { total: number; items: OutboxItem[] } {
      const { w, args } = equalsFilter({ state: q.state, target: q.target }, q);
      // Queued and failed rows read in delivery order; sent rows newest first.
      const order = q.state === 'sent' ? 'seq DESC' : 'seq ASC';
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM outbox ${w}`).get(args) as { n: number }).n;
      const rows = db.prepare(`SELECT * FROM outbox ${w} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all(args) as OutboxRow[];
      return { total, items: rows.map(rowToItem) };
    },

    /**
     * failed → pending, keeping `seq`: the row goes back to its original place in its lane. `restamp`
     * may renew a row's payload from the current settings (the fix the manager just made). By ids it
     * is all or nothing: when any id is not a failed row (unknown, or pending/sent already), nothing
     * is requeued and those ids come back in `notFailed`.
     */
    resend(
      sel: { ids: string[] } | { allFailed: true; target: string | null },
      restamp?: (row: { target: string; kind: string; payload: unknown }) => unknown | null,
    ): { requeued: number; notFailed: string[] } {
      return db.transaction(() => {
        const ids = 'ids' in sel ? [...new Set(sel.ids)] : [];
        const rows = (
          'ids' in sel ? ids.map((id) => s.failedById.get(id)).filter(Boolean) : s.failedAll.all({ target: sel.target })
        ) as Array<{ id: string; target: string; kind: string; payload: string }>;
        if ('ids' in sel && rows.length !== ids.length) {
          const found = new Set(rows.map((r) => r.id));
          return { requeued: 0, notFailed: ids.filter((id) => !found.has(id)) };
        }
        if (restamp) {
          for (const r of rows) {
            const next = restamp({ target: r.target, kind: r.kind, payload: JSON.parse(r.payload) });
            if (next !== null && next !== undefined) s.setPayload.run(JSON.stringify(next), r.id);
          }
        }
        const requeued = 'ids' in sel ? ids.reduce((n, id) => n + s.resendIds.run(id).changes, 0) : s.resendAll.run({ target: sel.target }).changes;
        return { requeued, notFailed: [] };
      })();
    },

    /**
     * The network is back (or the manager pressed "sync now"): retry waiting rows now. `restart`
     * (an explicit "sync now") also starts their backoff over, so a failure during that sync waits
     * about a second, not the minutes an old streak of failures had grown to.
     */
    resetDelays(target: string | null, now: number, o: { restart?: boolean } = {}): number {
      return (o.restart ? s.restartBackoff : s.resetDelays).run({ target, now }).changes;
    },

    history(q: { text: string; direction: 'sent' | 'received' | null; target: string | null; limit: number; offset: number }): {
      total: number;
      rows: HistoryEntry[];
    } {
      const text = q.text.trim();
      const { w, args } = equalsFilter(
        { direction: q.direction, target: q.target },
        q,
        text
          ? {
              sql: "(summary LIKE @text ESCAPE '\\' OR kind LIKE @text ESCAPE '\\' OR payload LIKE @text ESCAPE '\\' OR outbox_id LIKE @text ESCAPE '\\' OR error LIKE @text ESCAPE '\\')",
              args: { text: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` },
            }
          : null,
      );
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM sync_history ${w}`).get(args) as { n: number }).n;
      const rows = db.prepare(`SELECT * FROM sync_history ${w} ORDER BY seq DESC LIMIT @limit OFFSET @offset`).all(args) as HistoryRow[];
      return { total, rows: rows.map(historyToEntry) };
    },

    /** Deliveries per minute over the last hour, oldest first (60 buckets). */
    throughput(now: Date): Array<{ minute: string; sent: number; failed: number }> {
      const end = Math.floor(now.getTime() / 60_000) * 60_000;
      const start = end - 59 * 60_000;
      const rows = db
        .prepare(
          `SELECT substr(at, 1, 16) AS minute, SUM(ok) AS sent, SUM(1 - ok) AS failed FROM sync_history
            WHERE direction = 'sent' AND at >= ? GROUP BY minute`,
        )
        .all(new Date(start).toISOString()) as Array<{ minute: string; sent: number; failed: number }>;
      const by = new Map(rows.map((r) => [r.minute, r]));
      const out: Array<{ minute: string; sent: number; failed: number }> = [];
      for (let t = start; t <= end; t += 60_000) {
        const iso = new Date(t).toISOString();
        const r = by.get(iso.slice(0, 16));
        out.push({ minute: iso, sent: r?.sent ?? 0, failed: r?.failed ?? 0 });
      }
      return out;
    },
  };
}

// Prepared once per connection (a channel reads its lanes through this without a whole store).
const laneStatements = new WeakMap<Db, { seqOf: Statement; prior: Statement }>();

/**
 * The latest row of `kind` queued before row `beforeId` in the same lane (e.g. the sale a cancel
 * voids, and the id the target gave it). Walks back from `beforeId` by seq: the earlier row is
 * usually close behind, and sent rows are outside the lane index.
 */
export function priorInLane(db: Db, beforeId: string, kind: string): { state: OutboxState; remoteRef: string | null; payload: unknown } | null {
  let s = laneStatements.get(db);
  if (!s) {
    s = {
      seqOf: db.prepare('SELECT seq, target, ordering_key FROM outbox WHERE id = ?'),
      // NOT INDEXED: walk the rowid backwards from the cancel instead of every sent row of the target.
      prior: db.prepare(
        `SELECT state, remote_ref, payload FROM outbox NOT INDEXED
          WHERE seq < @seq AND target = @target AND ordering_key = @key AND kind = @kind ORDER BY seq DESC LIMIT 1`,
      ),
    };
    laneStatements.set(db, s);
  }
  const me = s.seqOf.get(beforeId) as { seq: number; target: string; ordering_key: string } | undefined;
  if (!me) return null;
  const r = s.prior.get({ seq: me.seq, target: me.target, key: me.ordering_key, kind }) as
    | { state: OutboxState; remote_ref: string | null; payload: string }
    | undefined;
  return r ? { state: r.state, remoteRef: r.remote_ref, payload: parseStored(r.payload) } : null;
}
