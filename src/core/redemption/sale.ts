import type { Benefit } from '../../shared/contract/register';
import type { SaleBasket, SaleLine } from './basket';

/*
 * The sale a redemption records, as pure functions: which lines, what discount, and the Smaregi
 * POST /transactions body queued for it. Smaregi's rules kept here: subtotal = Σ line totals,
 * total = subtotal − couponDiscount, every number a string.
 */

export type { SaleLine, GiftSaleProduct } from './basket';

export interface SalePlan {
  couponId: string;
  couponName: string;
  lines: SaleLine[];
  subtotal: number;
  discount: number;
  total: number;
  /** The amount the coupon rules were checked against (the basket's sale total, free items excluded). */
  basketAmount: number;
}

export type PlanProblem = 'nothing_to_sell';

/**
 * Lines: the basket's lines (`resolveBasket`: the items, and the typed amount's uncovered part as
 * the gift-sale product), then the coupon's free items (商品付与) at their regular price, which the
 * coupon discount pays (less what the coupon sells them for). The discount is the benefit: the
 * basket rule keeps an amount / percent discount within the basket amount, and a free item's
 * within its own line, so it never exceeds the subtotal (capped anyway, as Smaregi requires).
 */
export function buildSalePlan(input: {
  basket: SaleBasket;
  benefit: Benefit;
  coupon: { couponId: string; couponName: string };
}): { ok: true; plan: SalePlan } | { ok: false; problem: PlanProblem } {
  const lines: SaleLine[] = input.basket.lines.map((l) => ({ ...l }));
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
      basketAmount: input.basket.amount,
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
