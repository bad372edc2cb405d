import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultBody } from '../../src/sim/index';
import { harness, onAttemptCommitted, T, type Harness } from './helpers';

// A held request gives up after this long (the default is 8 s; the simulator holds a "timeout" for 120 s).
process.env.REGISTER_COMPANION_GIFTEE_TIMEOUT_MS = '400';

describe('lost answers from giftee: never a double consumption, never a consumption without a sale', () => {
  let h: Harness;
  let next = 10;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Redeems a fresh ticket with `fault` injected exactly on its consume call. */
  async function redeemWithConsumeFault(fault: FaultBody) {
    const code = T.amountOff[next++];
    const off = onAttemptCommitted(h, () => h.giftee.addFault(fault));
    try {
      const r = await h.engine.call('redemption.redeem', { raw: code, basket: { amount: 2000, items: [] } });
      return { code, r };
    } finally {
      off();
      h.giftee.clearFaults();
    }
  }

  function assertExactlyOnce(code: string, redemptionId: string | null) {
    const consumptions = h.consumptions().filter((c) => c.code === code);
    expect(consumptions).toHaveLength(1);
    expect(consumptions[0].cancelledAt).toBeNull();
    const sales = h.table<{ outbox_id: string }>('SELECT s.* FROM sales s JOIN redemption_attempts a ON a.id = s.redemption_id WHERE a.code = ?', code);
    expect(sales).toHaveLength(1);
    const outbox = h.table<{ payload: string }>("SELECT * FROM outbox WHERE kind = 'smaregi.transaction' AND payload LIKE ?", `%${code}%`);
    expect(outbox).toHaveLength(1);
    expect(sales[0].outbox_id).toBeTruthy();
    const attempt = h.table<{ idempotency_key: string; state: string }>('SELECT * FROM redemption_attempts WHERE id = ?', redemptionId)[0];
    expect(attempt.state).toBe('redeemed');
    expect(consumptions[0].idempotencyKey).toBe(attempt.idempotency_key);
  }

  it.each<[string, FaultBody]>([
    ['timeout after the consume was applied', { mode: 'timeout', count: 1 }],
    ['connection reset after the consume was applied', { mode: 'reset', count: 1 }],
    ['unreadable answer after the consume was applied', { mode: 'badjson', count: 1 }],
  ])('%s: settled by reading the status (used with our key) → one consumption, one sale, one outbox row', async (_name, fault) => {
    const { code, r } = await redeemWithConsumeFault(fault);
    expect(r).toMatchObject({ status: 'redeemed', verdict: 'ok', reason: null });
    assertExactlyOnce(code, r.redemptionId);
    const reqs = h.giftee.requests().filter((q) => q.path.includes(code));
    expect(reqs.map((q) => `${q.method} ${q.path.split('/').pop()}`)).toEqual(['POST verify', 'POST consume', `GET ${code}`]);
  });

  it.each<[string, FaultBody]>([
    ['timeout before the consume was applied', { mode: 'timeout', count: 1, applied: false }],
    ['a 500 (not applied)', { mode: '500', count: 1 }],
    ['connection reset before the consume was applied', { mode: 'reset', count: 1, applied: false }],
  ])('%s: status says unused → the consume is sent again with the SAME key → consumed once', async (_name, fault) => {
    const { code, r } = await redeemWithConsumeFault(fault);
    expect(r.status).toBe('redeemed');
    assertExactlyOnce(code, r.redemptionId);
    const consumes = h.giftee.requests().filter((q) => q.method === 'POST' && q.path.endsWith(`${code}/consume`));
    expect(consumes).toHaveLength(2);
    expect(consumes[0].headers['idempotency-key']).toBe(consumes[1].headers['idempotency-key']);
  });

  it('while giftee stays silent the attempt is unresolved, the code is refused until settled, then settled without a second consumption', async () => {
    const code = T.amountOff[next++];
    const off = onAttemptCommitted(h, () => h.giftee.addFault({ mode: 'timeout' }));
    let first;
    try {
      first = await h.engine.call('redemption.redeem', { raw: code, basket: { amount: 2000, items: [] } });
    } finally {
      off();
    }
    expect(first).toMatchObject({ status: 'unresolved', verdict: 'blocked', reason: 'offline', saleId: null });
    expect(first.message?.en).toMatch(/lost/);
    expect(h.table('SELECT * FROM sales WHERE redemption_id = ?', first.redemptionId)).toHaveLength(0);

    // Scanned again while giftee is still silent: the earlier attempt must be settled first, so nothing new is sent.
    const consumesBefore = h.consumeRequests();
    const second = await h.engine.call('redemption.redeem', { raw: code, basket: { amount: 2000, items: [] } });
    expect(second).toMatchObject({ status: 'unresolved', redemptionId: first.redemptionId });
    expect(h.consumeRequests()).toBe(consumesBefore);

    h.giftee.clearFaults();
    const third = await h.engine.call('redemption.redeem', { raw: code, basket: { amount: 5000, items: [] } });
    expect(third).toMatchObject({ status: 'redeemed', redemptionId: first.redemptionId });
    assertExactlyOnce(code, first.redemptionId);
    // The sale is the one the first attempt planned (its basket), not the later scan's.
    expect(h.table<{ subtotal: number }>('SELECT subtotal FROM sales WHERE redemption_id = ?', first.redemptionId)[0].subtotal).toBe(2000);
    expect(h.consumeRequests()).toBe(consumesBefore);
  });

  it('two confirms of the same ticket at once: one consumption, the other sees it used', async () => {
    const code = T.amountOff[next++];
    const basket = { amount: 2000, items: [] };
    const [a, b] = await Promise.all([
      h.engine.call('redemption.redeem', { raw: code, basket }),
      h.engine.call('redemption.redeem', { raw: code, basket }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['redeemed', 'rejected']);
    expect([a, b].find((x) => x.status === 'rejected')!.reason).toBe('ticket_used');
    expect(h.consumptions().filter((c) => c.code === code)).toHaveLength(1);
  });
});
