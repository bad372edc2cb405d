import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBenefit } from '../../src/core/coupons';
import { basketProblemMessage, buildSalePlan, resolveBasket, smaregiTransactionBody, type SaleBasket } from '../../src/core/redemption';
import type { Basket, Benefit } from '../../src/shared/contract/register';
import { coupon as couponRecord, item as couponItem, productById } from '../coupons/fixtures';

const coupon = { couponId: '101', couponName: 'giftee 500円OFF' };
const amountOff = (yen: number): Benefit => ({ awardType: '1', awardValue: String(yen), discountYen: yen, freeItems: [] });
const giftSale = { productId: '1099', productCode: 'GIFTEE-SALE', name: 'ギフト券ご利用' };
const withGiftSale = { productCode: 'GIFTEE-SALE', product: giftSale };
const withoutGiftSale = { productCode: 'GIFTEE-SALE', product: null };
const lookup = { storeId: '1', terminalId: '1', terminalTranId: '42', terminalTranDateTime: '2030-01-02T10:00:00+09:00' };
const box = { productId: '1012', productCode: '4573580001126', name: 'ギフトボックス（小）', price: 333, quantity: 1 };
const coffee = { productId: '1001', productCode: '4573580001010', name: 'コーヒー', price: 1280, quantity: 2 };

function sale(basket: Basket): SaleBasket {
  const r = resolveBasket(basket, withGiftSale);
  if (!r.ok) throw new Error(`basket: ${r.problem}`);
  return r;
}

describe('the basket rule (resolveBasket): what is sold, for how much', () => {
  it('items only: the items, for their total', () => {
    expect(resolveBasket({ items: [coffee], amount: null }, withoutGiftSale)).toEqual({ ok: true, lines: [coffee], amount: 2560 });
  });

  it('an amount only: one line of the gift-sale product for the whole amount', () => {
    expect(resolveBasket({ items: [], amount: 1500 }, withGiftSale)).toEqual({
      ok: true,
      lines: [{ productId: '1099', productCode: 'GIFTEE-SALE', name: 'ギフト券ご利用', price: 1500, quantity: 1 }],
      amount: 1500,
    });
  });

  it('an amount above the items: the amount is the sale total, the difference sold as the gift-sale product', () => {
    expect(resolveBasket({ items: [box], amount: 5000 }, withGiftSale)).toEqual({
      ok: true,
      lines: [box, { productId: '1099', productCode: 'GIFTEE-SALE', name: 'ギフト券ご利用', price: 4667, quantity: 1 }],
      amount: 5000,
    });
  });

  it('an amount equal to the items: just the items', () => {
    expect(resolveBasket({ items: [coffee], amount: 2560 }, withoutGiftSale)).toEqual({ ok: true, lines: [coffee], amount: 2560 });
  });

  it('an amount below the items is refused, saying both sums and what to do', () => {
    const r = resolveBasket({ items: [coffee], amount: 2000 }, withGiftSale);
    expect(r).toEqual({ ok: false, problem: 'amount_below_items', amount: 2000, itemsTotal: 2560 });
    if (r.ok) return;
    const text = basketProblemMessage(r);
    expect(text).toContain('2,000');
    expect(text).toContain('2,560');
    expect(text).toMatch(/clear the amount/);
  });

  it('a typed amount not covered by items needs the gift-sale product: refused without it, naming the code', () => {
    for (const basket of [
      { items: [], amount: 1500 },
      { items: [box], amount: 5000 },
    ]) {
      const r = resolveBasket(basket, { productCode: 'MY-GIFT', product: null });
      expect(r).toMatchObject({ ok: false, problem: 'no_gift_sale_product', productCode: 'MY-GIFT' });
      if (!r.ok) expect(basketProblemMessage(r)).toMatch(/register a product with code MY-GIFT in Smaregi.*or scan the products/);
    }
  });

  it('nothing entered is an empty basket (redeem refuses it as nothing to sell)', () => {
    expect(resolveBasket({ items: [], amount: null }, withoutGiftSale)).toEqual({ ok: true, lines: [], amount: 0 });
    expect(resolveBasket({ items: [], amount: 0 }, withoutGiftSale)).toEqual({ ok: true, lines: [], amount: 0 });
  });
});

describe('the sale a redemption records', () => {
  it('an amount-only basket is one line of the gift-sale product', () => {
    const r = buildSalePlan({ basket: sale({ items: [], amount: 1500 }), benefit: amountOff(500), coupon });
    expect(r).toEqual({
      ok: true,
      plan: {
        ...coupon,
        lines: [{ productId: '1099', productCode: 'GIFTEE-SALE', name: 'ギフト券ご利用', price: 1500, quantity: 1 }],
        subtotal: 1500,
        discount: 500,
        total: 1000,
        basketAmount: 1500,
      },
    });
  });

  it('scanned items are the lines; free items are added at their regular price and paid for by the coupon', () => {
    const r = buildSalePlan({
      basket: sale({ items: [coffee], amount: null }),
      benefit: { awardType: '3', awardValue: '0', discountYen: 980, freeItems: [{ productId: '1002', name: 'ドリップバッグ', price: 980 }] },
      coupon,
    });
    if (!r.ok) throw new Error('plan');
    expect(r.plan.lines.map((l) => [l.productId, l.price, l.quantity])).toEqual([
      ['1001', 1280, 2],
      ['1002', 980, 1],
    ]);
    expect(r.plan).toMatchObject({ subtotal: 3540, discount: 980, total: 2560, basketAmount: 2560 });
  });

  it('nothing to sell is a problem, not a zero-yen sale', () => {
    expect(buildSalePlan({ basket: sale({ items: [], amount: null }), benefit: amountOff(500), coupon })).toEqual({ ok: false, problem: 'nothing_to_sell' });
    expect(buildSalePlan({ basket: sale({ items: [], amount: 0 }), benefit: amountOff(500), coupon }).ok).toBe(false);
  });

  it('the discount shown is the discount recorded, for every coupon and basket; Smaregi’s totals always balance', () => {
    const itemArb = fc.record({
      productId: fc.constantFrom('100', '101', '200', '300'),
      productCode: fc.constant('x'),
      name: fc.string(),
      price: fc.integer({ min: 0, max: 100_000 }),
      quantity: fc.integer({ min: 1, max: 99 }),
    });
    const couponArb = fc.oneof(
      fc.integer({ min: 0, max: 200_000 }).map((v) => couponRecord({ awardType: '1', awardValue: String(v) })),
      fc.integer({ min: 0, max: 150 }).map((v) => couponRecord({ awardType: '2', awardValue: String(v) })),
      fc
        .array(fc.tuple(fc.constantFrom('100', '101', '200', '300', '999'), fc.option(fc.integer({ min: 0, max: 3_000 }))), { maxLength: 3 })
        .map((granted) => couponRecord({ awardType: '3', awardValue: '0', items: granted.map(([id, p]) => couponItem({ type: '2', itemId: id, salesPrice: p === null ? null : String(p) })) })),
    );
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 6 }), fc.option(fc.integer({ min: 0, max: 2_000_000 })), couponArb, (items, amount, c) => {
        const basket = resolveBasket({ items, amount }, withGiftSale);
        const itemsTotal = items.reduce((s, i) => s + i.price * i.quantity, 0);
        if (!basket.ok) {
          expect(amount !== null && amount < itemsTotal).toBe(true);
          return;
        }
        // What evaluate shows: the coupon's benefit on the basket rule's amount.
        const benefit = computeBenefit(c, basket.amount, 'floor', productById);
        const r = buildSalePlan({ basket, benefit, coupon });
        if (!r.ok) {
          expect(basket.lines.length + benefit.freeItems.length).toBe(0);
          return;
        }
        const { plan } = r;
        expect(plan.discount).toBe(benefit.discountYen);
        expect(plan.basketAmount).toBe(amount ?? itemsTotal);
        expect(basket.lines.reduce((s, l) => s + l.price * l.quantity, 0)).toBe(basket.amount);
        expect(plan.subtotal).toBe(plan.lines.reduce((s, l) => s + l.price * l.quantity, 0));
        expect(plan.total).toBe(plan.subtotal - plan.discount);
        expect(plan.total).toBeGreaterThanOrEqual(0);
        const body = smaregiTransactionBody(plan, lookup, 'memo');
        const details = body.details as Array<{ salesPrice: string; quantity: string }>;
        expect(Number(body.subtotal)).toBe(details.reduce((s, d) => s + Number(d.salesPrice) * Number(d.quantity), 0));
        expect(Number(body.total)).toBe(Number(body.subtotal) - Number(body.couponDiscount));
        expect(body.coupons).toEqual([{ couponId: '101', discountPrice: String(benefit.discountYen) }]);
      }),
      { numRuns: 300 },
    );
  });

  it('the Smaregi transaction body: numbers as strings, numbered details, the coupon, the lookup', () => {
    const r = buildSalePlan({ basket: sale({ items: [], amount: 1500 }), benefit: amountOff(500), coupon });
    if (!r.ok) throw new Error('plan');
    expect(smaregiTransactionBody(r.plan, lookup, 'm'.repeat(2000))).toEqual({
      transactionHeadDivision: '1',
      subtotal: '1500',
      couponDiscount: '500',
      total: '1000',
      storeId: '1',
      terminalId: '1',
      terminalTranId: '42',
      terminalTranDateTime: '2030-01-02T10:00:00+09:00',
      details: [{ transactionDetailId: '1', transactionDetailDivision: '1', productId: '1099', salesPrice: '1500', quantity: '1' }],
      coupons: [{ couponId: '101', discountPrice: '500' }],
      memo: 'm'.repeat(1000),
    });
  });
});
