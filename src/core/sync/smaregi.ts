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

interface WindowedSource<R extends { updDateTime: string }> {
  name: string;
  path: string;
  schema: z.ZodType<R>;
  /** Sort by the windowed field first (Smaregi's rule), then a tie-breaker. */
  sort: string;
  query?: Record<string, string>;
  toItem(row: R): { key: string; kind: string; summary: string };
}

/** One Smaregi list polled by `upd_date_time` windows, rows recorded as received items. */
function smaregiWindowedPoller<R extends { updDateTime: string }>(
  source: WindowedSource<R>,
  client: SmaregiClient,
  config: () => SmaregiConfig | null,
  o: SmaregiPollerOptions,
): Poller {
  const d = defaults(o);
  return {
    name: source.name,
    target: 'smaregi',
    intervalMs: d.intervalMs,
    configured: () => config() !== null,
    poll: (pc) =>
      pollWindowed(
        {
          cursorName: `${source.name}.updDateTime`,
          maxWindowMs: SMAREGI_MAX_WINDOW_MS,
          pageLimit: d.pageLimit,
          overlapMs: d.overlapMs,
          settleMs: d.settleMs,
          initialLookbackMs: d.initialLookbackMs,
          format: formatJst,
          async fetch(from, to, page, limit) {
            const rows = await client.request<unknown>('GET', source.path, {
              query: {
                'upd_date_time-from': formatJst(from),
                'upd_date_time-to': formatJst(to),
                store_id: config()?.storeId,
                ...source.query,
                sort: source.sort,
                limit,
                page,
              },
            });
            return z.array(source.schema).parse(rows);
          },
          stamp: (r) => stampOf(r.updDateTime),
          toItem: (r) => ({ ...source.toItem(r), target: 'smaregi', payload: r }),
        },
        pc,
      ),
  };
}

export function smaregiTransactionsPoller(client: SmaregiClient, config: () => SmaregiConfig | null, o: SmaregiPollerOptions = {}): Poller {
  return smaregiWindowedPoller(
    {
      name: 'smaregi.transactions',
      path: '/transactions',
      schema: TransactionHeadSchema,
      sort: 'updDateTime,transactionHeadId',
      query: { with_details: 'none' },
      toItem: (r) => ({
        key: versionKey(`smaregi.transaction:${r.transactionHeadId}`, r.updDateTime, r),
        kind: 'smaregi.transaction',
        summary: `取引 ${r.transactionHeadId}${r.total ? ` ${r.total}円` : ''}${r.terminalTranId ? ` (端末 ${r.terminalId ?? '?'} / ${r.terminalTranId})` : ''}${r.cancelDivision === '1' ? ' 取消' : ''}`,
      }),
    },
    client,
    config,
    o,
  );
}

export function smaregiStockPoller(client: SmaregiClient, config: () => SmaregiConfig | null, o: SmaregiPollerOptions = {}): Poller {
  return smaregiWindowedPoller(
    {
      name: 'smaregi.stock',
      path: '/stock',
      schema: StockRowSchema,
      sort: 'updDateTime,productId',
      toItem: (r) => ({
        key: versionKey(`smaregi.stock:${r.storeId}:${r.productId}`, r.updDateTime, r),
        kind: 'smaregi.stock',
        summary: `在庫 商品 ${r.productId} / 店舗 ${r.storeId}: ${r.stockAmount}`,
      }),
    },
    client,
    config,
    o,
  );
}
