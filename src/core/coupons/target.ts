import type { CouponRecord, ProductRecord } from './types';

export type ProductLookup = (productId: string) => ProductRecord | null;

/**
 * 指定商品 (applyConditionDivision "1"): does a basket item match one of the coupon's condition
 * items (type "1") — by product id (division "2"), category id ("1") or group code ("3")? Category
 * and group code come from the cached product; an item not in the catalog matches by id only.
 * Coupons without the condition always pass.
 */
export function hasTargetItem(
  coupon: Pick<CouponRecord, 'applyConditionDivision' | 'items'>,
  items: ReadonlyArray<{ productId: string }>,
  productById: ProductLookup,
): boolean {
  if (coupon.applyConditionDivision !== '1') return true;
  const products = new Set<string>();
  const categories = new Set<string>();
  const groups = new Set<string>();
  for (const i of coupon.items) {
    if (i.type !== '1') continue;
    (i.division === '2' ? products : i.division === '1' ? categories : groups).add(i.itemId);
  }
  for (const item of items) {
    if (products.has(item.productId)) return true;
    if (categories.size === 0 && groups.size === 0) continue;
    const p = productById(item.productId);
    if (p?.categoryId && categories.has(p.categoryId)) return true;
    if (p?.groupCode && groups.has(p.groupCode)) return true;
  }
  return false;
}
