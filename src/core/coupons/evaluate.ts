import type { Benefit, ReasonCode } from '../../shared/contract/register';
import { basketAmount, checkAmountLimits, type BasketLike } from './amount';
import { computeBenefit } from './benefit';
import { matchGiftee } from './match';
import { hasTargetItem, type ProductLookup } from './target';
import type { CouponRecord, Rounding } from './types';
import { checkValidity } from './validity';

/** Refusals the coupon rules can give (the giftee and scan ones come from elsewhere). */
export type CouponReason = Extract<
  ReasonCode,
  'unknown_prefix' | 'not_giftee_coupon' | 'coupon_not_started' | 'coupon_expired' | 'no_target_item' | 'below_min_amount' | 'above_max_amount'
>;

/**
 * The fixed order of checks. A coupon failing a later check got further, so when several giftee
 * coupons share the prefix and none passes, the one that got furthest names the refusal.
 */
export const CHECK_ORDER: readonly CouponReason[] = [
  'unknown_prefix',
  'not_giftee_coupon',
  'coupon_not_started',
  'coupon_expired',
  'no_target_item',
  'below_min_amount',
  'above_max_amount',
];

export interface EvaluateInput {
  /** The 7-digit ticket-type prefix of the giftee code. */
  prefix: string;
  /** Coupons with that serial number (`catalog.couponsBySerial(prefix)`); others are ignored. */
  coupons: readonly CouponRecord[];
  basket: BasketLike;
  now: Date;
  rounding: Rounding;
  productById: ProductLookup;
}

export type CouponVerdict =
  | { ok: true; coupon: CouponRecord; benefit: Benefit; amount: number }
  | { ok: false; reason: CouponReason; coupon: CouponRecord | null };

/** The rules for one giftee coupon, in CHECK_ORDER after matching. */
export function evaluateOne(
  coupon: CouponRecord,
  input: Pick<EvaluateInput, 'basket' | 'now' | 'rounding' | 'productById'>,
): CouponVerdict {
  const validity = checkValidity(coupon, input.now);
  if (validity) return { ok: false, reason: validity, coupon };
  if (!hasTargetItem(coupon, input.basket.items ?? [], input.productById)) return { ok: false, reason: 'no_target_item', coupon };
  const amount = basketAmount(input.basket);
  const limit = checkAmountLimits(coupon, amount);
  if (limit) return { ok: false, reason: limit, coupon };
  return { ok: true, coupon, amount, benefit: computeBenefit(coupon, amount, input.rounding, input.productById) };
}

/**
 * Can the giftee ticket with this prefix be redeemed on this basket? Checks, in this order:
 * 1. a coupon has the prefix as serial number (`unknown_prefix`), 2. one of them is giftee
 * (`not_giftee_coupon`), 3. valid from (`coupon_not_started`), 4. valid to (`coupon_expired`),
 * 5. 指定商品 target in the basket (`no_target_item`), 6. minimum (`below_min_amount`),
 * 7. maximum (`above_max_amount`); then the benefit. With several giftee coupons for the prefix the
 * newest that passes wins; if none passes, the refusal of the one that got furthest (newest on a tie).
 */
export function evaluateCoupon(input: EvaluateInput): CouponVerdict {
  const match = matchGiftee(input.prefix, input.coupons);
  if (!match.ok) return match;
  let best: CouponVerdict | null = null;
  for (const coupon of match.candidates) {
    const v = evaluateOne(coupon, input);
    if (v.ok) return v;
    if (!best || (!best.ok && CHECK_ORDER.indexOf(v.reason) > CHECK_ORDER.indexOf(best.reason))) best = v;
  }
  return best!;
}
