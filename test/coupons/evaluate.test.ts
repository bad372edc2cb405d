import { describe, expect, it } from 'vitest';
import { evaluateCoupon, matchGiftee, toCouponView, type CouponRecord, type CouponVerdict } from '../../src/core/coupons';
import { reasonMessage } from '../../src/shared/reasons';
import { CouponViewSchema, type ReasonCode } from '../../src/shared/contract/register';
import { coupon, item, jst, line, productById } from './fixtures';

const NOW = jst('2026-03-15T12:00:00');
const PREFIX = '1234567';

function run(coupons: CouponRecord[], basket: { items?: ReturnType<typeof line>[]; amount?: number | null }, now = NOW): CouponVerdict {
  return evaluateCoupon({ prefix: PREFIX, coupons, basket, now, rounding: 'floor', productById });
}

describe('evaluateCoupon: every refusal of the coupon rules', () => {
  const cases: Array<{ name: string; coupons: CouponRecord[]; basket: Parameters<typeof run>[1]; reason: ReasonCode }> = [
    { name: 'no coupon has the prefix as serial', coupons: [coupon({ serialNumber: '7654321' })], basket: { amount: 1000 }, reason: 'unknown_prefix' },
    { name: 'empty catalog', coupons: [], basket: { amount: 1000 }, reason: 'unknown_prefix' },
    { name: 'only a 通常 coupon has the serial', coupons: [coupon({ couponDivision: '0' })], basket: { amount: 1000 }, reason: 'not_giftee_coupon' },
    { name: 'an unknown division is not giftee', coupons: [coupon({ couponDivision: '2' })], basket: { amount: 1000 }, reason: 'not_giftee_coupon' },
    { name: 'valid from tomorrow', coupons: [coupon({ startDate: '2026-03-16' })], basket: { amount: 1000 }, reason: 'coupon_not_started' },
    { name: 'valid to yesterday', coupons: [coupon({ endDate: '2026-03-14' })], basket: { amount: 1000 }, reason: 'coupon_expired' },
    { name: '1,000 yen below a 3,000 yen minimum', coupons: [coupon({ minTargetPrice: '3000' })], basket: { amount: 1000 }, reason: 'below_min_amount' },
    { name: '10,000 yen above a 5,000 yen maximum', coupons: [coupon({ maxTargetPrice: '5000' })], basket: { amount: 10000 }, reason: 'above_max_amount' },
    {
      name: '指定商品 with the target product missing',
      coupons: [coupon({ applyConditionDivision: '1', items: [item({ division: '2', itemId: '200' })] })],
      basket: { items: [line('100')] },
      reason: 'no_target_item',
    },
    {
      name: '指定商品 with only a typed amount',
      coupons: [coupon({ applyConditionDivision: '1', items: [item({ division: '2', itemId: '100' })] })],
      basket: { amount: 5000 },
      reason: 'no_target_item',
    },
    {
      name: '指定商品 whose only items are granted ones',
      coupons: [coupon({ applyConditionDivision: '1', items: [item({ type: '2', itemId: '100', salesPrice: '0' })] })],
      basket: { items: [line('100')] },
      reason: 'no_target_item',
    },
  ];

  it.each(cases)('$name → $reason', ({ coupons, basket, reason }) => {
    const v = run(coupons, basket);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.reason).toBe(reason);
    // Every refusal has a Japanese and an English message.
    expect(reasonMessage(v.reason).ja.length).toBeGreaterThan(0);
    expect(reasonMessage(v.reason).en.length).toBeGreaterThan(0);
    if (reason === 'unknown_prefix') expect(v.coupon).toBeNull();
    else expect(v.coupon?.serialNumber).toBe(PREFIX);
  });

  it('accepts when every rule passes', () => {
    const v = run([coupon({ startDate: '2026-03-01', endDate: '2026-03-31', minTargetPrice: '1000', maxTargetPrice: '5000' })], { amount: 3000 });
    expect(v).toMatchObject({ ok: true, amount: 3000, benefit: { awardType: '1', awardValue: '500', discountYen: 500, freeItems: [] } });
  });

  it('min and max are inclusive bounds (below / above only)', () => {
    const c = [coupon({ minTargetPrice: '1000', maxTargetPrice: '1000' })];
    expect(run(c, { amount: 1000 }).ok).toBe(true);
    expect(run(c, { amount: 999 })).toMatchObject({ ok: false, reason: 'below_min_amount' });
    expect(run(c, { amount: 1001 })).toMatchObject({ ok: false, reason: 'above_max_amount' });
  });

  it('empty or null limits do not apply', () => {
    expect(run([coupon({ minTargetPrice: '', maxTargetPrice: null })], { amount: 0 }).ok).toBe(true);
  });

  it('the typed amount overrides the items for amount checks; otherwise the items are summed', () => {
    const c = [coupon({ minTargetPrice: '2000' })];
    expect(run(c, { items: [line('100')] })).toMatchObject({ ok: false, reason: 'below_min_amount' });
    expect(run(c, { items: [line('100', 2)] })).toMatchObject({ ok: true, amount: 2400 });
    expect(run(c, { items: [line('100')], amount: 2500 })).toMatchObject({ ok: true, amount: 2500 });
  });

  it('min/max compare the whole transaction also for 指定商品 coupons (manual: 取引)', () => {
    const c = [coupon({ applyConditionDivision: '1', minTargetPrice: '1500', items: [item({ division: '2', itemId: '101' })] })];
    // target subtotal is 300, but the transaction is 1,500
    expect(run(c, { items: [line('100'), line('101')] })).toMatchObject({ ok: true, amount: 1500 });
  });

  it.each([
    ['product id', item({ division: '2', itemId: '200' })],
    ['category id', item({ division: '1', itemId: '20' })],
    ['group code', item({ division: '3', itemId: 'G-MUG' })],
  ])('指定商品 matches a basket item by %s', (_, condition) => {
    const c = [coupon({ applyConditionDivision: '1', items: [condition] })];
    expect(run(c, { items: [line('100'), line('200')] }).ok).toBe(true);
    expect(run(c, { items: [line('100'), line('300')] })).toMatchObject({ ok: false, reason: 'no_target_item' });
  });

  it('checks in the documented order: dates before target before amount', () => {
    const all = coupon({
      endDate: '2026-03-01',
      applyConditionDivision: '1',
      items: [item({ itemId: '200' })],
      minTargetPrice: '99999',
    });
    expect(run([all], { items: [line('100')] })).toMatchObject({ reason: 'coupon_expired' });
    expect(run([{ ...all, endDate: null }], { items: [line('100')] })).toMatchObject({ reason: 'no_target_item' });
    expect(run([{ ...all, endDate: null }], { items: [line('200')] })).toMatchObject({ reason: 'below_min_amount' });
    expect(run([coupon({ startDate: '2026-04-01', endDate: '2026-03-01' })], { amount: 1 })).toMatchObject({ reason: 'coupon_not_started' });
  });
});

describe('several coupons with one serial', () => {
  it('a 通常 and a giftee coupon share the serial: the giftee one is used', () => {
    const normal = coupon({ couponId: '5', couponDivision: '0', awardValue: '100' });
    const giftee = coupon({ couponId: '4', couponDivision: '1', awardValue: '700' });
    const v = run([normal, giftee], { amount: 5000 });
    expect(v).toMatchObject({ ok: true, coupon: { couponId: '4' }, benefit: { discountYen: 700 } });
  });

  it('the newest giftee coupon that passes wins; an old expired one does not hide it', () => {
    const old = coupon({ couponId: '9', endDate: '2025-12-31', awardValue: '300' });
    const current = coupon({ couponId: '12', startDate: '2026-01-01', awardValue: '500' });
    const newer = coupon({ couponId: '100', startDate: '2026-01-01', awardValue: '800' });
    expect(run([old, current], { amount: 5000 })).toMatchObject({ ok: true, coupon: { couponId: '12' } });
    // numeric ids: "100" is newer than "12"
    expect(run([old, current, newer], { amount: 5000 })).toMatchObject({ ok: true, coupon: { couponId: '100' } });
  });

  it('when none passes, the refusal of the coupon that got furthest is reported', () => {
    const expired = coupon({ couponId: '20', endDate: '2026-01-31' });
    const tooSmall = coupon({ couponId: '10', minTargetPrice: '9000' });
    expect(run([expired, tooSmall], { amount: 1000 })).toMatchObject({ ok: false, reason: 'below_min_amount', coupon: { couponId: '10' } });
  });

  it('matchGiftee ignores coupons with another serial and lists giftee candidates newest first', () => {
    const m = matchGiftee(PREFIX, [coupon({ couponId: '2' }), coupon({ couponId: '3', serialNumber: '0000000' }), coupon({ couponId: '10' })]);
    expect(m.ok && m.candidates.map((c) => c.couponId)).toEqual(['10', '2']);
  });
});

describe('toCouponView', () => {
  it('is a valid CouponView of the record', () => {
    const c = coupon({ summary: '店頭で使えます', startDate: '2026-01-01', endDate: '2026-12-31', minTargetPrice: '1000' });
    const view = toCouponView(c);
    expect(CouponViewSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({ couponId: '1', couponDivision: '1', serialNumber: PREFIX, summary: '店頭で使えます', minTargetPrice: '1000', maxTargetPrice: null });
    expect(view).not.toHaveProperty('items');
  });
});
