/**
 * The catalog's records: Smaregi's own field names, numbers kept as the strings Smaregi sends.
 * Built by the Smaregi read schemas (channels/smaregi/schemas.ts), cached by the catalog, read by
 * the coupon rules. Unknown wire fields are dropped; optional ones are null when absent or empty.
 */

/** A coupon item (`GET /coupons/{id}/products`). */
export interface CouponItemRecord {
  couponProductId: string | null;
  /** "1" category (部門), "2" product, "3" group code. */
  division: '1' | '2' | '3';
  /** categoryId, productId or group code, depending on `division`. */
  itemId: string;
  /** "1" condition (適用条件の対象商品), "2" granted (商品付与の対象商品). */
  type: '1' | '2';
  /** Price of a granted product; null when not given. */
  salesPrice: string | null;
}

export interface CouponRecord {
  couponId: string;
  couponName: string;
  /** "0" 通常, "1" giftee (other digit strings are kept, and are not giftee). */
  couponDivision: string;
  /** The code typed at the register; for giftee the 7-digit ticket-type prefix. */
  serialNumber: string;
  summary: string | null;
  /** "1" 値引 amount off, "2" 割引 percent off, "3" 商品付与 free item. */
  awardType: '1' | '2' | '3';
  /** Yen for "1", percent for "2", "0" for "3" when Smaregi sends none. */
  awardValue: string;
  /** "0" 条件なし, "1" 指定商品 (a condition item must be in the basket). */
  applyConditionDivision: '0' | '1';
  minTargetPrice: string | null;
  maxTargetPrice: string | null;
  /** `YYYY-MM-DD` (a JST calendar day) or an ISO date-time. */
  startDate: string | null;
  endDate: string | null;
  updDateTime: string | null;
  items: CouponItemRecord[];
}

export interface ProductRecord {
  productId: string;
  /** Shop-defined code, usually the JAN printed on the item: what the scanner reads. */
  productCode: string;
  productName: string;
  /** Unit price in yen as Smaregi sends it (tax-inclusive for a tax-inclusive store). */
  price: string;
  categoryId: string | null;
  groupCode: string | null;
  updDateTime: string | null;
}

export interface StoreRecord {
  storeId: string;
  storeCode: string | null;
  storeName: string;
  division: string | null;
  updDateTime: string | null;
}

export interface StockRecord {
  storeId: string;
  productId: string;
  stockAmount: string;
  layawayStockAmount: string | null;
  updDateTime: string | null;
}

/** Yen rounding for percent discounts (settings.register.rounding). */
export type Rounding = 'floor' | 'round' | 'ceil';

export const GIFTEE_DIVISION = '1';
