import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeBenefit, divideRounded, evaluateCoupon, percentOf } from '../../src/core/coupons';
import { BenefitSchema } from '../../src/shared/contract/register';
import { coupon, item, jst, productById } from './fixtures';

describe('amount off (値引)', () => {
  it.each([
    [500, 3000, 500],
    [500, 500, 500],
    [500, 300, 300], // never more than the amount
    [500, 0, 0],
  ])('%i yen off %i yen → %i', (off, amount, expected) => {
    expect(computeBenefit(coupon({ awardValue: String(off) }), amount, 'floor', productById).discountYen).toBe(expected);
  });
});

describe('percent off (割引) with the store rounding', () => {
  it.each([
    // amount, percent, floor, round, ceil
    [1234, '10', 123, 123, 124], // 123.4
    [1235, '10', 123, 124, 124], // 123.5: half rounds up
    [999, '15', 149, 150, 150], // 149.85
    [1000, '10', 100, 100, 100], // exact
    [1, '5', 0, 0, 1], // 0.05
    [3333, '33.3', 1109, 1110, 1110], // 1109.889
    [100, '0.5', 0, 1, 1], // 0.5
  ] as const)('%i yen at %s%% → floor %i, round %i, ceil %i', (amount, pct, floor, round, ceil) => {
    const c = coupon({ awardType: '2', awardValue: pct });
    expect(computeBenefit(c, amount, 'floor', productById).discountYen).toBe(floor);
    expect(computeBenefit(c, amount, 'round', productById).discountYen).toBe(round);
    expect(computeBenefit(c, amount, 'ceil', productById).discountYen).toBe(ceil);
  });

  it('is exact where binary floats are not (0.07 × 100 = 7.000000000000001)', () => {
    expect(percentOf(100, '7', 'ceil')).toBe(7);
    expect(percentOf(1100, '7', 'ceil')).toBe(77);
  });

  it('over 100 % takes the whole amount, never more', () => {
    expect(computeBenefit(coupon({ awardType: '2', awardValue: '150' }), 800, 'ceil', productById).discountYen).toBe(800);
  });

  it('the rounding comes from the caller (settings.register.rounding), floor by default in evaluateCoupon callers', () => {
    const c = [coupon({ awardType: '2', awardValue: '10' })];
    const at = (rounding: 'floor' | 'ceil') =>
      evaluateCoupon({ prefix: '1234567', coupons: c, basket: { amount: 1234 }, now: jst('2026-01-01T00:00:00'), rounding, productById });
    expect(at('floor')).toMatchObject({ ok: true, benefit: { discountYen: 123 } });
    expect(at('ceil')).toMatchObject({ ok: true, benefit: { discountYen: 124 } });
  });
});

describe('free item (商品付与)', () => {
  it('gives the granted products; the discount is their salesPrice', () => {
    const c = coupon({
      awardType: '3',
      awardValue: '0',
      items: [item({ type: '2', division: '2', itemId: '300', salesPrice: '450' }), item({ type: '1', itemId: '100' })],
    });
    const b = computeBenefit(c, 2000, 'floor', productById);
    expect(BenefitSchema.parse(b)).toEqual(b);
    expect(b).toEqual({ awardType: '3', awardValue: '0', discountYen: 450, freeItems: [{ productId: '300', name: 'クッキー', price: 450 }] });
  });

  it("falls back to the product's price when salesPrice is not given", () => {
    const c = coupon({ awardType: '3', items: [item({ type: '2', itemId: '200', salesPrice: null })] });
    expect(computeBenefit(c, 0, 'floor', productById)).toMatchObject({ discountYen: 1500, freeItems: [{ productId: '200', name: 'マグカップ', price: 1500 }] });
  });

  it('several granted products add up; a product missing from the catalog keeps its id and salesPrice', () => {
    const c = coupon({
      awardType: '3',
      items: [item({ type: '2', itemId: '101', salesPrice: '300' }), item({ type: '2', itemId: '999', salesPrice: '250' })],
    });
    const b = computeBenefit(c, 100, 'floor', productById);
    expect(b.discountYen).toBe(550);
    expect(b.freeItems.map((f) => f.productId)).toEqual(['101', '999']);
    expect(b.freeItems[1].name).toContain('999');
  });

  it('granted items naming a category or group code are left out (no single product to hand over)', () => {
    const c = coupon({ awardType: '3', items: [item({ type: '2', division: '1', itemId: '10', salesPrice: '100' })] });
    expect(computeBenefit(c, 1000, 'floor', productById)).toMatchObject({ discountYen: 0, freeItems: [] });
  });
});

describe('properties', () => {
  const rounding = fc.constantFrom('floor' as const, 'round' as const, 'ceil' as const);
  const amount = fc.integer({ min: 0, max: 99_999_999 });
  const value = fc.oneof(
    fc.integer({ min: 0, max: 200_000 }).map(String),
    fc.tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 9999 })).map(([i, f]) => `${i}.${f}`),
  );

  it('amount and percent discounts: integer yen, never negative, never above the amount', () => {
    fc.assert(
      fc.property(fc.constantFrom('1' as const, '2' as const), value, amount, rounding, (awardType, awardValue, amt, r) => {
        const b = computeBenefit(coupon({ awardType, awardValue }), amt, r, productById);
        expect(Number.isInteger(b.discountYen)).toBe(true);
        expect(b.discountYen).toBeGreaterThanOrEqual(0);
        expect(b.discountYen).toBeLessThanOrEqual(amt);
        expect(b.freeItems).toEqual([]);
      }),
    );
  });

  it('floor ≤ round ≤ ceil, and they differ by at most 1 yen', () => {
    fc.assert(
      fc.property(value, amount, (v, amt) => {
        const [f, r, c] = (['floor', 'round', 'ceil'] as const).map((m) => percentOf(amt, v, m));
        expect(f).toBeLessThanOrEqual(r);
        expect(r).toBeLessThanOrEqual(c);
        expect(c - f).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('divideRounded agrees with exact BigInt division', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), fc.integer({ min: 1, max: 2 ** 20 }), rounding, (n, d, r) => {
        const q = BigInt(n) / BigInt(d);
        const rem = BigInt(n) % BigInt(d);
        const expected = rem === 0n ? q : r === 'ceil' ? q + 1n : r === 'round' && 2n * rem >= BigInt(d) ? q + 1n : q;
        expect(divideRounded(n, d, r)).toBe(Number(expected));
      }),
    );
  });

  it('free items: discount is the integer, non-negative sum of the free items', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 5 }), amount, (prices, amt) => {
        const c = coupon({ awardType: '3', items: prices.map((p, i) => item({ type: '2', itemId: String(500 + i), salesPrice: String(p) })) });
        const b = computeBenefit(c, amt, 'floor', productById);
        expect(b.discountYen).toBe(prices.reduce((s, p) => s + p, 0));
        expect(Number.isInteger(b.discountYen) && b.discountYen >= 0).toBe(true);
      }),
    );
  });
});
