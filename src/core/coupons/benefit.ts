import type { Benefit } from '../../shared/contract/register';
import { percentOf, wireNumber, yen } from './amount';
import type { ProductLookup } from './target';
import type { CouponRecord, Rounding } from './types';

/**
 * The coupon's benefit for a basket amount, by `awardType`:
 * - "1" 値引: awardValue yen off, never more than the amount;
 * - "2" 割引: awardValue percent of the amount, rounded to whole yen with the store's rounding
 *   (floor unless settings say otherwise), never more than the amount;
 * - "3" 商品付与: the granted products (items of type "2", division "2" = product) are given; the
 *   discount is their value — the item's `salesPrice`, else the cached product's price. The free
 *   items are added to the sale, so this discount is bounded by their value, not by the amount.
 *   Granted items naming a category or group code cannot be handed over as one product and are left out.
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
  for (const i of coupon.items) {
    if (i.type !== '2' || i.division !== '2') continue;
    const product = productById(i.itemId);
    const price = Math.max(0, i.salesPrice !== null && wireNumber(i.salesPrice) !== null ? yen(i.salesPrice) : yen(product?.price));
    freeItems.push({ productId: i.itemId, name: product?.productName ?? `商品 ${i.itemId}`, price });
  }
  return { awardType: '3', awardValue: coupon.awardValue, discountYen: freeItems.reduce((s, f) => s + f.price, 0), freeItems };
}
