import { GIFTEE_DIVISION, type CouponRecord } from './types';

export type GifteeMatch =
  | { ok: true; coupon: CouponRecord; candidates: CouponRecord[] }
  | { ok: false; reason: 'unknown_prefix' | 'not_giftee_coupon'; coupon: CouponRecord | null };

/** Newest first: a higher couponId was registered later (numeric ids compared as numbers). */
function newestFirst(a: CouponRecord, b: CouponRecord): number {
  if (a.couponId.length !== b.couponId.length) return b.couponId.length - a.couponId.length;
  return a.couponId < b.couponId ? 1 : a.couponId > b.couponId ? -1 : 0;
}

/**
 * A giftee ticket's prefix names the coupon whose `serialNumber` equals it and whose
 * `couponDivision` is giftee ("1"). Several coupons may share a serial (a 通常 one and a giftee one,
 * or an old and a new giftee one): every giftee one is a candidate, newest first.
 * - no coupon with that serial → `unknown_prefix`
 * - only 通常 (or other non-giftee) coupons → `not_giftee_coupon`
 */
export function matchGiftee(prefix: string, coupons: readonly CouponRecord[]): GifteeMatch {
  const withSerial = coupons.filter((c) => c.serialNumber === prefix);
  if (withSerial.length === 0) return { ok: false, reason: 'unknown_prefix', coupon: null };
  const giftee = withSerial.filter((c) => c.couponDivision === GIFTEE_DIVISION).sort(newestFirst);
  if (giftee.length === 0) return { ok: false, reason: 'not_giftee_coupon', coupon: [...withSerial].sort(newestFirst)[0] };
  return { ok: true, coupon: giftee[0], candidates: giftee };
}
