import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkValidity, couponWindow, jstDayStart, parseCouponDate } from '../../src/core/coupons';

// Instants are written in UTC so the checks do not depend on the machine's time zone.
const utc = (s: string) => new Date(`${s}Z`);

describe('coupon validity in Japan time', () => {
  const to0331 = { startDate: null, endDate: '2026-03-31' };

  it.each([
    ['23:59:59.999 JST on the end date (14:59:59.999 UTC)', '2026-03-31T14:59:59.999', null],
    ['23:59 JST on the end date', '2026-03-31T14:59:00', null],
    ['00:00 JST the next day (15:00 UTC the end date)', '2026-03-31T15:00:00', 'coupon_expired'],
    ['00:01 JST the next day', '2026-03-31T15:01:00', 'coupon_expired'],
    ['09:00 UTC on the end date is 18:00 JST that day', '2026-03-31T09:00:00', null],
  ] as const)('valid to 2026-03-31, at %s → %s', (_, at, expected) => {
    expect(checkValidity(to0331, utc(at))).toBe(expected);
  });

  it.each([
    ['23:59:59.999 JST the day before the start', '2026-03-31T14:59:59.999', 'coupon_not_started'],
    ['00:00 JST on the start date (15:00 UTC the day before)', '2026-03-31T15:00:00', null],
  ] as const)('valid from 2026-04-01, at %s → %s', (_, at, expected) => {
    expect(checkValidity({ startDate: '2026-04-01', endDate: null }, utc(at))).toBe(expected);
  });

  it('a one-day coupon is valid exactly that JST day', () => {
    const c = { startDate: '2026-05-05', endDate: '2026-05-05' };
    expect(checkValidity(c, utc('2026-05-04T14:59:59.999'))).toBe('coupon_not_started');
    expect(checkValidity(c, utc('2026-05-04T15:00:00'))).toBeNull();
    expect(checkValidity(c, utc('2026-05-05T14:59:59.999'))).toBeNull();
    expect(checkValidity(c, utc('2026-05-05T15:00:00'))).toBe('coupon_expired');
  });

  it('an end date-time at 00:00 JST means that whole day (how a date is often sent as a date-time)', () => {
    const c = { startDate: null, endDate: '2026-03-31T00:00:00+09:00' };
    expect(checkValidity(c, utc('2026-03-31T14:59:59'))).toBeNull();
    expect(checkValidity(c, utc('2026-03-31T15:00:00'))).toBe('coupon_expired');
  });

  it('any other end date-time is valid through that second', () => {
    const c = { startDate: '2026-03-01T10:00:00+09:00', endDate: '2026-03-31T18:30:00+09:00' };
    expect(checkValidity(c, utc('2026-03-01T00:59:59.999'))).toBe('coupon_not_started');
    expect(checkValidity(c, utc('2026-03-01T01:00:00'))).toBeNull();
    expect(checkValidity(c, utc('2026-03-31T09:30:00.999'))).toBeNull();
    expect(checkValidity(c, utc('2026-03-31T09:30:01'))).toBe('coupon_expired');
  });

  it('a date-time without offset is JST; Z and other offsets are honoured', () => {
    expect(parseCouponDate('2026-03-31 18:00:00')?.ms).toBe(Date.parse('2026-03-31T09:00:00Z'));
    expect(parseCouponDate('2026-03-31T09:00:00Z')?.ms).toBe(Date.parse('2026-03-31T09:00:00Z'));
    expect(parseCouponDate('2026-03-31T10:00:00+01:00')?.ms).toBe(Date.parse('2026-03-31T09:00:00Z'));
  });

  it.each(['2026-02-30', '2026-13-01', '31/03/2026', '2026-03-31T25:00:00+09:00', '', 'soon', '2026-03-31T10:00:00+25:00'])(
    'rejects %j',
    (s) => {
      expect(parseCouponDate(s)).toBeNull();
    },
  );

  it('no dates: always valid', () => {
    expect(checkValidity({ startDate: null, endDate: null }, new Date(0))).toBeNull();
  });

  it('property: a date end is valid at every instant of that JST day and expired from the next JST midnight', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }), (ms) => {
        const dayStart = jstDayStart(ms);
        const day = new Date(dayStart + 9 * 3600_000).toISOString().slice(0, 10);
        const { fromMs, untilMs } = couponWindow({ startDate: day, endDate: day });
        expect(fromMs).toBe(dayStart);
        expect(untilMs).toBe(dayStart + 86_400_000);
        expect(checkValidity({ startDate: day, endDate: day }, new Date(ms))).toBeNull();
        expect(checkValidity({ startDate: day, endDate: day }, new Date(untilMs!))).toBe('coupon_expired');
      }),
    );
  });
});
