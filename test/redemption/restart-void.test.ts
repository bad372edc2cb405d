import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src/core/db';
import { buildSalePlan, createRedemptionStore, resolveBasket } from '../../src/core/redemption';
import { SIM_CREDENTIALS } from '../../src/sim/credentials';
import { harness, T, waitFor, type Harness } from './helpers';

process.env.REGISTER_COMPANION_GIFTEE_TIMEOUT_MS = '400';

describe.each([
  { how: 'the app', oneShot: false, codes: [30, 31] },
  { how: 'a one-shot CLI engine (settle)', oneShot: true, codes: [33, 34] },
])('attempts left open by a crash are settled at the next start of $how', ({ oneShot, codes }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('consumed at giftee → the sale and its outbox row are recorded; not consumed → closed, nothing recorded', async () => {
    const [consumedCode, untouchedCode] = [T.amountOff[codes[0]], T.amountOff[codes[1]]];
    const basket = { amount: 2000, items: [] };
    const outcome = await h.engine.call('scan.evaluate', { raw: consumedCode, basket });
    const sale = resolveBasket(basket, { productCode: 'GIFTEE-SALE', product: { productId: '1099', productCode: 'GIFTEE-SALE', name: 'ギフト券ご利用（金額入力）' } });
    if (!sale.ok) throw new Error('basket');
    const plan = buildSalePlan({ basket: sale, benefit: outcome.benefit!, coupon: { couponId: '101', couponName: outcome.coupon!.couponName } });
    if (!plan.ok) throw new Error('plan');
    await h.engine.stop();

    // What a power cut right after "attempt committed, consume sent" leaves behind.
    const db = new Database(join(h.dir, DB_FILE));
    const store = createRedemptionStore(db);
    const ids = { consumed: randomUUID(), untouched: randomUUID() };
    const keys = { consumed: randomUUID(), untouched: randomUUID() };
    for (const [which, code] of [['consumed', consumedCode], ['untouched', untouchedCode]] as const) {
      store.insertAttempt({
        id: ids[which],
        idempotency_key: keys[which],
        code,
        prefix: code.slice(0, 7),
        coupon_id: '101',
        source: 'manual',
        raw: code,
        plan: { outcome: { ...outcome, raw: code, normalized: code }, sale: plan.plan, place: { storeId: '1', terminalId: '1' } },
        amount: plan.plan.discount,
        engine_run: 'crashed-run',
        now: new Date().toISOString(),
      });
    }
    db.close();
    // ... and the consume that reached giftee before the crash.
    const res = await fetch(`${h.sims.urls.giftee}/v1/tickets/${consumedCode}/consume`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SIM_CREDENTIALS.giftee.accessToken}`, 'idempotency-key': keys.consumed, 'content-type': 'application/json' },
      body: JSON.stringify({ storeId: '1', terminalId: '1', amount: plan.plan.discount }),
    });
    expect(res.status).toBe(201);

    await h.restart({ oneShot });
    const states = await waitFor('attempts settled', () => {
      const rows = h.table<{ id: string; state: string }>('SELECT id, state FROM redemption_attempts WHERE id IN (?, ?)', ids.consumed, ids.untouched);
      return rows.every((r) => r.state !== 'consuming' && r.state !== 'unresolved') ? Object.fromEntries(rows.map((r) => [r.id, r.state])) : null;
    });
    expect(states[ids.consumed]).toBe('redeemed');
    expect(states[ids.untouched]).toBe('failed');

    expect(h.consumptions().filter((c) => c.code === consumedCode)).toHaveLength(1);
    expect(h.consumptions().filter((c) => c.code === untouchedCode)).toHaveLength(0);
    expect(h.giftee.state().tickets.find((t) => t.code === untouchedCode)!.status).toBe('unused');
    const sales = h.table<{ outbox_id: string; total: number }>('SELECT * FROM sales WHERE redemption_id = ?', ids.consumed);
    expect(sales).toHaveLength(1);
    expect(sales[0].total).toBe(1500);
    expect(h.table('SELECT * FROM outbox WHERE id = ?', sales[0].outbox_id)).toHaveLength(1);
    expect(h.table('SELECT * FROM sales WHERE redemption_id = ?', ids.untouched)).toHaveLength(0);

    // The untouched ticket can be redeemed again normally.
    const again = await h.engine.call('redemption.redeem', { raw: untouchedCode, basket });
    expect(again.status).toBe('redeemed');

    // A redemption from an earlier run cannot be voided here.
    await expect(h.engine.call('redemption.void', { redemptionId: ids.consumed })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('void', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('within giftee’s window: the consumption is cancelled, the sale voided and a Smaregi cancel queued with the same lookup', async () => {
    const code = T.amountOff[32];
    const r = await h.engine.call('redemption.redeem', { raw: code, basket: { amount: 3000, items: [] } });
    expect(r.status).toBe('redeemed');
    const v = await h.engine.call('redemption.void', { redemptionId: r.redemptionId! });
    expect(v).toMatchObject({ status: 'voided', redemptionId: r.redemptionId, saleId: r.saleId });

    const c = h.consumptions().find((x) => x.code === code)!;
    expect(c.cancelledAt).not.toBeNull();
    expect(h.giftee.state().tickets.find((t) => t.code === code)!.status).toBe('unused');

    const sale = h.table<{ voided_at: string | null; void_outbox_id: string; outbox_id: string }>('SELECT * FROM sales WHERE id = ?', r.saleId)[0];
    expect(sale.voided_at).not.toBeNull();
    const [create] = h.table<{ payload: string; ordering_key: string }>('SELECT payload, ordering_key FROM outbox WHERE id = ?', sale.outbox_id);
    const [cancel] = h.table<{ kind: string; target: string; ordering_key: string; payload: string }>('SELECT * FROM outbox WHERE id = ?', sale.void_outbox_id);
    expect(cancel).toMatchObject({ kind: 'smaregi.transaction.cancel', target: 'smaregi', ordering_key: create.ordering_key });
    expect(JSON.parse(cancel.payload).lookup).toEqual(JSON.parse(create.payload).lookup);

    const log = await h.engine.call('redemption.recent', { limit: 5 });
    expect(log.find((e) => e.redemptionId === r.redemptionId)?.status).toBe('voided');

    // Voiding twice is harmless; the ticket may now be redeemed again.
    expect((await h.engine.call('redemption.void', { redemptionId: r.redemptionId! })).status).toBe('voided');
    const again = await h.engine.call('redemption.redeem', { raw: code, basket: { amount: 3000, items: [] } });
    expect(again.status).toBe('redeemed');
    expect(again.redemptionId).not.toBe(r.redemptionId);
  });

  it('after giftee’s cancel window: a clear refusal, and the redemption stands', async () => {
    const code = T.amountOff[33];
    const r = await h.engine.call('redemption.redeem', { raw: code, basket: { amount: 3000, items: [] } });
    h.giftee.advanceClock(31 * 60);
    const err = await h.engine.call('redemption.void', { redemptionId: r.redemptionId! }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict', details: { reason: 'cancel_window_passed' } });
    expect((err as Error).message).toMatch(/取消可能時間/);
    expect(h.table<{ state: string }>('SELECT state FROM redemption_attempts WHERE id = ?', r.redemptionId)[0].state).toBe('redeemed');
    expect(h.consumptions().find((x) => x.code === code)!.cancelledAt).toBeNull();
  });

  it('an unknown redemption id is not found', async () => {
    await expect(h.engine.call('redemption.void', { redemptionId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
