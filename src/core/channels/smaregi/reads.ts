import type { CouponRecord } from '../../coupons/types';
import { HttpError } from '../../http';
import type { Query, SmaregiClient } from './client';
import {
  SmaregiCouponItemSchema,
  SmaregiCouponSchema,
  SmaregiProductSchema,
  SmaregiStockSchema,
  SmaregiStoreSchema,
  parseRows,
  type RowProblem,
  type SmaregiProduct,
  type SmaregiStock,
  type SmaregiStore,
} from './schemas';

/*
 * Reads of Smaregi master data through the SmaregiClient. Every row is validated on its own: a bad
 * row comes back as a RowProblem naming it, the good rows are kept. Transport failures (offline,
 * 429 after retries, 5xx, unreadable JSON) throw the client's HttpError, so the caller can keep
 * what it had.
 */

export interface ReadResult<T> {
  rows: T[];
  problems: RowProblem[];
}

export interface ReadOptions {
  /** Page size (1–1000). */
  limit?: number;
  /** 429 handling: retries of one call, each after `Retry-After` (capped). */
  retry?: { retries?: number; maxWaitMs?: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Repeats a call refused with 429 after Retry-After (default 1 s, capped), a few times at most. */
async function withRateLimitRetry<T>(fn: () => Promise<T>, opts: ReadOptions['retry'] = {}): Promise<T> {
  const retries = opts.retries ?? 2;
  const maxWaitMs = opts.maxWaitMs ?? 3_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof HttpError && err.kind === 'status' && err.status === 429) || attempt >= retries) throw err;
      await sleep(Math.min(maxWaitMs, err.retryAfterMs ?? 1_000));
    }
  }
}

/** `YYYY-MM-DDThh:mm:ss+09:00` (Smaregi reads query date-times as JST; the client encodes `+`). */
export function toJstQueryTime(at: Date): string {
  const t = new Date(Math.floor(at.getTime() / 1000) * 1000 + 9 * 3600_000);
  return `${t.toISOString().slice(0, 19)}+09:00`;
}

async function list(client: SmaregiClient, path: string, query: Query, opts: ReadOptions): Promise<unknown[]> {
  return withRateLimitRetry(() => client.listAll<unknown>(path, query, { limit: opts.limit }), opts.retry);
}

export async function fetchStores(client: SmaregiClient, opts: ReadOptions = {}): Promise<ReadResult<SmaregiStore>> {
  return parseRows(SmaregiStoreSchema, await list(client, '/stores', {}, opts), 'stores', 'storeId');
}

/** All products, or those changed since `updatedSince` (`upd_date_time-from`). */
export async function fetchProducts(
  client: SmaregiClient,
  opts: ReadOptions & { updatedSince?: Date } = {},
): Promise<ReadResult<SmaregiProduct>> {
  const query: Query = opts.updatedSince ? { 'upd_date_time-from': toJstQueryTime(opts.updatedSince) } : {};
  return parseRows(SmaregiProductSchema, await list(client, '/products', query, opts), 'products', 'productId');
}

/** Stock rows, optionally for one store / product, or changed since `updatedSince`. */
export async function fetchStock(
  client: SmaregiClient,
  opts: ReadOptions & { storeId?: string; productId?: string; updatedSince?: Date } = {},
): Promise<ReadResult<SmaregiStock>> {
  const query: Query = {
    store_id: opts.storeId,
    product_id: opts.productId,
    'upd_date_time-from': opts.updatedSince ? toJstQueryTime(opts.updatedSince) : undefined,
  };
  return parseRows(SmaregiStockSchema, await list(client, '/stock', query, opts), 'stock', 'productId');
}

/** Whether a coupon's items change anything: its target-product condition, or its free items. */
export function couponUsesItems(c: Pick<CouponRecord, 'applyConditionDivision' | 'awardType'>): boolean {
  return c.applyConditionDivision === '1' || c.awardType === '3';
}

/**
 * Every coupon with its items (`GET /coupons`, then `GET /coupons/{id}/products`). Items are read
 * only where they matter (`items: 'used'`, the default: 指定商品 coupons and 商品付与 coupons — one
 * request per such coupon, a few at a time) or for every coupon (`items: 'all'`). A coupon with a bad
 * item row is reported and left out whole (its condition could not be trusted); a coupon deleted
 * between the two calls (404) is left out.
 */
export async function fetchCoupons(
  client: SmaregiClient,
  opts: ReadOptions & { items?: 'used' | 'all'; concurrency?: number } = {},
): Promise<ReadResult<CouponRecord>> {
  const head = parseRows(SmaregiCouponSchema, await list(client, '/coupons', {}, opts), 'coupons', 'couponId');
  const problems = [...head.problems];
  const out: Array<CouponRecord | null> = head.rows.map((c) => ({ ...c, items: [] }));
  const todo = out.map((_, i) => i).filter((i) => opts.items === 'all' || couponUsesItems(out[i]!));
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < todo.length && !failed) {
      const i = todo[next++];
      const coupon = out[i]!;
      let raw: unknown[];
      try {
        raw = await list(client, `/coupons/${encodeURIComponent(coupon.couponId)}/products`, {}, opts);
      } catch (err) {
        if (err instanceof HttpError && err.kind === 'status' && err.status === 404) {
          out[i] = null;
          continue;
        }
        failed = true; // the other workers stop asking: this read has failed as a whole
        throw err;
      }
      const items = parseRows(SmaregiCouponItemSchema, raw, `coupon ${coupon.couponId} items`, 'couponProductId');
      if (items.problems.length > 0) {
        problems.push(...items.problems);
        problems.push({
          resource: 'coupons',
          index: i,
          key: `couponId "${coupon.couponId}"`,
          message: 'left out because some of its items are invalid',
        });
        out[i] = null;
        continue;
      }
      coupon.items = items.rows;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, todo.length)) }, worker));
  return { rows: out.filter((c): c is CouponRecord => c !== null), problems };
}
