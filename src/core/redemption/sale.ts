import type { Basket, Benefit } from '../../shared/contract/register';

/*
 * The sale a redemption records, as pure functions: which lines, what discount, and the Smaregi
 * POST /transactions body queued for it. Smaregi's rules kept here: subtotal = Σ line totals,
 * total = subtotal − couponDiscount, every number a string.
 */

export interface SaleLine {
  productId: string;
  productCode: string;
  name: string;
  /** Unit price in yen. */
  price: number;
  quantity: number;
}

export interface SalePlan {
  couponId: string;
  couponName: string;
  lines: SaleLine[];
  subtotal: number;
  discount: number;
  total: number;
  /** The amount the coupon rules were checked against (typed amount, else Σ items). */
  basketAmount: number;
}

/** The product an amount-only basket is sold as (see docs/redemption.md). */
export interface GiftSaleProduct {
  productId: string;
  productCode: string;
  name: string;
}

export const GIFT_SALE_LINE_NAME = 'ギフト券ご利用（金額入力）';

export type PlanProblem = 'nothing_to_sell';

/**
 * Lines: the scanned items; with no items, one line for the typed amount (sold as the store's
 * gift-sale product, or an unnamed line when the store has none); then the coupon's free items
 * (商品付与), which are part of the sale and paid for by the coupon. The discount never exceeds
 * the subtotal.
 */
export function buildSalePlan(input: {
  basket: Basket;
  basketAmount: number;
  benefit: Benefit;
  coupon: { couponId: string; couponName: string };
  giftSaleProduct: GiftSaleProduct | null;
}): { ok: true; plan: SalePlan } | { ok: false; problem: PlanProblem } {
  const lines: SaleLine[] = input.basket.items.map((i) => ({
    productId: i.productId,
    productCode: i.productCode,
    name: i.name,
    price: i.price,
    quantity: i.quantity,
  }));
  if (lines.length === 0 && input.basket.amount !== null && input.basket.amount > 0) {
    const p = input.giftSaleProduct;
    lines.push({ productId: p?.productId ?? '', productCode: p?.productCode ?? '', name: p?.name ?? GIFT_SALE_LINE_NAME, price: input.basket.amount, quantity: 1 });
  }
  for (const f of input.benefit.freeItems) {
    lines.push({ productId: f.productId, productCode: '', name: f.name, price: f.price, quantity: 1 });
  }
  if (lines.length === 0) return { ok: false, problem: 'nothing_to_sell' };
  const subtotal = lines.reduce((s, l) => s + l.price * l.quantity, 0);
  const discount = Math.max(0, Math.min(input.benefit.discountYen, subtotal));
  return {
    ok: true,
    plan: {
      couponId: input.coupon.couponId,
      couponName: input.coupon.couponName,
      lines,
      subtotal,
      discount,
      total: subtotal - discount,
      basketAmount: input.basketAmount,
    },
  };
}

export interface TransactionLookup {
  storeId: string;
  terminalId: string;
  terminalTranId: string;
  terminalTranDateTime: string;
}

/** Smaregi POST /transactions body for a recorded sale (numbers as strings, as the API wants them). */
export function smaregiTransactionBody(plan: SalePlan, lookup: TransactionLookup, memo: string): Record<string, unknown> {
  return {
    transactionHeadDivision: '1',
    subtotal: String(plan.subtotal),
    couponDiscount: String(plan.discount),
    total: String(plan.total),
    storeId: lookup.storeId,
    terminalId: lookup.terminalId,
    terminalTranId: lookup.terminalTranId,
    terminalTranDateTime: lookup.terminalTranDateTime,
    details: plan.lines.map((l, i) => ({
      transactionDetailId: String(i + 1),
      transactionDetailDivision: '1',
      productId: l.productId,
      salesPrice: String(l.price),
      quantity: String(l.quantity),
    })),
    coupons: [{ couponId: plan.couponId, discountPrice: String(plan.discount) }],
    memo: memo.slice(0, 1000),
  };
}
