import type { Migration } from './index';

export const outbox: Migration = {
  version: 4,
  name: 'outbox',
  up: `
    -- Every outgoing change, written in the same transaction as the local change that caused it.
    CREATE TABLE outbox (
      -- Enqueue order: delivery order within an ordering key. A plain rowid (max + 1) is enough: only
      -- never-attempted rows are ever deleted, so a reused number never meets its predecessor; no
      -- AUTOINCREMENT (it costs a sqlite_sequence write per row, a third of bulk enqueue time).
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,                    -- UUID made at enqueue: the idempotency key of every attempt
      target TEXT NOT NULL,                       -- channel id: smaregi, nextengine, ...
      kind TEXT NOT NULL,                         -- e.g. smaregi.transaction, smaregi.stock.set
      ordering_key TEXT NOT NULL,                 -- changes with the same key are never reordered
      coalesce_key TEXT,                          -- absolute values: a newer pending row replaces older ones
      payload TEXT NOT NULL,                      -- JSON
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight', 'sent', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,        -- every request started (committed before the request)
      failures INTEGER NOT NULL DEFAULT 0,        -- retryable failures in a row: the backoff exponent
      maybe_applied INTEGER NOT NULL DEFAULT 0,   -- an earlier attempt may have reached the target
      created_at TEXT NOT NULL,
      next_attempt_at INTEGER NOT NULL DEFAULT 0, -- epoch ms
      last_attempt_at TEXT,
      sent_at TEXT,
      last_error TEXT,
      remote_ref TEXT
    );
    -- Counts per target and state (tray, Sync screen); due work: what may be tried now, and when
    -- the next pending row becomes due (one index serves both: fewer to update per enqueue).
    CREATE INDEX outbox_state ON outbox(target, state, next_attempt_at);
    -- Lanes: the head of (target, ordering_key) among rows not yet sent.
    CREATE INDEX outbox_open ON outbox(target, ordering_key, seq) WHERE state IN ('pending', 'in_flight', 'failed');

    -- What was sent and received, for the manager's history screen.
    CREATE TABLE sync_history (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,                    -- received items: a stable key, so a re-read is not recorded twice
      at TEXT NOT NULL,
      direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
      target TEXT NOT NULL,
      kind TEXT NOT NULL,
      outbox_id TEXT,
      summary TEXT NOT NULL,
      payload TEXT NOT NULL,
      ok INTEGER NOT NULL,
      error TEXT
    );
    CREATE INDEX sync_history_at ON sync_history(at);

    -- Inbound polling cursors (last transaction / stock change / order timestamp per source).
    CREATE TABLE sync_cursors (
      name TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    -- The single drainer's lease: a second engine on the same file never drains at the same time.
    CREATE TABLE drain_lease (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      owner TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    );
  `,
};
