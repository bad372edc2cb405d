import type { Basket } from '../../shared/contract/register';

/*
 * The one basket rule. What the cashier entered (scanned items, a typed amount, or both) becomes
 * the lines the sale records and the amount the coupon rules check and discount. Evaluate and the
 * sale both take their amount and lines from here, so the discount shown is the discount recorded.
 */

export interface SaleLine {
  productId: string;
  productCode: string;
  name: string;
  /** Unit price in yen. */
  price: number;
  quantity: number;
}

/** The product the typed part of an amount is sold as (settings.register.giftSaleProductCode). */
export interface GiftSaleProduct {
  productId: string;
  productCode: string;
  name: string;
}

export interface SaleBasket {
  /** The purchased lines (free items of a coupon are added by the sale plan). */
  lines: SaleLine[];
  /** Σ lines: the amount the coupon rules check and the benefit is computed on. */
  amount: number;
}

export type BasketProblem =
  /** An amount was typed that is less than the scanned items: the items cannot be sold for it. */
  | { problem: 'amount_below_items'; amount: number; itemsTotal: number }
  /** Part of the amount must be sold as the gift-sale product, and the catalog has none with that code. */
  | { problem: 'no_gift_sale_product'; productCode: string; uncovered: number };

export type BasketResult = ({ ok: true } & SaleBasket) | ({ ok: false } & BasketProblem);

/**
 * - items only → the items; the amount is their total;
 * - an amount typed → the amount is the sale total: the items, and what the amount exceeds them
 *   by as one line of the gift-sale product (with no items that line is the whole amount);
 * - an amount below the items' total → refused (a sale cannot sell the items for less).
 * The gift-sale product comes from the cached catalog; without it such a sale could never be
 * delivered to Smaregi, so it is refused here, before anything is consumed.
 */
export function resolveBasket(basket: Basket, giftSale: { productCode: string; product: GiftSaleProduct | null }): BasketResult {
  const lines: SaleLine[] = basket.items.map((i) => ({
    productId: i.productId,
    productCode: i.productCode,
    name: i.name,
    price: i.price,
    quantity: i.quantity,
  }));
  const itemsTotal = lines.reduce((s, l) => s + l.price * l.quantity, 0);
  if (basket.amount === null) return { ok: true, lines, amount: itemsTotal };
  const uncovered = basket.amount - itemsTotal;
  if (uncovered < 0) return { ok: false, problem: 'amount_below_items', amount: basket.amount, itemsTotal };
  if (uncovered > 0) {
    const p = giftSale.product;
    if (!p) return { ok: false, problem: 'no_gift_sale_product', productCode: giftSale.productCode, uncovered };
    lines.push({ productId: p.productId, productCode: p.productCode, name: p.name, price: uncovered, quantity: 1 });
  }
  return { ok: true, lines, amount: basket.amount };
}

const yen = (n: number) => n.toLocaleString('en-US');

/** The cashier-facing text of a basket problem (Japanese / English), saying what to do. */
export function basketProblemMessage(p: BasketProblem): string {
  if (p.problem === 'amount_below_items') {
    return (
      `入力金額 ${yen(p.amount)}円 がスキャンした商品の合計 ${yen(p.itemsTotal)}円 より少なくなっています。` +
      `金額を商品の合計以上にするか、金額を空欄にしてください（券は消費されていません） / ` +
      `The typed amount (${yen(p.amount)} yen) is less than the scanned items (${yen(p.itemsTotal)} yen): ` +
      `type at least the items' total, or clear the amount. The ticket was not used.`
    );
  }
  return (
    `金額入力分 ${yen(p.uncovered)}円 はスマレジの商品コード ${p.productCode} の商品として売上に記録しますが、その商品がスマレジの商品マスタにありません。` +
    `スマレジにコード ${p.productCode} の商品（例:「ギフト券ご利用（金額入力）」価格0円）を登録して商品マスタを更新するか、商品をスキャンしてください（券は消費されていません） / ` +
    `The typed amount (${yen(p.uncovered)} yen not covered by scanned items) is sold as the Smaregi product with code ${p.productCode}, ` +
    `which is not in the Smaregi catalog: register a product with code ${p.productCode} in Smaregi (then refresh the catalog), ` +
    `or scan the products. The ticket was not used.`
  );
}
