import type { Db } from '../db';
import type { RedemptionLogEntry, ScanOutcome } from '../../shared/contract/register';
import type { SalePlan } from './sale';

/* SQL for the redemption tables (migration 003). Synchronous: callers put writes inside one transaction. */

export type AttemptState = 'consuming' | 'unresolved' | 'redeemed' | 'refused' | 'failed' | 'voided';

/** What an attempt stores so that anyone (a later scan, the next engine start) can finish it. */
export interface AttemptPlan {
  outcome: ScanOutcome;
  sale: SalePlan;
  place: { storeId: string; terminalId: string };
}

export interface AttemptRow {
  id: string;
  idempotency_key: string;
  code: string;
  prefix: string;
  coupon_id: string;
  source: string;
  raw: string;
  state: AttemptState;
  plan: string;
  amount: number;
  consumption_id: string | null;
  engine_run: string;
  reason: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  voided_at: string | null;
}

export interface SaleRow {
  id: string;
  redemption_id: string;
  coupon_id: string;
  coupon_name: string;
  subtotal: number;
  discount: number;
  total: number;
  store_id: string;
  terminal_id: string;
  terminal_tran_id: string;
  terminal_tran_date_time: string;
  outbox_id: string;
  created_at: string;
  voided_at: string | null;
  void_outbox_id: string | null;
}

interface LogRow {
  seq: number;
  id: string;
  at: string;
  action: 'evaluate' | 'redeem';
  source: string;
  raw: string;
  normalized: string;
  kind: string;
  coupon_id: string | null;
  coupon_name: string | null;
  verdict: string;
  reason: string | null;
  status: string | null;
  redemption_id: string | null;
  discount_yen: number | null;
  amount_yen: number | null;
}

export type LogAction = LogRow['action'];

export function parsePlan(row: AttemptRow): AttemptPlan {
  return JSON.parse(row.plan) as AttemptPlan;
}

export function toLogEntry(r: LogRow): RedemptionLogEntry {
  return {
    id: r.id,
    at: r.at,
    source: r.source as RedemptionLogEntry['source'],
    raw: r.raw,
    normalized: r.normalized,
    kind: r.kind as RedemptionLogEntry['kind'],
    couponId: r.coupon_id,
    couponName: r.coupon_name,
    verdict: r.verdict as RedemptionLogEntry['verdict'],
    reason: r.reason as RedemptionLogEntry['reason'],
    status: r.status as RedemptionLogEntry['status'],
    redemptionId: r.redemption_id,
    discountYen: r.discount_yen,
    amountYen: r.amount_yen,
  };
}

export interface LogFilter {
  text: string;
  verdict: string | null;
  from: { iso: string; exclusive: boolean } | null;
  to: { iso: string; exclusive: boolean } | null;
}

/** Meta key of the per-terminal Smaregi transaction sequence. */
const tranKey = (terminalId: string) => `smaregi.terminalTranId.${terminalId}`;

/** The highest terminalTranId Smaregi accepts is 10 characters. */
const TERMINAL_TRAN_MAX = 9_999_999_999;

/**
 * Next Smaregi terminalTranId (≤ 10 characters) of this terminal, from the `meta` table. Call it
 * inside the transaction that writes the sale, so a number is never used twice nor skipped.
 * Anything else that posts transactions for this terminal must take its number here too.
 */
export function nextTerminalTranId(db: Db, terminalId: string): string {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(tranKey(terminalId)) as { value: string } | undefined;
  const prev = row ? Number(row.value) : 0;
  const next = Number.isSafeInteger(prev) && prev >= 0 && prev < TERMINAL_TRAN_MAX ? prev + 1 : 1;
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(tranKey(terminalId), String(next));
  return String(next);
}

export function createRedemptionStore(db: Db) {
  const q = {
    insertAttempt: db.prepare(
      `INSERT INTO redemption_attempts (id, idempotency_key, code, prefix, coupon_id, source, raw, state, plan, amount, engine_run, created_at, updated_at)
       VALUES (@id, @idempotency_key, @code, @prefix, @coupon_id, @source, @raw, 'consuming', @plan, @amount, @engine_run, @now, @now)`,
    ),
    attempt: db.prepare('SELECT * FROM redemption_attempts WHERE id = ?'),
    attemptByKey: db.prepare('SELECT * FROM redemption_attempts WHERE idempotency_key = ?'),
    attemptsForCode: db.prepare('SELECT * FROM redemption_attempts WHERE code = ? ORDER BY created_at'),
    openAttempts: db.prepare("SELECT * FROM redemption_attempts WHERE state IN ('consuming', 'unresolved') ORDER BY created_at"),
    redeemedForCode: db.prepare("SELECT * FROM redemption_attempts WHERE code = ? AND state = 'redeemed' LIMIT 1"),
    setState: db.prepare(
      'UPDATE redemption_attempts SET state = @state, reason = @reason, last_error = @last_error, consumption_id = COALESCE(@consumption_id, consumption_id), updated_at = @now WHERE id = @id',
    ),
    setVoided: db.prepare("UPDATE redemption_attempts SET state = 'voided', voided_at = @now, updated_at = @now WHERE id = @id"),
    insertSale: db.prepare(
      `INSERT INTO sales (id, redemption_id, coupon_id, coupon_name, subtotal, discount, total, store_id, terminal_id, terminal_tran_id, terminal_tran_date_time, outbox_id, created_at)
       VALUES (@id, @redemption_id, @coupon_id, @coupon_name, @subtotal, @discount, @total, @store_id, @terminal_id, @terminal_tran_id, @terminal_tran_date_time, @outbox_id, @created_at)`,
    ),
    insertItem: db.prepare(
      'INSERT INTO sale_items (sale_id, line_no, product_id, product_code, name, price, quantity) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    saleByRedemption: db.prepare('SELECT * FROM sales WHERE redemption_id = ?'),
    voidSale: db.prepare('UPDATE sales SET voided_at = @now, void_outbox_id = @void_outbox_id WHERE id = @id'),
    insertLog: db.prepare(
      `INSERT INTO redemption_log (id, at, action, source, raw, normalized, kind, coupon_id, coupon_name, verdict, reason, status, redemption_id, discount_yen, amount_yen)
       VALUES (@id, @at, @action, @source, @raw, @normalized, @kind, @couponId, @couponName, @verdict, @reason, @status, @redemptionId, @discountYen, @amountYen)`,
    ),
    logById: db.prepare('SELECT * FROM redemption_log WHERE id = ?'),
    setLogStatus: db.prepare('UPDATE redemption_log SET status = @status, verdict = @verdict, reason = @reason WHERE id = @id'),
    recent: db.prepare(
      "SELECT * FROM redemption_log WHERE action = 'redeem' AND status IN ('redeemed', 'voided', 'unresolved', 'pending') ORDER BY seq DESC LIMIT ?",
    ),
  };

  function where(f: LogFilter): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (f.text.trim()) {
      const like = `%${f.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      parts.push(
        "(raw LIKE ? ESCAPE '\\' OR normalized LIKE ? ESCAPE '\\' OR coupon_name LIKE ? ESCAPE '\\' OR coupon_id LIKE ? ESCAPE '\\' OR redemption_id LIKE ? ESCAPE '\\' OR reason LIKE ? ESCAPE '\\')",
      );
      params.push(like, like, like, like, like, like);
    }
    if (f.verdict) {
      parts.push('verdict = ?');
      params.push(f.verdict);
    }
    if (f.from) {
      parts.push('at >= ?');
      params.push(f.from.iso);
    }
    if (f.to) {
      parts.push(f.to.exclusive ? 'at < ?' : 'at <= ?');
      params.push(f.to.iso);
    }
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
  }

  return {
    insertAttempt(a: { id: string; idempotency_key: string; code: string; prefix: string; coupon_id: string; source: string; raw: string; plan: AttemptPlan; amount: number; engine_run: string; now: string }) {
      q.insertAttempt.run({ ...a, plan: JSON.stringify(a.plan) });
    },
    attempt: (id: string) => q.attempt.get(id) as AttemptRow | undefined,
    attemptByKey: (key: string) => q.attemptByKey.get(key) as AttemptRow | undefined,
    attemptsForCode: (code: string) => q.attemptsForCode.all(code) as AttemptRow[],
    openAttempts: () => q.openAttempts.all() as AttemptRow[],
    redeemedForCode: (code: string) => q.redeemedForCode.get(code) as AttemptRow | undefined,
    setState(id: string, state: AttemptState, now: string, extra: { reason?: string | null; lastError?: string | null; consumptionId?: string | null } = {}) {
      q.setState.run({ id, state, now, reason: extra.reason ?? null, last_error: extra.lastError ?? null, consumption_id: extra.consumptionId ?? null });
    },
    setVoided: (id: string, now: string) => q.setVoided.run({ id, now }),
    insertSale(sale: Omit<SaleRow, 'voided_at' | 'void_outbox_id'>, lines: SalePlan['lines']) {
      q.insertSale.run(sale);
      lines.forEach((l, i) => q.insertItem.run(sale.id, i + 1, l.productId, l.productCode, l.name, l.price, l.quantity));
    },
    saleByRedemption: (redemptionId: string) => q.saleByRedemption.get(redemptionId) as SaleRow | undefined,
    voidSale: (id: string, now: string, voidOutboxId: string) => q.voidSale.run({ id, now, void_outbox_id: voidOutboxId }),

    nextTerminalTranId: (terminalId: string) => nextTerminalTranId(db, terminalId),

    insertLog(e: RedemptionLogEntry & { action: LogAction }) {
      q.insertLog.run(e);
    },
    logEntry(id: string): RedemptionLogEntry | null {
      const r = q.logById.get(id) as LogRow | undefined;
      return r ? toLogEntry(r) : null;
    },
    setLogStatus(id: string, status: string, verdict: string, reason: string | null) {
      q.setLogStatus.run({ id, status, verdict, reason });
    },
    recent: (limit: number) => (q.recent.all(limit) as LogRow[]).map(toLogEntry),
    query(f: LogFilter, page: { limit: number; offset: number } | null): { total: number; rows: RedemptionLogEntry[] } {
      const w = where(f);
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM redemption_log ${w.sql}`).get(...w.params) as { n: number }).n;
      const paging = page ? ' LIMIT ? OFFSET ?' : '';
      const params = page ? [...w.params, page.limit, page.offset] : w.params;
      const rows = db.prepare(`SELECT * FROM redemption_log ${w.sql} ORDER BY seq DESC${paging}`).all(...params) as LogRow[];
      return { total, rows: rows.map(toLogEntry) };
    },
  };
}

export type RedemptionStore = ReturnType<typeof createRedemptionStore>;
