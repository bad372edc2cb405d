import type { Benefit } from '../../shared/contract/register';
import { percentOf, wireNumber, yen } from './amount';
import type { ProductLookup } from './target';
import type { CouponRecord, Rounding } from './types';

/**
 * The coupon's benefit for a basket amount, by `awardType`:
 * - "1" 値引: awardValue yen off, never more than the amount;
 * - "2" 割引: awardValue percent of the amount, rounded to whole yen with the store's rounding
 *   (floor unless settings say otherwise), never more than the amount;
 * - "3" 商品付与: the granted products (items of type "2", division "2" = product) are given "at
 *   their price": each is added to the sale at its regular price (the cached product's `price`),
 *   and the discount is that price less the item's `salesPrice` — what the coupon sells the
 *   product for (usually 0; none given = 0), never below 0. So the free items' lines are paid by
 *   the discount and the totals balance; the discount is bounded by their value, not by the amount.
 *   A granted product missing from the catalog has no known regular price: it is added at its
 *   `salesPrice` and adds nothing to the discount. Granted items naming a category or group code
 *   cannot be handed over as one product and are left out.
 */
export function computeBenefit(coupon: CouponRecord, amount: number, rounding: Rounding, productById: ProductLookup): Benefit {
  const base = Math.max(0, amount);
  if (coupon.awardType === '1') {
    const off = Math.max(0, Math.floor(wireNumber(coupon.awardValue) ?? 0));
    return { awardType: '1', awardValue: coupon.awardValue, discountYen: Math.min(off, base), freeItems: [] };
  }
  if (coupon.awardType === '2') {
    return { awardType: '2', awardValue: coupon.awardValue, discountYen: Math.min(percentOf(base, coupon.awardValue, rounding), base), freeItems: [] };
  }
  const freeItems: Benefit['freeItems'] = [];
  let discountYen = 0;
  for (const i of coupon.items) {
    if (i.type !== '2' || i.division !== '2') continue;
    const product = productById(i.itemId);
    const soldAt = Math.max(0, yen(i.salesPrice));
    const price = product ? Math.max(0, yen(product.price)) : soldAt;
    discountYen += Math.max(0, price - soldAt);
    freeItems.push({ productId: i.itemId, name: product?.productName ?? `商品 ${i.itemId}`, price });
  }
  return { awardType: '3', awardValue: coupon.awardValue, discountYen, freeItems };
}
