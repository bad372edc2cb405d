import type { SimRoute } from '../framework/types';
import { api } from './auth';
import { Problem } from './problem';
import { applyList, fieldsParam, inWindow, parseListParams, pickFields, readWindow } from './query';
import type { CouponItemRow, CouponRow, SmaregiState } from './state';

/* Stores, products and coupons (read-only). */

const NOT_FOUND = '指定されたIDのリソースが見つかりません';

export function renderCoupon(c: CouponRow): Record<string, unknown> {
  const { usageCount: _usage, ...rest } = c;
  return rest;
}

function renderCouponItem(i: CouponItemRow): Record<string, unknown> {
  return { ...i };
}

const STORE_SORT = ['storeId', 'storeCode', 'storeName', 'division', 'insDateTime', 'updDateTime'] as const;
const PRODUCT_SORT = ['productId', 'productCode', 'productName', 'price', 'categoryId', 'insDateTime', 'updDateTime'] as const;
const COUPON_SORT = ['couponId', 'couponName', 'serialNumber', 'startDate', 'endDate', 'insDateTime', 'updDateTime'] as const;
const COUPON_ITEM_SORT = ['couponProductId', 'division', 'itemId', 'type'] as const;

export function catalogRoutes(): SimRoute<SmaregiState>[] {
  const stores = ['pos.stores:read'];
  const products = ['pos.products:read'];
  // The coupon scope is not confirmed; either of these is accepted (see docs/simulators.md).
  const coupons = ['pos.products:read', 'pos.coupons:read'];
  return [
    api('GET', '/stores', stores, (req, { state }) => {
      const p = parseListParams(req.query, STORE_SORT);
      return { status: 200, body: applyList(state.stores, p, ['storeId']).map((s) => pickFields(s, p.fields)) };
    }),
    api('GET', '/stores/:storeId', stores, (req, { state }) => {
      const s = state.stores.find((x) => x.storeId === req.params.storeId);
      if (!s) throw new Problem(404, NOT_FOUND);
      return { status: 200, body: pickFields(s, fieldsParam(req.query)) };
    }),
    api('GET', '/products', products, (req, { state }) => {
      const p = parseListParams(req.query, PRODUCT_SORT);
      const code = req.query.get('product_code');
      // The 31-day limit is documented for /transactions and /stock only.
      const w = readWindow(req.query, 'upd_date_time', 'updDateTime', false);
      const rows = state.products.filter((x) => (code === null || x.productCode === code) && inWindow(x, w));
      return { status: 200, body: applyList(rows, p, ['productId']).map((x) => pickFields(x, p.fields)) };
    }),
    api('GET', '/products/:productId', products, (req, { state }) => {
      const x = state.products.find((r) => r.productId === req.params.productId);
      if (!x) throw new Problem(404, NOT_FOUND);
      return { status: 200, body: pickFields(x, fieldsParam(req.query)) };
    }),
    api('GET', '/coupons', coupons, (req, { state }) => {
      const p = parseListParams(req.query, COUPON_SORT);
      return {
        status: 200,
        body: applyList(state.coupons, p, ['couponId']).map((c) => pickFields(renderCoupon(c), p.fields)),
      };
    }),
    api('GET', '/coupons/:couponId', coupons, (req, { state }) => {
      const c = state.coupons.find((r) => r.couponId === req.params.couponId);
      if (!c) throw new Problem(404, NOT_FOUND);
      return { status: 200, body: pickFields(renderCoupon(c), fieldsParam(req.query)) };
    }),
    api('GET', '/coupons/:couponId/products', coupons, (req, { state }) => {
      if (!state.coupons.some((r) => r.couponId === req.params.couponId)) throw new Problem(404, NOT_FOUND);
      const p = parseListParams(req.query, COUPON_ITEM_SORT);
      const rows = state.couponItems.filter((i) => i.couponId === req.params.couponId);
      return {
        status: 200,
        body: applyList(rows, p, ['couponProductId']).map((i) => pickFields(renderCouponItem(i), p.fields)),
      };
    }),
  ];
}
