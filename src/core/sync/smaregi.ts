import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SmaregiClient } from '../channels/smaregi/client';
import type { SmaregiConfig } from '../context';
import { formatJst } from './time';
import type { Poller } from './types';
import { pollWindowed, SMAREGI_MAX_WINDOW_MS } from './window';

/*
 * Inbound Smaregi polling: transactions and stock rows changed since the cursor, by
 * `upd_date_time` windows (≤ 31 days), sorted by that field, `limit` 1000.
 */

const TransactionHeadSchema = z.looseObject({
  transactionHeadId: z.string(),
  updDateTime: z.string(),
  storeId: z.string().optional(),
  terminalId: z.string().optional(),
  terminalTranId: z.string().optional(),
  total: z.string().optional(),
  cancelDivision: z.string().optional(),
});

const StockRowSchema = z.looseObject({
  productId: z.string(),
  storeId: z.string(),
  stockAmount: z.string(),
  updDateTime: z.string(),
});

const stampOf = (s: string): number => {
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) throw new Error(`Smaregi sent an unreadable updDateTime: ${s}`);
  return ms;
};

/**
 * A row version's identity: id, stamp and a digest of its content. Stamps have one-second
 * resolution, so two changes within a second differ only in content; a re-read of the same
 * content (the overlap) has the same key and is not recorded twice.
 */
const versionKey = (prefix: string, stamp: string, row: unknown) =>
  `${prefix}@${stamp}#${createHash('sha1').update(JSON.stringify(row)).digest('hex').slice(0, 12)}`;

export interface SmaregiPollerOptions {
  intervalMs?: number;
  overlapMs?: number;
  settleMs?: number;
  initialLookbackMs?: number;
  pageLimit?: number;
}

const defaults = (o: SmaregiPollerOptions) => ({
  intervalMs: o.intervalMs ?? 60_000,
  overlapMs: o.overlapMs ?? 120_000,
  settleMs: o.settleMs ?? 60_000,
  initialLookbackMs: o.initialLookbackMs ?? 24 * 3600_000,
  pageLimit: Math.min(1000, o.pageLimit ?? 1000),
});

export function smaregiTransactionsPoller(client: SmaregiClient, config: () => SmaregiConfig | null, o: SmaregiPollerOptions = {}): Poller {
  const d = defaults(o);
  return {
    name: 'smaregi.transactions',
    target: 'smaregi',
    intervalMs: d.intervalMs,
    configured: () => config() !== null,
    poll: (pc) =>
      pollWindowed(
        {
          cursorName: 'smaregi.transactions.updDateTime',
          maxWindowMs: SMAREGI_MAX_WINDOW_MS,
          pageLimit: d.pageLimit,
          overlapMs: d.overlapMs,
          settleMs: d.settleMs,
          initialLookbackMs: d.initialLookbackMs,
          format: formatJst,
          async fetch(from, to, page, limit) {
            const rows = await client.request<unknown>('GET', '/transactions', {
              query: {
                'upd_date_time-from': formatJst(from),
                'upd_date_time-to': formatJst(to),
                store_id: config()?.storeId,
                with_details: 'none',
                sort: 'updDateTime,transactionHeadId',
                limit,
                page,
              },
            });
            return z.array(TransactionHeadSchema).parse(rows);
          },
          stamp: (r) => stampOf(r.updDateTime),
          toItem: (r) => ({
            key: versionKey(`smaregi.transaction:${r.transactionHeadId}`, r.updDateTime, r),
            target: 'smaregi',
            kind: 'smaregi.transaction',
            summary: `取引 ${r.transactionHeadId}${r.total ? ` ${r.total}円` : ''}${r.terminalTranId ? ` (端末 ${r.terminalId ?? '?'} / ${r.terminalTranId})` : ''}${r.cancelDivision === '1' ? ' 取消' : ''}`,
            payload: r,
          }),
        },
        pc,
      ),
  };
}

export function smaregiStockPoller(client: SmaregiClient, config: () => SmaregiConfig | null, o: SmaregiPollerOptions = {}): Poller {
  const d = defaults(o);
  return {
    name: 'smaregi.stock',
    target: 'smaregi',
    intervalMs: d.intervalMs,
    configured: () => config() !== null,
    poll: (pc) =>
      pollWindowed(
        {
          cursorName: 'smaregi.stock.updDateTime',
          maxWindowMs: SMAREGI_MAX_WINDOW_MS,
          pageLimit: d.pageLimit,
          overlapMs: d.overlapMs,
          settleMs: d.settleMs,
          initialLookbackMs: d.initialLookbackMs,
          format: formatJst,
          async fetch(from, to, page, limit) {
            const rows = await client.request<unknown>('GET', '/stock', {
              query: {
                'upd_date_time-from': formatJst(from),
                'upd_date_time-to': formatJst(to),
                store_id: config()?.storeId,
                sort: 'updDateTime,productId',
                limit,
                page,
              },
            });
            return z.array(StockRowSchema).parse(rows);
          },
          stamp: (r) => stampOf(r.updDateTime),
          toItem: (r) => ({
            key: versionKey(`smaregi.stock:${r.storeId}:${r.productId}`, r.updDateTime, r),
            target: 'smaregi',
            kind: 'smaregi.stock',
            summary: `在庫 商品 ${r.productId} / 店舗 ${r.storeId}: ${r.stockAmount}`,
            payload: r,
          }),
        },
        pc,
      ),
  };
}
