import { describe, expect, it } from 'vitest';
import type { Query, SmaregiClient } from '../../src/core/channels/smaregi/client';
import { couponUsesItems, fetchCoupons, fetchProducts, toJstQueryTime } from '../../src/core/channels/smaregi/reads';
import { SmaregiCouponSchema, SmaregiProductSchema, describeProblem, parseRows } from '../../src/core/channels/smaregi/schemas';
import { HttpError } from '../../src/core/http';

/** Serves fixed list answers by path (the HTTP side is covered against the simulator in catalog.test.ts). */
function fixedClient(answers: Record<string, unknown[] | HttpError>, calls: Array<{ path: string; query: Query }> = []): SmaregiClient {
  return {
    async request() {
      throw new Error('not used');
    },
    async listAll<T>(path: string, query: Query = {}) {
      calls.push({ path, query });
      const a = answers[path];
      if (a instanceof HttpError) throw a;
      if (!a) throw new HttpError('status', `no answer for ${path}`, 404);
      return a as T[];
    },
    reset() {},
  };
}

const wireCoupon = (over: Record<string, unknown> = {}) => ({
  couponId: '1',
  couponName: 'giftee 500',
  couponDivision: '1',
  serialNumber: '1234567',
  summary: '',
  awardType: '1',
  awardValue: '500',
  applyConditionDivision: '0',
  minTargetPrice: null,
  maxTargetPrice: null,
  startDate: null,
  endDate: null,
  insDateTime: '2026-01-01T10:00:00+09:00',
  updDateTime: '2026-01-01T10:00:00+09:00',
  ...over,
});

describe('Smaregi read schemas', () => {
  it('keeps numbers as strings, accepts JSON numbers, drops unknown fields, empty optional fields become null', () => {
    const r = SmaregiCouponSchema.parse(
      wireCoupon({ couponId: 12, awardValue: 10, awardType: 2, minTargetPrice: '', maxTargetPrice: 5000, summary: '', futureField: { x: 1 } }),
    );
    expect(r).toMatchObject({ couponId: '12', awardType: '2', awardValue: '10', minTargetPrice: null, maxTargetPrice: '5000', summary: null });
    expect(r).not.toHaveProperty('futureField');
    expect(r).not.toHaveProperty('insDateTime');
  });

  it('a 商品付与 coupon may leave awardValue empty; 値引 and 割引 may not', () => {
    expect(SmaregiCouponSchema.parse(wireCoupon({ awardType: '3', awardValue: null })).awardValue).toBe('0');
    expect(SmaregiCouponSchema.safeParse(wireCoupon({ awardType: '1', awardValue: '' })).success).toBe(false);
  });

  it('product: JAN given as a number stays exact text; nulls in optional fields are tolerated', () => {
    const p = SmaregiProductSchema.parse({ productId: 5, productCode: 4901234567894, productName: null, price: 1200, categoryId: null, groupCode: '' });
    expect(p).toEqual({ productId: '5', productCode: '4901234567894', productName: '', price: '1200', categoryId: null, groupCode: null, updDateTime: null });
  });

  it('bad rows are reported by position and id, good rows kept', () => {
    const { rows, problems } = parseRows(
      SmaregiCouponSchema,
      [
        wireCoupon({ couponId: '1' }),
        wireCoupon({ couponId: '2', awardType: '9' }),
        'garbage',
        wireCoupon({ couponId: '4', endDate: '2026-02-30' }),
        wireCoupon({ couponId: '5', startDate: '2026-04-01', endDate: '2026-03-01' }),
        wireCoupon({ couponId: '6', serialNumber: null }),
      ],
      'coupons',
      'couponId',
    );
    expect(rows.map((r) => r.couponId)).toEqual(['1']);
    expect(problems.map(describeProblem)).toEqual([
      expect.stringMatching(/^coupons row 2 \(couponId "2"\): awardType must be one of "1", "2", "3"/),
      'coupons row 3: not an object',
      expect.stringMatching(/^coupons row 4 \(couponId "4"\): endDate must be a date/),
      expect.stringMatching(/^coupons row 5 \(couponId "5"\): endDate is before startDate/),
      expect.stringMatching(/^coupons row 6 \(couponId "6"\): serialNumber/),
    ]);
  });

  it('a list answer that is not a list is a problem, not a crash', () => {
    expect(parseRows(SmaregiProductSchema, { error: 'x' }, 'products', 'productId')).toMatchObject({ rows: [], problems: [{ message: 'the answer is not a list' }] });
  });
});

describe('fetchCoupons', () => {
  it('reads items only for coupons whose items matter, and attaches them', async () => {
    const calls: Array<{ path: string; query: Query }> = [];
    const client = fixedClient(
      {
        '/coupons': [
          wireCoupon({ couponId: '1' }),
          wireCoupon({ couponId: '2', applyConditionDivision: '1' }),
          wireCoupon({ couponId: '3', awardType: '3', awardValue: '' }),
        ],
        '/coupons/2/products': [{ couponProductId: '7', couponId: '2', division: '1', itemId: 10, type: '1', salesPrice: null }],
        '/coupons/3/products': [{ couponProductId: 8, division: 2, itemId: '100', type: 2, salesPrice: 450 }],
      },
      calls,
    );
    const r = await fetchCoupons(client);
    expect(r.problems).toEqual([]);
    expect(r.rows.map((c) => [c.couponId, c.items])).toEqual([
      ['1', []],
      ['2', [{ couponProductId: '7', division: '1', itemId: '10', type: '1', salesPrice: null }]],
      ['3', [{ couponProductId: '8', division: '2', itemId: '100', type: '2', salesPrice: '450' }]],
    ]);
    expect(calls.map((c) => c.path).sort()).toEqual(['/coupons', '/coupons/2/products', '/coupons/3/products']);
    expect(couponUsesItems({ applyConditionDivision: '0', awardType: '2' })).toBe(false);
  });

  it('a coupon with a bad item is left out whole and named; a coupon deleted meanwhile (404) is left out', async () => {
    const client = fixedClient({
      '/coupons': [wireCoupon({ couponId: '1', applyConditionDivision: '1' }), wireCoupon({ couponId: '2', applyConditionDivision: '1' }), wireCoupon({ couponId: '3' })],
      '/coupons/1/products': [{ couponProductId: '1', division: '5', itemId: '10', type: '1' }],
      '/coupons/2/products': new HttpError('status', 'HTTP 404', 404),
    });
    const r = await fetchCoupons(client);
    expect(r.rows.map((c) => c.couponId)).toEqual(['3']);
    const text = r.problems.map(describeProblem).join('\n');
    expect(text).toContain('coupon 1 items row 1 (couponProductId "1"): division must be one of "1", "2", "3"');
    expect(text).toContain('couponId "1"): left out because some of its items are invalid');
  });

  it('a transport failure fails the read (the caller keeps its cache)', async () => {
    const client = fixedClient({ '/coupons': new HttpError('status', 'HTTP 500', 500) });
    await expect(fetchCoupons(client)).rejects.toMatchObject({ status: 500 });
  });

  it('a 429 is retried after Retry-After, a bounded number of times', async () => {
    let n = 0;
    const client: SmaregiClient = {
      ...fixedClient({}),
      async listAll<T>() {
        n++;
        if (n <= 2) throw new HttpError('status', 'HTTP 429', 429, null, 0);
        return [] as T[];
      },
    };
    expect((await fetchProducts(client)).rows).toEqual([]);
    expect(n).toBe(3);
    n = -10;
    await expect(fetchProducts(client, { retry: { retries: 2 } })).rejects.toMatchObject({ status: 429 });
  });
});

describe('query times', () => {
  it('are JST with an explicit +09:00 (the client percent-encodes the plus)', () => {
    expect(toJstQueryTime(new Date('2026-03-31T15:00:00.500Z'))).toBe('2026-04-01T00:00:00+09:00');
  });

  it('fetchProducts passes updatedSince as upd_date_time-from', async () => {
    const calls: Array<{ path: string; query: Query }> = [];
    await fetchProducts(fixedClient({ '/products': [] }, calls), { updatedSince: new Date('2026-01-01T00:00:00Z') });
    expect(calls[0].query).toEqual({ 'upd_date_time-from': '2026-01-01T09:00:00+09:00' });
  });
});
