import { describe, expect, it } from 'vitest';
import {
  formatBenefit,
  formatCode,
  formatCouponBenefit,
  formatCouponConditions,
  formatDuration,
  formatHex,
  formatYen,
  parseAmount,
  parseHex,
  reasonText,
} from '../../src/renderer/format';
import { logQuery } from '../../src/renderer/logQuery';

describe('yen', () => {
  it('formats per language', () => {
    expect(formatYen(1234, 'ja')).toBe('1,234円');
    expect(formatYen(1234, 'en')).toBe('¥1,234');
    expect(formatYen(0, 'ja')).toBe('0円');
    expect(formatYen(-500, 'ja')).toBe('−500円');
    expect(formatYen(12_345_678, 'en')).toBe('¥12,345,678');
  });

  it('parses a typed amount', () => {
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('  ')).toBeNull();
    expect(parseAmount('1200')).toBe(1200);
    expect(parseAmount('1,200')).toBe(1200);
    expect(parseAmount('¥1,200')).toBe(1200);
    expect(parseAmount('１２００円')).toBe(1200); // full-width digits from a Japanese IME
    expect(parseAmount('12.5')).toBe('invalid');
    expect(parseAmount('-5')).toBe('invalid');
    expect(parseAmount('abc')).toBe('invalid');
    expect(parseAmount('123456789')).toBe('invalid'); // above the contract's 99,999,999
  });
});

describe('benefits', () => {
  it('amount off', () => {
    const b = { awardType: '1' as const, awardValue: '500', discountYen: 500, freeItems: [] };
    expect(formatBenefit(b, 'ja')).toBe('値引 500円');
    expect(formatBenefit(b, 'en')).toBe('¥500 off');
  });

  it('percent off shows the computed discount', () => {
    const b = { awardType: '2' as const, awardValue: '10.0', discountYen: 123, freeItems: [] };
    expect(formatBenefit(b, 'ja')).toBe('10%割引（−123円）');
    expect(formatBenefit(b, 'en')).toBe('10% off (−¥123)');
  });

  it('free item names the products, or falls back to the award value', () => {
    const b = { awardType: '3' as const, awardValue: '9001', discountYen: 480, freeItems: [{ productId: '9001', name: 'コーヒー', price: 480 }] };
    expect(formatBenefit(b, 'ja')).toBe('商品付与: コーヒー');
    expect(formatBenefit({ ...b, freeItems: [] }, 'en')).toBe('Free item: 9001');
  });

  it("a coupon's nominal benefit before an amount is known", () => {
    expect(formatCouponBenefit({ awardType: '1', awardValue: '300' }, 'ja')).toBe('値引 300円');
    expect(formatCouponBenefit({ awardType: '2', awardValue: '15' }, 'en')).toBe('15% off');
    expect(formatCouponBenefit({ awardType: '3', awardValue: '1' }, 'ja')).toBe('商品付与');
  });

  it('reason messages come from the shared table', () => {
    expect(reasonText('offline', 'ja')).toContain('オフライン');
    expect(reasonText('ticket_used', 'en')).toBe('This gift ticket has already been used');
  });
});

describe('other formatting', () => {
  it('groups a giftee code, leaves anything else alone', () => {
    expect(formatCode('123456789012345678901234')).toBe('1234567 8901 2345 6789 01234');
    expect(formatCode('4901234567894')).toBe('4901234567894');
  });

  it('durations', () => {
    expect(formatDuration(42.4, 'ja')).toBe('42秒');
    expect(formatDuration(125, 'ja')).toBe('2分5秒');
    expect(formatDuration(125, 'en')).toBe('2 min 5 s');
    expect(formatDuration(-3, 'en')).toBe('0 s');
  });

  it('hex ids', () => {
    expect(parseHex('0C2E')).toBe(0x0c2e);
    expect(parseHex('0x8c')).toBe(0x8c);
    expect(parseHex('')).toBeNull();
    expect(parseHex('12345')).toBe('invalid');
    expect(parseHex('zz')).toBe('invalid');
    expect(formatHex(0x8c)).toBe('008C');
    expect(formatHex(null)).toBe('');
  });

  it('log query: days as YYYY-MM-DD, half-typed dates ignored', () => {
    expect(logQuery({ text: '  1234 ', verdict: '', from: '2025-01-02', to: '2025-01' }, 100)).toEqual({
      text: '1234',
      verdict: null,
      from: '2025-01-02',
      to: null,
      limit: 100,
      offset: 100,
    });
    expect(logQuery({ text: '', verdict: 'rejected', from: '', to: '2025-01-31' }, 0).verdict).toBe('rejected');
  });
});

describe('formatCouponConditions', () => {
  it('names the amount limits and the last day, and nothing when there are none', () => {
    const c = { minTargetPrice: '1000', maxTargetPrice: '20000', endDate: '2030-12-31' };
    expect(formatCouponConditions(c, 'ja')).toBe('1,000円以上・20,000円以下・2030-12-31まで');
    expect(formatCouponConditions(c, 'en')).toBe('from ¥1,000 · up to ¥20,000 · until 2030-12-31');
    expect(formatCouponConditions({ minTargetPrice: null, maxTargetPrice: '', endDate: null }, 'ja')).toBe('');
    expect(formatCouponConditions({ minTargetPrice: '0', maxTargetPrice: 'x', endDate: '2026-03-31T23:59:59+09:00' }, 'ja')).toBe('2026-03-31まで');
  });
});
