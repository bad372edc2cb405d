import { z } from 'zod';
import type { SmaregiConfig } from '../../context';
import { HttpError } from '../../http';
import type { NewOutboxItem } from '../../outbox/enqueue';
import { formatJst } from '../../sync/time';
import { DeliveryError, type DeliveryOutcome, type OutboxDelivery } from '../types';
import { smaregiErrorText, type SmaregiClient } from './client';

/*
 * Delivery of smaregi.* outbox rows. Smaregi documents no idempotency header, so every write that
 * may have happened already (`maybeApplied`) is check-then-act: look for our own reference first
 * (a transaction with our terminalId + terminalTranId AND the content we sent; the stock change's
 * memo carrying our outbox id) and only write when it is not there. Absolute stock values are
 * naturally idempotent.
 */

export const SMAREGI_KINDS = {
  transaction: 'smaregi.transaction',
  cancel: 'smaregi.transaction.cancel',
  stockSet: 'smaregi.stock.set',
  stockAdd: 'smaregi.stock.add',
} as const;

const id = z.string().regex(/^\d{1,15}$/, 'must be a string of digits');
const intString = z.union([z.string().regex(/^-?\d{1,10}$/), z.number().int()]).transform(String);

const LookupSchema = z.object({
  storeId: id,
  terminalId: z.string().min(1).max(9),
  terminalTranId: z.string().min(1).max(10),
  terminalTranDateTime: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO 8601 date-time'),
});
export type SmaregiTransactionLookup = z.infer<typeof LookupSchema>;

const TransactionPayloadSchema = z.object({ transaction: z.looseObject({}), lookup: LookupSchema });
const CancelPayloadSchema = z.object({ lookup: LookupSchema, transactionHeadId: id.optional() });
const StockPayloadSchema = z.object({ storeId: id, productId: id, stockAmount: intString });

const CreatedSchema = z.looseObject({ transactionHeadId: z.union([z.string(), z.number()]).transform(String) });
const StockAnswerSchema = z.looseObject({ stockHistory: z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }).nullish() });
const text = z.union([z.string(), z.number()]).transform(String);
const FoundSchema = z.array(
  z.looseObject({
    transactionHeadId: text,
    terminalId: text.nullish(),
    terminalTranId: text.nullish(),
    terminalTranDateTime: z.string().nullish(),
    storeId: text.nullish(),
    total: text.nullish(),
    subtotal: text.nullish(),
    memo: z.string().nullish(),
    cancelDivision: text.nullish(),
  }),
);
export type FoundTransaction = z.infer<typeof FoundSchema>[number];
const FOUND_FIELDS = 'transactionHeadId,storeId,terminalId,terminalTranId,terminalTranDateTime,total,subtotal,memo,cancelDivision';
const ChangesSchema = z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), memo: z.string().nullish() }));

/** The memo we put on every stock change: our outbox id, so a retry can find it. */
export const stockMemo = (outboxId: string) => `rc:${outboxId}`;

// ---- builders: what callers enqueue (inside the transaction of their local change) ----

/** A sale for POST /transactions; one lane per transaction, its cancel follows in the same lane. */
export function smaregiTransactionItem(transaction: Record<string, unknown> & SmaregiTransactionLookup): NewOutboxItem {
  const lookup = LookupSchema.parse(transaction);
  return {
    target: 'smaregi',
    kind: SMAREGI_KINDS.transaction,
    orderingKey: transactionLane(lookup),
    payload: { transaction, lookup },
  };
}

export function smaregiCancelItem(lookup: SmaregiTransactionLookup, transactionHeadId?: string): NewOutboxItem {
  return {
    target: 'smaregi',
    kind: SMAREGI_KINDS.cancel,
    orderingKey: transactionLane(LookupSchema.parse(lookup)),
    payload: { lookup, ...(transactionHeadId ? { transactionHeadId } : {}) },
  };
}

/** An absolute stock level: pending ones for the same product and store collapse to the newest. */
export function smaregiStockSetItem(v: { storeId: string; productId: string; stockAmount: string | number }): NewOutboxItem {
  const key = stockKey(v.storeId, v.productId);
  return { target: 'smaregi', kind: SMAREGI_KINDS.stockSet, orderingKey: key, coalesceKey: key, payload: { ...v, stockAmount: String(v.stockAmount) } };
}

/** A relative stock change (±delta); in the same lane as the product's absolute values. */
export function smaregiStockAddItem(v: { storeId: string; productId: string; stockAmount: string | number }): NewOutboxItem {
  return { target: 'smaregi', kind: SMAREGI_KINDS.stockAdd, orderingKey: stockKey(v.storeId, v.productId), payload: { ...v, stockAmount: String(v.stockAmount) } };
}

export const stockKey = (storeId: string, productId: string) => `stock:${storeId}:${productId}`;
const transactionLane = (l: SmaregiTransactionLookup) => `smaregi.tx:${l.storeId}:${l.terminalId}:${l.terminalTranId}`;

// ---- delivery ----

/** Turns a client failure into the outbox's terms, with Smaregi's own message. */
export function toDeliveryError(err: unknown, write: boolean): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof HttpError) {
    let message = smaregiErrorText(err);
    if (err.kind === 'status' && err.status === 401) {
      message += ' — スマレジの認証に失敗しました。設定（契約ID・クライアントID・シークレット）を確認してから再送してください / check the Smaregi credentials, then resend';
    }
    const maybe = write && (err.outcomeUnknown || (err.kind === 'status' && (err.status ?? 0) >= 500));
    const e = new DeliveryError(err.retryable ? 'retry' : 'permanent', message, err.retryAfterMs, maybe);
    Object.defineProperty(e, 'cause', { value: err });
    return e;
  }
  return new DeliveryError('retry', (err as Error)?.message ?? String(err), null, write);
}

function parsePayload<T>(schema: z.ZodType<T>, item: OutboxDelivery): T {
  const r = schema.safeParse(item.payload);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
    throw new DeliveryError('permanent', `${item.kind}: the queued change is malformed (${why})`);
  }
  return r.data;
}

/**
 * What identifies a sale we sent: the register's reference plus the content we control. Two
 * registers set up with the same terminal id both number their sales 1, 2, 3…, so the reference
 * alone can name another register's sale; the content (time to the second, amounts, and the memo
 * when we wrote one — a redemption's memo carries its redemption id) tells them apart.
 */
export interface SaleIdentity extends SmaregiTransactionLookup {
  total?: string;
  subtotal?: string;
  memo?: string;
}

/** The identity of a sale from its lookup and (when known) the POST body we send. */
export function saleIdentity(lookup: SmaregiTransactionLookup, transaction?: Record<string, unknown> | null): SaleIdentity {
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const memo = str(transaction?.memo);
  return {
    ...lookup,
    ...(str(transaction?.total) !== undefined ? { total: str(transaction?.total) } : {}),
    ...(str(transaction?.subtotal) !== undefined ? { subtotal: str(transaction?.subtotal) } : {}),
    ...(memo ? { memo } : {}),
  };
}

/**
 * Whether a transaction found in Smaregi is the one we sent (pure). Every field we compare must be
 * there and equal: a candidate we cannot confirm is not adopted (adopting another register's sale
 * would lose ours; a second POST of ours is the lesser harm, and the lookup makes that rare).
 */
export function isOurTransaction(found: FoundTransaction, id: SaleIdentity): boolean {
  const num = (a: string | null | undefined, b: string) => a != null && a.trim() !== '' && Number(a) === Number(b);
  const at = found.terminalTranDateTime ? Date.parse(found.terminalTranDateTime) : Number.NaN;
  return (
    found.storeId === id.storeId &&
    found.terminalId === id.terminalId &&
    found.terminalTranId === id.terminalTranId &&
    Number.isFinite(at) &&
    Math.floor(at / 1000) === Math.floor(Date.parse(id.terminalTranDateTime) / 1000) &&
    (id.total === undefined || num(found.total, id.total)) &&
    (id.subtotal === undefined || num(found.subtotal, id.subtotal)) &&
    (id.memo === undefined || found.memo === id.memo)
  );
}

/** Finds our transaction: same register reference and the same content we sent (see isOurTransaction). */
export async function findTransaction(
  client: SmaregiClient,
  id: SaleIdentity,
): Promise<{ transactionHeadId: string; cancelDivision: string | null } | null> {
  const at = Date.parse(id.terminalTranDateTime);
  const day = 24 * 3600_000;
  const rows = FoundSchema.parse(
    await client.listAll('/transactions', {
      'terminal_tran_date_time-from': formatJst(at - day),
      'terminal_tran_date_time-to': formatJst(at + day),
      store_id: id.storeId,
      terminal_id: id.terminalId,
      fields: FOUND_FIELDS,
      sort: 'terminalTranDateTime',
    }),
  );
  // The filters may be ignored by the server: match here, on the reference and the content.
  const hit = rows.find((r) => isOurTransaction(r, id));
  return hit ? { transactionHeadId: hit.transactionHeadId, cancelDivision: hit.cancelDivision ?? null } : null;
}

/** Looks for the stock change carrying `memo` among the product's recent changes (newest first). */
export async function findStockChange(client: SmaregiClient, productId: string, storeId: string, memo: string, maxPages = 10): Promise<string | null> {
  const limit = 100;
  for (let page = 1; page <= maxPages; page++) {
    const rows = ChangesSchema.parse(
      await client.request('GET', `/stock/changes/${encodeURIComponent(productId)}/${encodeURIComponent(storeId)}`, {
        query: { sort: 'id:desc', limit, page },
      }),
    );
    const hit = rows.find((r) => r.memo === memo);
    if (hit) return hit.id;
    if (rows.length < limit) return null;
  }
  return null;
}

/** The sale row queued before a cancel in the cancel's lane (the sale it voids), as the outbox holds it. */
export interface LaneSale {
  state: string;
  remoteRef: string | null;
  payload: unknown;
}

export interface SmaregiDeliverDeps {
  /** The latest `smaregi.transaction` row before `item` in its lane, or null. */
  laneSale?(item: OutboxDelivery): LaneSale | null;
}

export function createSmaregiDeliver(client: SmaregiClient, deps: SmaregiDeliverDeps = {}) {
  async function step<T>(write: boolean, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toDeliveryError(err, write);
    }
  }

  async function transaction(item: OutboxDelivery): Promise<DeliveryOutcome> {
    const p = parsePayload(TransactionPayloadSchema, item);
    const ref = `${p.lookup.terminalId}/${p.lookup.terminalTranId}`;
    if (item.maybeApplied) {
      const found = await step(false, () => findTransaction(client, saleIdentity(p.lookup, p.transaction)));
      if (found) return { ok: true, remoteRef: found.transactionHeadId, summary: `取引 ${ref} → ${found.transactionHeadId}（送信済みを確認）` };
    }
    const body = await step(true, () => client.request<unknown>('POST', '/transactions', { json: p.transaction }));
    const created = CreatedSchema.safeParse(body);
    if (!created.success) {
      // 2xx but no id: it was created; the next attempt finds it by our reference.
      throw new DeliveryError('retry', 'Smaregi accepted the sale but its answer had no transactionHeadId', null, true);
    }
    return { ok: true, remoteRef: created.data.transactionHeadId, summary: `取引 ${ref} → ${created.data.transactionHeadId}` };
  }

  /**
   * The id of the sale to cancel: the one the payload names; else the id our own sale got when its
   * row (in this lane, delivered before this cancel) was sent; else looked up by the sale's
   * reference and content — never just "some sale with this terminal and number".
   */
  async function saleToCancel(item: OutboxDelivery, p: z.infer<typeof CancelPayloadSchema>): Promise<{ headId: string; cancelled: boolean | null }> {
    if (p.transactionHeadId) return { headId: p.transactionHeadId, cancelled: null };
    const sale = deps.laneSale?.(item) ?? null;
    if (sale?.state === 'sent' && sale.remoteRef && /^\d{1,15}$/.test(sale.remoteRef)) return { headId: sale.remoteRef, cancelled: null };
    const body = TransactionPayloadSchema.safeParse(sale?.payload);
    const ref = `${p.lookup.terminalId}/${p.lookup.terminalTranId}`;
    const found = await step(false, () => findTransaction(client, saleIdentity(p.lookup, body.success ? body.data.transaction : null)));
    if (!found) throw new DeliveryError('permanent', `取引 ${ref} がスマレジに見つかりません / transaction ${ref} is not in Smaregi`);
    return { headId: found.transactionHeadId, cancelled: found.cancelDivision === '1' };
  }

  async function cancel(item: OutboxDelivery): Promise<DeliveryOutcome> {
    const p = parsePayload(CancelPayloadSchema, item);
    const ref = `${p.lookup.terminalId}/${p.lookup.terminalTranId}`;
    const target = await saleToCancel(item, p);
    const headId = target.headId;
    let cancelled = target.cancelled;
    // Smaregi refuses a second cancel: when a cancel may have landed (or we never read the sale), look first.
    if (cancelled === null && (item.maybeApplied || !p.transactionHeadId)) {
      const one = await step(false, () => client.request<{ cancelDivision?: string | number }>('GET', `/transactions/${encodeURIComponent(headId)}`));
      cancelled = String(one?.cancelDivision ?? '') === '1';
    }
    if (cancelled) return { ok: true, remoteRef: headId, summary: `取引 ${ref} (${headId}) 取消済み` };
    await step(true, () => client.request('POST', `/transactions/${encodeURIComponent(headId)}/cancel`, { json: {} }));
    return { ok: true, remoteRef: headId, summary: `取引 ${ref} (${headId}) 取消` };
  }

  async function stockSet(item: OutboxDelivery): Promise<DeliveryOutcome> {
    const p = parsePayload(StockPayloadSchema, item);
    // Absolute: repeating it gives the same level, no check needed.
    const body = await step(true, () =>
      client.request<unknown>('PATCH', `/stock/${encodeURIComponent(p.productId)}`, {
        json: { storeId: p.storeId, stockAmount: p.stockAmount, stockHistory: { memo: stockMemo(item.id) } },
      }),
    );
    const ans = StockAnswerSchema.safeParse(body);
    return { ok: true, remoteRef: ans.success ? (ans.data.stockHistory?.id ?? null) : null, summary: `在庫 商品 ${p.productId} / 店舗 ${p.storeId} = ${p.stockAmount}` };
  }

  async function stockAdd(item: OutboxDelivery): Promise<DeliveryOutcome> {
    const p = parsePayload(StockPayloadSchema, item);
    const memo = stockMemo(item.id);
    const summary = `在庫 商品 ${p.productId} / 店舗 ${p.storeId} ${Number(p.stockAmount) >= 0 ? '+' : ''}${p.stockAmount}`;
    if (item.maybeApplied) {
      const found = await step(false, () => findStockChange(client, p.productId, p.storeId, memo));
      if (found) return { ok: true, remoteRef: found, summary: `${summary}（送信済みを確認）` };
    }
    const body = await step(true, () =>
      client.request<unknown>('POST', `/stock/${encodeURIComponent(p.productId)}/add`, {
        json: { storeId: p.storeId, stockAmount: p.stockAmount, stockHistory: { memo } },
      }),
    );
    const ans = StockAnswerSchema.safeParse(body);
    return { ok: true, remoteRef: ans.success ? (ans.data.stockHistory?.id ?? null) : null, summary };
  }

  return async function deliver(item: OutboxDelivery): Promise<DeliveryOutcome> {
    switch (item.kind) {
      case SMAREGI_KINDS.transaction:
        return transaction(item);
      case SMAREGI_KINDS.cancel:
        return cancel(item);
      case SMAREGI_KINDS.stockSet:
        return stockSet(item);
      case SMAREGI_KINDS.stockAdd:
        return stockAdd(item);
      default:
        throw new DeliveryError('permanent', `Smaregi cannot deliver "${item.kind}" (unknown kind)`);
    }
  };
}

/**
 * Resending after the manager fixed the store id: a sale (and its cancel) goes to the store now
 * configured. Only the store id is renewed; the terminal id and its transaction number stay, since
 * together they identify the sale for the check-before-resend lookup.
 */
export function restampSmaregiPayload(kind: string, payload: unknown, storeId: string): unknown | null {
  if (kind !== SMAREGI_KINDS.transaction && kind !== SMAREGI_KINDS.cancel) return null;
  const p = payload as { transaction?: Record<string, unknown>; lookup?: Record<string, unknown> };
  if (!p?.lookup || p.lookup.storeId === storeId) return null;
  return {
    ...p,
    lookup: { ...p.lookup, storeId },
    ...(p.transaction ? { transaction: { ...p.transaction, storeId } } : {}),
  };
}
