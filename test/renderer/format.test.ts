import { describe, expect, it } from 'vitest';
import {
  formatBenefit,
  formatCode,
  formatCouponBenefit,
  formatCouponConditions,
  formatDuration,
  formatHex,
  formatYen,
  inLanguage,
  parseAmount,
  parseHex,
  reasonText,
  syncKindName,
  systemName,
} from '../../src/renderer/format';
import { logQuery, searchText } from '../../src/renderer/logQuery';

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

  it("free item names the products (or the award value) and the discount it counts as (the product's regular price)", () => {
    const b = { awardType: '3' as const, awardValue: '9001', discountYen: 480, freeItems: [{ productId: '9001', name: 'コーヒー', price: 480 }] };
    expect(formatBenefit(b, 'ja')).toBe('商品付与: コーヒー（−480円）');
    expect(formatBenefit({ ...b, freeItems: [] }, 'en')).toBe('Free item: 9001 (−¥480)');
    expect(formatBenefit({ ...b, discountYen: 0 }, 'ja')).toBe('商品付与: コーヒー');
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

  it('log search: a code typed in groups as shown (spaces, full-width) is searched without the spaces', () => {
    expect(searchText('4110001 8226')).toBe('41100018226');
    expect(searchText('4110001\u30008226 2080 ')).toBe('411000182262080');
    expect(searchText('４１１０００１　８２２６')).toBe('41100018226');
    expect(logQuery({ text: '4110001 8226', verdict: '', from: '', to: '' }, 0).text).toBe('41100018226');
    // Not a code: left as typed (a coupon name may contain spaces).
    expect(searchText(' giftee 500円OFF ')).toBe('giftee 500円OFF');
  });
});

describe('engine messages and names', () => {
  it('takes one language of an engine message written "日本語 / English"', () => {
    const m = '入力金額 1,000円 が商品の合計 2,360円 より少なくなっています / The typed amount (1,000 yen) is less than the items (2,360 yen)';
    expect(inLanguage(m, 'ja')).toBe('入力金額 1,000円 が商品の合計 2,360円 より少なくなっています');
    expect(inLanguage(m, 'en')).toBe('The typed amount (1,000 yen) is less than the items (2,360 yen)');
    // A " / " inside the Japanese part stays there.
    expect(inLanguage('端末 1 / 2 の設定を確認 / Check terminal 1 / 2', 'en')).toBe('Check terminal 1 / 2');
    expect(inLanguage('端末 1 / 2 の設定を確認 / Check terminal 1 / 2', 'ja')).toBe('端末 1 / 2 の設定を確認');
    // Anything else is shown whole.
    expect(inLanguage('Too small: expected >= 1', 'ja')).toBe('Too small: expected >= 1');
    expect(inLanguage('a / b', 'ja')).toBe('a / b');
  });

  it('names systems and sync kinds, keeping unknown ones as they are', () => {
    expect(systemName('smaregi', 'ja')).toBe('スマレジ');
    expect(systemName('smaregi', 'en')).toBe('Smaregi');
    expect(systemName('acme', 'ja')).toBe('acme');
    expect(syncKindName('smaregi.transaction', 'ja')).toBe('取引');
    expect(syncKindName('smaregi.transaction.cancel', 'ja')).toBe('取引の取消');
    expect(syncKindName('smaregi.transaction.cancel', 'en')).toBe('Transaction cancellation');
    expect(syncKindName('smaregi.stock', 'ja')).toBe('在庫');
    expect(syncKindName('smaregi.stock.set', 'en')).toBe('Stock level set');
    expect(syncKindName('giftee.something', 'en')).toBe('giftee.something');
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
