import type { BasketItem, CouponView } from '../../shared/contract/register';
import { yen } from './amount';
import type { CouponRecord, ProductRecord } from './types';

/** The contract's `CouponView` of a cached coupon (what the register screen shows). */
export function toCouponView(c: CouponRecord): CouponView {
  return {
    couponId: c.couponId,
    couponName: c.couponName,
    couponDivision: c.couponDivision,
    serialNumber: c.serialNumber,
    summary: c.summary,
    awardType: c.awardType,
    awardValue: c.awardValue,
    startDate: c.startDate,
    endDate: c.endDate,
    minTargetPrice: c.minTargetPrice,
    maxTargetPrice: c.maxTargetPrice,
  };
}

/** A cached product as a basket line without quantity (`catalog.lookupProduct`); price in whole yen, never negative. */
export function toBasketProduct(p: ProductRecord): Omit<BasketItem, 'quantity'> {
  return { productId: p.productId, productCode: p.productCode, name: p.productName, price: Math.max(0, yen(p.price)) };
}
