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

describe('free item (商品付与): "at its price"', () => {
  it('the granted product at its regular price; the discount is that price less what the coupon sells it for', () => {
    const c = coupon({
      awardType: '3',
      awardValue: '0',
      items: [item({ type: '2', division: '2', itemId: '300', salesPrice: '0' }), item({ type: '1', itemId: '100' })],
    });
    const b = computeBenefit(c, 2000, 'floor', productById);
    expect(BenefitSchema.parse(b)).toEqual(b);
    // クッキー is 450 yen in the catalog, given for 0: a 450 yen benefit, not 0.
    expect(b).toEqual({ awardType: '3', awardValue: '0', discountYen: 450, freeItems: [{ productId: '300', name: 'クッキー', price: 450 }] });
  });

  it('a granted product sold at a reduced price: the discount is the difference', () => {
    const c = coupon({ awardType: '3', items: [item({ type: '2', itemId: '200', salesPrice: '500' })] });
    expect(computeBenefit(c, 0, 'floor', productById)).toMatchObject({ discountYen: 1000, freeItems: [{ productId: '200', name: 'マグカップ', price: 1500 }] });
  });

  it('no salesPrice given: given for free, the discount is the full price', () => {
    const c = coupon({ awardType: '3', items: [item({ type: '2', itemId: '200', salesPrice: null })] });
    expect(computeBenefit(c, 0, 'floor', productById)).toMatchObject({ discountYen: 1500, freeItems: [{ productId: '200', price: 1500 }] });
  });

  it('a salesPrice above the regular price is no benefit, never a negative one', () => {
    const c = coupon({ awardType: '3', items: [item({ type: '2', itemId: '101', salesPrice: '450' })] });
    expect(computeBenefit(c, 0, 'floor', productById)).toMatchObject({ discountYen: 0, freeItems: [{ productId: '101', price: 300 }] });
  });

  it('several granted products add up; one missing from the catalog is added at its salesPrice with no known benefit', () => {
    const c = coupon({
      awardType: '3',
      items: [item({ type: '2', itemId: '101', salesPrice: '0' }), item({ type: '2', itemId: '200', salesPrice: '0' }), item({ type: '2', itemId: '999', salesPrice: '250' })],
    });
    const b = computeBenefit(c, 100, 'floor', productById);
    expect(b.discountYen).toBe(1800);
    expect(b.freeItems.map((f) => [f.productId, f.price])).toEqual([
      ['101', 300],
      ['200', 1500],
      ['999', 250],
    ]);
    expect(b.freeItems[2].name).toContain('999');
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

  it('free items: the discount is Σ max(0, regular price − salesPrice), within the free lines’ value', () => {
    const granted = fc.array(fc.tuple(fc.constantFrom('100', '101', '200', '300'), fc.integer({ min: 0, max: 3_000 })), { maxLength: 5 });
    fc.assert(
      fc.property(granted, amount, (g, amt) => {
        const c = coupon({ awardType: '3', items: g.map(([id, p]) => item({ type: '2', itemId: id, salesPrice: String(p) })) });
        const b = computeBenefit(c, amt, 'floor', productById);
        const regular = (id: string) => Number(productById(id)!.price);
        expect(b.discountYen).toBe(g.reduce((s, [id, p]) => s + Math.max(0, regular(id) - p), 0));
        expect(b.freeItems.map((f) => f.price)).toEqual(g.map(([id]) => regular(id)));
        expect(b.discountYen).toBeLessThanOrEqual(b.freeItems.reduce((s, f) => s + f.price, 0));
      }),
    );
  });
});
