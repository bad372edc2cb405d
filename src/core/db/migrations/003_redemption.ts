import type { Migration } from './index';

export const redemption: Migration = {
  version: 3,
  name: 'redemption',
  up: `
    -- One row per attempt to consume a giftee ticket. Written and committed (state 'consuming', with
    -- its idempotency key) BEFORE the consume call, so a crash or a lost answer can always be resolved.
    CREATE TABLE redemption_attempts (
      id TEXT PRIMARY KEY,                       -- redemptionId (UUID)
      idempotency_key TEXT NOT NULL UNIQUE,      -- sent as Idempotency-Key on every consume of this attempt
      code TEXT NOT NULL,                        -- the 24-digit giftee code
      prefix TEXT NOT NULL,
      coupon_id TEXT NOT NULL,
      source TEXT NOT NULL,
      raw TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('consuming', 'unresolved', 'redeemed', 'refused', 'failed', 'voided')),
      plan TEXT NOT NULL,                        -- JSON: the sale to record once consumed (lines, discount, coupon, benefit)
      amount INTEGER NOT NULL,                   -- yen sent to giftee with the consume
      consumption_id TEXT,                       -- giftee's id once consumed
      engine_run TEXT NOT NULL,                  -- the engine run that made it (void is allowed in that run only)
      reason TEXT,                               -- refusal reason code when refused
      last_error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      voided_at TEXT
    );
    CREATE INDEX redemption_attempts_code ON redemption_attempts(code, state);
    CREATE INDEX redemption_attempts_open ON redemption_attempts(state) WHERE state IN ('consuming', 'unresolved');

    -- The sale recorded after a consumption, in the same transaction as its Smaregi outbox row.
    CREATE TABLE sales (
      id TEXT PRIMARY KEY,
      redemption_id TEXT NOT NULL UNIQUE REFERENCES redemption_attempts(id),
      coupon_id TEXT NOT NULL,
      coupon_name TEXT NOT NULL,
      subtotal INTEGER NOT NULL,
      discount INTEGER NOT NULL,
      total INTEGER NOT NULL,
      store_id TEXT NOT NULL,
      terminal_id TEXT NOT NULL,
      terminal_tran_id TEXT NOT NULL,
      terminal_tran_date_time TEXT NOT NULL,
      outbox_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      voided_at TEXT,
      void_outbox_id TEXT,
      UNIQUE (terminal_id, terminal_tran_id)
    );

    CREATE TABLE sale_items (
      sale_id TEXT NOT NULL REFERENCES sales(id),
      line_no INTEGER NOT NULL,
      product_id TEXT NOT NULL,
      product_code TEXT NOT NULL,
      name TEXT NOT NULL,
      price INTEGER NOT NULL,
      quantity INTEGER NOT NULL,
      PRIMARY KEY (sale_id, line_no)
    );

    -- Every scan and its outcome (the register's history, searchable and exported as CSV).
    -- A redemption's row is updated as its status moves (pending → redeemed / voided ...).
    CREATE TABLE redemption_log (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      at TEXT NOT NULL,                          -- ISO 8601 UTC
      action TEXT NOT NULL CHECK (action IN ('evaluate', 'redeem')),
      source TEXT NOT NULL,
      raw TEXT NOT NULL,
      normalized TEXT NOT NULL,
      kind TEXT NOT NULL,
      coupon_id TEXT,
      coupon_name TEXT,
      verdict TEXT NOT NULL,
      reason TEXT,
      status TEXT,
      redemption_id TEXT,
      discount_yen INTEGER,
      amount_yen INTEGER
    );
    CREATE INDEX redemption_log_at ON redemption_log(at);
    CREATE INDEX redemption_log_verdict ON redemption_log(verdict, at);
    CREATE INDEX redemption_log_redemption ON redemption_log(redemption_id) WHERE redemption_id IS NOT NULL;
  `,
};
