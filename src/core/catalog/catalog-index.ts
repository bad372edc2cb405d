import type { CouponRecord, ProductRecord, StoreRecord } from '../coupons/types';
import type { CatalogRecords } from './store';

/**
 * The catalog in memory, keyed for O(1) lookups at scan time. Built whole from records (at start
 * from SQLite, after a refresh from what was fetched) and swapped in one assignment, so a lookup
 * never sees half of two catalogs. Records are shared, not copied: treat them as read-only.
 */
export interface CatalogIndex {
  /** Several coupons may share a serial (a 通常 and a giftee one, an old and a new one). */
  couponsBySerial: Map<string, CouponRecord[]>;
  couponsById: Map<string, CouponRecord>;
  productsById: Map<string, ProductRecord>;
  /** productCode (JAN) → product; when two products share a code, the lower productId wins. */
  productsByCode: Map<string, ProductRecord>;
  stores: StoreRecord[];
  counts: { coupons: number; products: number };
}

function lowerId(a: string, b: string): boolean {
  return a.length !== b.length ? a.length < b.length : a < b;
}

export function buildCatalogIndex(records: CatalogRecords): CatalogIndex {
  const couponsBySerial = new Map<string, CouponRecord[]>();
  const couponsById = new Map<string, CouponRecord>();
  for (const c of records.coupons) {
    couponsById.set(c.couponId, c);
    const list = couponsBySerial.get(c.serialNumber);
    if (list) list.push(c);
    else couponsBySerial.set(c.serialNumber, [c]);
  }
  const productsById = new Map<string, ProductRecord>();
  const productsByCode = new Map<string, ProductRecord>();
  for (const p of records.products) {
    productsById.set(p.productId, p);
    const seen = productsByCode.get(p.productCode);
    if (!seen || lowerId(p.productId, seen.productId)) productsByCode.set(p.productCode, p);
  }
  return {
    couponsBySerial,
    couponsById,
    productsById,
    productsByCode,
    stores: records.stores ?? [],
    counts: { coupons: couponsById.size, products: productsById.size },
  };
}

export const EMPTY_INDEX: CatalogIndex = buildCatalogIndex({ coupons: [], products: [] });
