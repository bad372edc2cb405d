/** Coupon rules: pure functions over cached Smaregi coupons and products (no I/O). */
export * from './types';
export { parseCouponDate, couponWindow, jstDayStart } from './dates';
export { basketAmount, checkAmountLimits, divideRounded, percentOf, wireNumber, yen, type BasketLike } from './amount';
export { matchGiftee, type GifteeMatch } from './match';
export { checkValidity } from './validity';
export { hasTargetItem, type ProductLookup } from './target';
export { computeBenefit } from './benefit';
export { evaluateCoupon, evaluateOne, CHECK_ORDER, type CouponReason, type CouponVerdict, type EvaluateInput } from './evaluate';
export { toCouponView, toBasketProduct } from './view';
