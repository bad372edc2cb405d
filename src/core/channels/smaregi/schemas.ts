import { z } from 'zod';
import { parseCouponDate } from '../../coupons/dates';
import type { CouponItemRecord, CouponRecord, ProductRecord, StockRecord, StoreRecord } from '../../coupons/types';

/*
 * Smaregi read payloads (stores, products, coupons, coupon items, stock). Smaregi sends numbers and
 * ids as strings; numbers are accepted too and kept as strings. Unknown fields are dropped, optional
 * fields may be null or absent, and an empty string in an optional field means "not set" (null).
 * What a rule depends on (ids, award type and value, condition division, dates, prices) is checked
 * strictly: a row that fails is reported by `parseRows`, never cached.
 */

const text = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v);
const emptyToNull = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' && v.trim() === '' ? null : text(v));

/** An id: digits, as a string (a number is accepted). */
const id = z.preprocess(text, z.string({ error: 'must be an id (digits)' }).regex(/^\d{1,20}$/, 'must be an id (digits)'));
const optionalId = z.preprocess(emptyToNull, z.string().regex(/^\d{1,20}$/, 'must be an id (digits)').nullable());
/** A required number in Smaregi's string form. */
const num = z.preprocess(text, z.string({ error: 'must be a number (string)' }).regex(/^-?\d+(\.\d+)?$/, 'must be a number, e.g. "1200"'));
const optionalNum = z.preprocess(emptyToNull, z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number, e.g. "1200"').nullable());
const nonNegNum = z.preprocess(text, z.string({ error: 'must be a number (string)' }).regex(/^\d+(\.\d+)?$/, 'must be a non-negative number'));
const requiredText = z.preprocess(text, z.string({ error: 'must be text' }).min(1, 'must not be empty'));
const optionalText = z.preprocess((v) => (v === undefined ? null : text(v)), z.string().nullable());
const code = <const T extends readonly [string, ...string[]]>(values: T) => z.preprocess(text, z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` }));
const couponDate = z.preprocess(
  emptyToNull,
  z.string().refine((s) => parseCouponDate(s) !== null, 'must be a date YYYY-MM-DD or an ISO date-time').nullable(),
);

export const SmaregiStoreSchema = z.object({
  storeId: id,
  storeCode: z.preprocess(emptyToNull, z.string().nullable()),
  storeName: z.preprocess((v) => (v === null || v === undefined ? '' : text(v)), z.string()),
  division: z.preprocess(emptyToNull, z.string().nullable()),
  updDateTime: optionalText,
}) satisfies z.ZodType<StoreRecord>;

export const SmaregiProductSchema = z.object({
  productId: id,
  productCode: requiredText,
  productName: z.preprocess((v) => (v === null || v === undefined ? '' : text(v)), z.string()),
  price: num,
  categoryId: optionalId,
  groupCode: z.preprocess(emptyToNull, z.string().nullable()),
  updDateTime: optionalText,
}) satisfies z.ZodType<ProductRecord>;

export const SmaregiCouponItemSchema = z.object({
  couponProductId: optionalId,
  division: code(['1', '2', '3']),
  itemId: requiredText,
  type: code(['1', '2']),
  salesPrice: optionalNum,
}) satisfies z.ZodType<CouponItemRecord>;

/** A coupon from `GET /coupons` (its items come from a separate call). */
export const SmaregiCouponSchema = z
  .object({
    couponId: id,
    couponName: z.preprocess((v) => (v === null || v === undefined ? '' : text(v)), z.string()),
    couponDivision: z.preprocess(text, z.string({ error: 'must be a division code' }).regex(/^\d{1,2}$/, 'must be a division code ("0" 通常, "1" giftee)')),
    serialNumber: requiredText,
    summary: z.preprocess(emptyToNull, z.string().nullable()),
    awardType: code(['1', '2', '3']),
    /** Required for 値引 / 割引; 商品付与 may leave it empty (then "0"). */
    awardValue: z.preprocess(emptyToNull, z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative number').nullable()),
    applyConditionDivision: code(['0', '1']),
    minTargetPrice: optionalNum,
    maxTargetPrice: optionalNum,
    startDate: couponDate,
    endDate: couponDate,
    updDateTime: optionalText,
  })
  .superRefine((c, ctx) => {
    if (c.awardValue === null && c.awardType !== '3') {
      ctx.addIssue({ code: 'custom', path: ['awardValue'], message: 'is required for awardType "1" (amount off) and "2" (percent off)' });
    }
    if (c.startDate && c.endDate) {
      const s = parseCouponDate(c.startDate)!.ms;
      const e = parseCouponDate(c.endDate)!.ms;
      if (s > e) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'is before startDate' });
    }
  })
  .transform((c) => ({ ...c, awardValue: c.awardValue ?? '0' })) satisfies z.ZodType<Omit<CouponRecord, 'items'>>;

export const SmaregiStockSchema = z.object({
  storeId: id,
  productId: id,
  stockAmount: num,
  layawayStockAmount: optionalNum,
  updDateTime: optionalText,
}) satisfies z.ZodType<StockRecord>;

export type SmaregiStore = z.output<typeof SmaregiStoreSchema>;
export type SmaregiProduct = z.output<typeof SmaregiProductSchema>;
export type SmaregiCoupon = z.output<typeof SmaregiCouponSchema>;
export type SmaregiCouponItem = z.output<typeof SmaregiCouponItemSchema>;
export type SmaregiStock = z.output<typeof SmaregiStockSchema>;

/** A row that did not validate: where it was, and why, in words a manager can act on. */
export interface RowProblem {
  resource: string;
  /** 0-based position in the answer. */
  index: number;
  /** The row's id when it had one (e.g. `couponId "12"`). */
  key: string | null;
  message: string;
}

export function describeProblem(p: RowProblem): string {
  return `${p.resource} row ${p.index + 1}${p.key ? ` (${p.key})` : ''}: ${p.message}`;
}

/**
 * Validates each row on its own: good rows are kept, each bad one becomes a `RowProblem` naming it
 * (resource, position, id field) and its fields' errors. One bad row never sinks the others.
 */
export function parseRows<S extends z.ZodType>(
  schema: S,
  rows: unknown,
  resource: string,
  keyField: string,
): { rows: Array<z.output<S>>; problems: RowProblem[] } {
  if (!Array.isArray(rows)) return { rows: [], problems: [{ resource, index: 0, key: null, message: 'the answer is not a list' }] };
  const ok: Array<z.output<S>> = [];
  const problems: RowProblem[] = [];
  rows.forEach((row, index) => {
    const keyValue = row && typeof row === 'object' ? (row as Record<string, unknown>)[keyField] : undefined;
    const key = typeof keyValue === 'string' || typeof keyValue === 'number' ? `${keyField} "${keyValue}"` : null;
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      problems.push({ resource, index, key: null, message: 'not an object' });
      return;
    }
    const r = schema.safeParse(row);
    if (r.success) ok.push(r.data);
    else problems.push({ resource, index, key, message: r.error.issues.map((i) => `${i.path.join('.') || 'row'} ${i.message}`).join('; ') });
  });
  return { rows: ok, problems };
}
