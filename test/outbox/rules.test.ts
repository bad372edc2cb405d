import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/channels/types';
import { HttpError } from '../../src/core/http';
import { backoffCeilingMs, classifyFailure, createRateGate, DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from '../../src/core/outbox';
import { isOurTransaction, saleIdentity, toDeliveryError } from '../../src/core/channels/smaregi/deliver';

const policyArb: fc.Arbitrary<BackoffPolicy> = fc
  .record({ baseMs: fc.integer({ min: 1, max: 10_000 }), capMs: fc.integer({ min: 1, max: 3_600_000 }), maxRetryAfterMs: fc.integer({ min: 0, max: 7_200_000 }) })
  .filter((p) => p.capMs >= p.baseMs);

describe('backoff (full jitter, capped)', () => {
  it('stays within [0, min(cap, base·2^(n-1))] for any failure count and random draw', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, n, r) => {
        const d = retryDelayMs(n, null, p, () => r);
        const ceiling = Math.min(p.capMs, p.baseMs * 2 ** Math.min(n - 1, 60));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
        expect(backoffCeilingMs(n, p)).toBe(ceiling);
      }),
    );
  });

  it('the ceiling never shrinks as failures grow, and reaches the cap', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 200 }), (p, n) => {
        expect(backoffCeilingMs(n + 1, p)).toBeGreaterThanOrEqual(backoffCeilingMs(n, p));
        expect(backoffCeilingMs(200, p)).toBe(p.capMs);
      }),
    );
  });

  it('is full jitter: the draw maps linearly over the whole range (0 → 0, →1 → the ceiling)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 40 }), (p, n) => {
        expect(retryDelayMs(n, null, p, () => 0)).toBe(0);
        const top = retryDelayMs(n, null, p, () => 0.999999999);
        expect(top).toBeGreaterThanOrEqual(Math.floor(backoffCeilingMs(n, p) * 0.999));
        const half = retryDelayMs(n, null, p, () => 0.5);
        expect(Math.abs(half - backoffCeilingMs(n, p) / 2)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('never waits less than Retry-After (bounded by maxRetryAfterMs)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 10_000_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, n, ra, r) => {
        const d = retryDelayMs(n, ra, p, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.min(ra, p.maxRetryAfterMs));
        expect(d).toBeLessThanOrEqual(Math.max(backoffCeilingMs(n, p), Math.min(ra, p.maxRetryAfterMs)));
      }),
    );
  });

  it('ignores a nonsense Retry-After (negative, NaN, Infinity)', () => {
    for (const ra of [-5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const d = retryDelayMs(3, ra, DEFAULT_BACKOFF, () => 0.5);
      expect(Number.isFinite(d)).toBe(true);
      expect(d).toBe(retryDelayMs(3, null, DEFAULT_BACKOFF, () => 0.5));
    }
  });
});

describe('failure classification', () => {
  const cases: Array<[string, unknown, 'retry' | 'permanent', boolean]> = [
    ['refused connection', new HttpError('network', 'connection failed (ECONNREFUSED: x)'), 'retry', false],
    ['reset after sending', new HttpError('network', 'connection failed (ECONNRESET: socket hang up)'), 'retry', true],
    ['timeout', new HttpError('timeout', 'no answer'), 'retry', true],
    ['unreadable 200', new HttpError('bad_response', 'not JSON', 200), 'retry', true],
    ['500', new HttpError('status', 'HTTP 500', 500), 'retry', true],
    ['503', new HttpError('status', 'HTTP 503', 503), 'retry', true],
    ['408', new HttpError('status', 'HTTP 408', 408), 'retry', false],
    ['429', new HttpError('status', 'HTTP 429', 429, null, 2000), 'retry', false],
    ['400', new HttpError('status', 'HTTP 400', 400), 'permanent', false],
    ['401 after refresh', new HttpError('status', 'HTTP 401', 401), 'permanent', false],
    ['404', new HttpError('status', 'HTTP 404', 404), 'permanent', false],
    ['409', new HttpError('status', 'HTTP 409', 409), 'permanent', false],
    ['DeliveryError retry', new DeliveryError('retry', 'later', 500, true), 'retry', true],
    ['DeliveryError permanent', new DeliveryError('permanent', 'no'), 'permanent', false],
  ];
  it.each(cases)('%s', (_name, err, disposition, maybeApplied) => {
    const v = classifyFailure(err);
    expect(v.disposition).toBe(disposition);
    expect(v.maybeApplied).toBe(maybeApplied);
  });

  it('keeps Retry-After and flags unreachable targets', () => {
    expect(classifyFailure(new HttpError('status', 'HTTP 429', 429, null, 2000)).retryAfterMs).toBe(2000);
    expect(classifyFailure(new HttpError('timeout', 'x')).unreachable).toBe(true);
    expect(classifyFailure(new HttpError('status', 'HTTP 500', 500)).unreachable).toBe(false);
  });

  it('an unknown error is retried (a bug must not drop a sale) and treated as possibly applied', () => {
    const v = classifyFailure(new TypeError('oops'));
    expect(v).toMatchObject({ disposition: 'retry', maybeApplied: true, message: 'oops' });
  });

  it('Smaregi errors carry the problem detail; a GET failure never claims the write was applied', () => {
    const problem = new HttpError('status', 'HTTP 400', 400, { title: 'Bad Request', detail: 'details[0].productId: 指定された商品IDのリソースが見つかりません', status: 400 });
    const e = toDeliveryError(problem, true);
    expect(e.disposition).toBe('permanent');
    expect(e.message).toContain('指定された商品IDのリソースが見つかりません');
    expect(toDeliveryError(new HttpError('timeout', 'x'), false).maybeApplied).toBe(false);
    expect(toDeliveryError(new HttpError('timeout', 'x'), true).maybeApplied).toBe(true);
    const auth = toDeliveryError(new HttpError('status', 'HTTP 401', 401, { title: 'Unauthorized' }), true);
    expect(auth.disposition).toBe('permanent');
    expect(auth.message).toMatch(/認証|credentials/);
  });
});

describe('rate gate', () => {
  it('paces to the rate after a small burst and holds for Retry-After', () => {
    let now = 0;
    const g = createRateGate(10, () => now);
    expect(g.take()).toBe(0); // capacity max(1, 10/10) = 1
    const wait = g.take();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(100);
    now += 100;
    expect(g.take()).toBe(0);
    g.hold(1_000);
    expect(g.take()).toBe(1_000);
    now += 1_000;
    expect(g.take()).toBe(0);
  });

  it('over any stretch never lets more through than rate·t + burst', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }), (rate, steps) => {
        let now = 0;
        const g = createRateGate(rate, () => now);
        let passed = 0;
        for (const s of steps) {
          now += s;
          if (g.take() === 0) passed += 1;
        }
        expect(passed).toBeLessThanOrEqual(Math.floor((rate * now) / 1000 + Math.max(1, rate / 10)) + 1);
      }),
    );
  });

  it('no rate = no pacing, but a hold still holds', () => {
    let now = 0;
    const g = createRateGate(null, () => now);
    for (let i = 0; i < 100; i++) expect(g.take()).toBe(0);
    g.hold(500);
    expect(g.take()).toBe(500);
  });
});

describe('outbox ids', () => {
  it('are RFC 9562 version-7 UUIDs that sort by the time they were made', async () => {
    const { newOutboxId } = await import('../../src/core/outbox');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 2 ** 40 }), (t, dt) => {
        const a = newOutboxId(t);
        const b = newOutboxId(t + dt);
        expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(a < b).toBe(true);
      }),
    );
    expect(new Set(Array.from({ length: 1000 }, () => newOutboxId(0))).size).toBe(1000);
  });
});

describe('is a found Smaregi transaction ours (check-before-resend)', () => {
  const lookup = { storeId: '1', terminalId: '1', terminalTranId: '7', terminalTranDateTime: '2026-03-01T10:02:00+09:00' };
  const ours = saleIdentity(lookup, { ...lookup, total: '1000', subtotal: '1000', memo: 'giftee X / redemption r-1', details: [] });
  const found = {
    transactionHeadId: '55',
    storeId: '1',
    terminalId: '1',
    terminalTranId: '7',
    terminalTranDateTime: '2026-03-01T10:02:00+09:00',
    total: '1000',
    subtotal: '1000',
    memo: 'giftee X / redemption r-1',
    cancelDivision: '0',
  };

  it('matches on the reference and every field we sent (the time in any offset, amounts as numbers)', () => {
    expect(isOurTransaction(found, ours)).toBe(true);
    expect(isOurTransaction({ ...found, terminalTranDateTime: '2026-03-01T01:02:00Z', total: '1000.0' }, ours)).toBe(true);
  });

  it('another register’s sale with the same terminal and number is not ours', () => {
    expect(isOurTransaction({ ...found, terminalTranDateTime: '2026-03-01T10:00:00+09:00' }, ours)).toBe(false);
    expect(isOurTransaction({ ...found, total: '500' }, ours)).toBe(false);
    expect(isOurTransaction({ ...found, subtotal: '1200' }, ours)).toBe(false);
    expect(isOurTransaction({ ...found, memo: 'giftee Y / redemption r-2' }, ours)).toBe(false);
    expect(isOurTransaction({ ...found, storeId: '2' }, ours)).toBe(false);
    expect(isOurTransaction({ ...found, terminalTranId: '8' }, ours)).toBe(false);
  });

  it('a candidate that cannot be confirmed (a compared field missing) is not adopted', () => {
    expect(isOurTransaction({ ...found, total: null }, ours)).toBe(false);
    expect(isOurTransaction({ ...found, terminalTranDateTime: null }, ours)).toBe(false);
    expect(isOurTransaction({ ...found, storeId: undefined }, ours)).toBe(false);
  });

  it('the memo is compared only when we wrote one; a cancel without the sale body compares the reference and time', () => {
    const noMemo = saleIdentity(lookup, { total: '1000', subtotal: '1000' });
    expect(isOurTransaction({ ...found, memo: null }, noMemo)).toBe(true);
    const cancelOnly = saleIdentity(lookup, null);
    expect(cancelOnly).toEqual(lookup);
    expect(isOurTransaction({ ...found, total: '1' }, cancelOnly)).toBe(true);
    expect(isOurTransaction({ ...found, terminalTranDateTime: '2026-03-01T10:02:01+09:00' }, cancelOnly)).toBe(false);
  });
});
