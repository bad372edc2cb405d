import type { Rounding } from './types';

/** What the amount rules need of a basket (the contract's `Basket`). */
export interface BasketLike {
  items?: ReadonlyArray<{ productId: string; price: number; quantity: number }>;
  /** Typed by the cashier; when given it is the amount, otherwise the items' sum. */
  amount?: number | null;
}

/** The basket amount in yen: the typed amount if given, else Σ price × quantity. */
export function basketAmount(basket: BasketLike): number {
  if (basket.amount !== undefined && basket.amount !== null) return basket.amount;
  let sum = 0;
  for (const i of basket.items ?? []) sum += i.price * i.quantity;
  return sum;
}

/** A Smaregi number string as a number; null for null, empty or not a number. */
export function wireNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const t = value.trim();
  if (t === '' || !/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** Whole yen of a Smaregi price string (rounded half up; unreadable → 0). */
export function yen(value: string | null | undefined): number {
  const n = wireNumber(value);
  return n === null ? 0 : Math.round(n);
}

/** n / d rounded to an integer, exactly (integers only, d > 0, n ≥ 0, both within 2^53). */
export function divideRounded(n: number, d: number, rounding: Rounding): number {
  const q = (n - (n % d)) / d;
  const r = n % d;
  if (r === 0) return q;
  if (rounding === 'ceil') return q + 1;
  if (rounding === 'round') return 2 * r >= d ? q + 1 : q;
  return q;
}

/**
 * `amount × percent / 100` in whole yen with the store's rounding, computed in integers so that
 * e.g. 10 % of 1,234 yen is exactly 123.4 before rounding (no binary-float surprises).
 * A percent over 100 takes the whole amount.
 */
export function percentOf(amount: number, percent: string, rounding: Rounding): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(percent.trim());
  if (!m || amount <= 0) return 0;
  const fraction = (m[2] ?? '').slice(0, 4); // 4 decimals keep amount × scaled below 2^53
  const scale = 10 ** fraction.length;
  const scaled = Number(m[1]) * scale + (fraction ? Number(fraction) : 0);
  if (scaled >= 100 * scale) return amount;
  return divideRounded(amount * scaled, 100 * scale, rounding);
}

/**
 * 最低対象金額 / 最高対象金額: the manual says a transaction (取引) below the minimum, or above the
 * maximum, does not get the coupon — so both compare the basket amount (the whole transaction),
 * also for 指定商品 coupons. Null/empty limits do not apply.
 */
export function checkAmountLimits(
  coupon: { minTargetPrice: string | null; maxTargetPrice: string | null },
  amount: number,
): 'below_min_amount' | 'above_max_amount' | null {
  const min = wireNumber(coupon.minTargetPrice);
  const max = wireNumber(coupon.maxTargetPrice);
  if (min !== null && amount < min) return 'below_min_amount';
  if (max !== null && amount > max) return 'above_max_amount';
  return null;
}
