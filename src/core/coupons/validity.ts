import { couponWindow } from './dates';
import type { CouponRecord } from './types';

/**
 * Is the coupon usable at `now` (Japan time)? A coupon valid "to 2026-03-31" is valid all that JST
 * day; see `couponWindow` for date-times. Returns the refusal, or null when valid.
 */
export function checkValidity(coupon: Pick<CouponRecord, 'startDate' | 'endDate'>, now: Date): 'coupon_not_started' | 'coupon_expired' | null {
  const { fromMs, untilMs } = couponWindow(coupon);
  const t = now.getTime();
  if (fromMs !== null && t < fromMs) return 'coupon_not_started';
  if (untilMs !== null && t >= untilMs) return 'coupon_expired';
  return null;
}
