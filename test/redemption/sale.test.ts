import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSalePlan, smaregiTransactionBody } from '../../src/core/redemption';
import { GIFT_SALE_LINE_NAME } from '../../src/core/redemption/sale';
import type { Benefit } from '../../src/shared/contract/register';

const coupon = { couponId: '101', couponName: 'giftee 500円OFF' };
const amountOff = (yen: number): Benefit => ({ awardType: '1', awardValue: String(yen), discountYen: yen, freeItems: [] });
const giftSale = { productId: '1099', productCode: 'GIFTEE-SALE', name: 'ギフト券ご利用' };
const lookup = { storeId: '1', terminalId: '1', terminalTranId: '42', terminalTranDateTime: '2030-01-02T10:00:00+09:00' };

describe('the sale a redemption records', () => {
  it('an amount-only basket is one line of the gift-sale product', () => {
    const r = buildSalePlan({ basket: { items: [], amount: 1500 }, basketAmount: 1500, benefit: amountOff(500), coupon, giftSaleProduct: giftSale });
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

  it('without a gift-sale product the line is still recorded, unnamed by Smaregi', () => {
    const r = buildSalePlan({ basket: { items: [], amount: 800 }, basketAmount: 800, benefit: amountOff(500), coupon, giftSaleProduct: null });
    expect(r.ok && r.plan.lines).toEqual([{ productId: '', productCode: '', name: GIFT_SALE_LINE_NAME, price: 800, quantity: 1 }]);
  });

  it('scanned items are the lines; free items are added and paid for by the coupon', () => {
    const r = buildSalePlan({
      basket: { items: [{ productId: '1001', productCode: '457', name: 'コーヒー', price: 1280, quantity: 2 }], amount: null },
      basketAmount: 2560,
      benefit: { awardType: '3', awardValue: '0', discountYen: 980, freeItems: [{ productId: '1002', name: 'ドリップバッグ', price: 980 }] },
      coupon,
      giftSaleProduct: giftSale,
    });
    if (!r.ok) throw new Error('plan');
    expect(r.plan.lines.map((l) => [l.productId, l.price, l.quantity])).toEqual([
      ['1001', 1280, 2],
      ['1002', 980, 1],
    ]);
    expect(r.plan).toMatchObject({ subtotal: 3540, discount: 980, total: 2560 });
  });

  it('nothing to sell is a problem, not a zero-yen sale', () => {
    expect(buildSalePlan({ basket: { items: [], amount: null }, basketAmount: 0, benefit: amountOff(500), coupon, giftSaleProduct: giftSale })).toEqual({ ok: false, problem: 'nothing_to_sell' });
    expect(buildSalePlan({ basket: { items: [], amount: 0 }, basketAmount: 0, benefit: amountOff(500), coupon, giftSaleProduct: giftSale }).ok).toBe(false);
  });

  it('always keeps Smaregi’s rules: subtotal = Σ lines, 0 ≤ discount ≤ subtotal, total = subtotal − discount', () => {
    const item = fc.record({ productId: fc.stringMatching(/^[1-9]\d{0,5}$/), productCode: fc.constant('x'), name: fc.string(), price: fc.integer({ min: 0, max: 100_000 }), quantity: fc.integer({ min: 1, max: 99 }) });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.option(fc.integer({ min: 0, max: 1_000_000 })), fc.integer({ min: 0, max: 2_000_000 }), (items, amount, discountYen) => {
        const r = buildSalePlan({ basket: { items, amount }, basketAmount: amount ?? 0, benefit: amountOff(discountYen), coupon, giftSaleProduct: giftSale });
        if (!r.ok) {
          expect(items.length === 0 && !amount).toBe(true);
          return;
        }
        const { plan } = r;
        expect(plan.subtotal).toBe(plan.lines.reduce((s, l) => s + l.price * l.quantity, 0));
        expect(plan.discount).toBeGreaterThanOrEqual(0);
        expect(plan.discount).toBeLessThanOrEqual(plan.subtotal);
        expect(plan.total).toBe(plan.subtotal - plan.discount);
        const body = smaregiTransactionBody(plan, lookup, 'memo');
        const details = body.details as Array<{ salesPrice: string; quantity: string }>;
        expect(Number(body.subtotal)).toBe(details.reduce((s, d) => s + Number(d.salesPrice) * Number(d.quantity), 0));
        expect(Number(body.total)).toBe(Number(body.subtotal) - Number(body.couponDiscount));
      }),
      { numRuns: 300 },
    );
  });

  it('the Smaregi transaction body: numbers as strings, numbered details, the coupon, the lookup', () => {
    const r = buildSalePlan({ basket: { items: [], amount: 1500 }, basketAmount: 1500, benefit: amountOff(500), coupon, giftSaleProduct: giftSale });
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
