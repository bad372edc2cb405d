import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReasonCode } from '../../src/shared/contract/register';
import { REASON_MESSAGES } from '../../src/shared/reasons';
import { harness, T, waitFor, type Harness } from './helpers';

/*
 * scan.evaluate with `online: true`: a ticket the local rules accept is verified with giftee (the
 * real simulator), never consumed. Without it the answers stay the local ones.
 */
describe('scan.evaluate online: giftee verify at scan time, nothing consumed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const basket = { amount: 3000, items: [] };
  /** giftee's own view over HTTP, as support would read it. */
  const simState = async () => (await (await fetch(`${h.sims.urls.giftee}/__sim/state`)).json()) as { consumptions: unknown[]; tickets: Array<{ code: string; status: string }> };
  const verifyRequests = (code: string) => h.giftee.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/${code}/verify`)).length;

  it.each<[ReasonCode, string]>([
    ['ticket_used', T.used],
    ['ticket_expired', T.expired],
    ['ticket_unknown', T.unknownToGiftee],
  ])('online: %s — rejected with its message; local: ok as before; no consume sent, nothing consumed', async (reason, code) => {
    const before = await simState();
    const consumes = h.consumeRequests();

    const local = await h.engine.call('scan.evaluate', { raw: code, basket });
    expect(local).toMatchObject({ kind: 'giftee', verdict: 'ok', reason: null, message: null });
    expect(verifyRequests(code)).toBe(0);

    const online = await h.engine.call('scan.evaluate', { raw: code, basket, online: true });
    expect(online).toMatchObject({ kind: 'giftee', verdict: 'rejected', reason, message: REASON_MESSAGES[reason], duplicate: false });
    // The coupon is still named (what the ticket is), only its use is refused.
    expect(online.couponId).toBe(local.couponId);
    expect(verifyRequests(code)).toBe(1);

    expect(h.consumeRequests()).toBe(consumes);
    const after = await simState();
    expect(after.consumptions).toEqual(before.consumptions);
    expect(after.tickets.find((t) => t.code === code)).toEqual(before.tickets.find((t) => t.code === code));
    expect(h.table('SELECT * FROM redemption_attempts WHERE code = ?', code)).toHaveLength(0);
  });

  it('an unused ticket stays ok online and unused at giftee; the online row is logged like any evaluate', async () => {
    const code = T.amountOff[5];
    const o = await h.engine.call('scan.evaluate', { raw: code, basket: { amount: 1500, items: [] }, online: true });
    expect(o).toMatchObject({ verdict: 'ok', reason: null, couponId: '101', benefit: { discountYen: 500 } });
    expect(verifyRequests(code)).toBe(1);
    expect((await simState()).tickets.find((t) => t.code === code)!.status).toBe('unused');
    expect((await simState()).consumptions).toHaveLength(0);

    await h.engine.call('scan.evaluate', { raw: T.used, basket, online: true });
    const rows = await waitFor('the online rows in the log', async () => {
      const r = await h.engine.call('redemption.log', { text: T.used });
      return r.rows.some((row) => row.reason === 'ticket_used') ? r.rows : null;
    });
    expect(rows[0]).toMatchObject({ normalized: T.used, verdict: 'rejected', reason: 'ticket_used', status: null, redemptionId: null });
  });

  it('a double scan: the online question is not answered by the local answer; the online answer answers a later local one', async () => {
    const code = T.used;
    await h.engine.call('settings.update', { scanner: { doubleScanWindowMs: 10_000 } });
    try {
      const b = { amount: 2500, items: [] };
      expect(await h.engine.call('scan.evaluate', { raw: code, basket: b })).toMatchObject({ verdict: 'ok', duplicate: false });
      expect(await h.engine.call('scan.evaluate', { raw: code, basket: b, online: true })).toMatchObject({ reason: 'ticket_used', duplicate: false });
      expect(await h.engine.call('scan.evaluate', { raw: code, basket: b })).toMatchObject({ reason: 'ticket_used', duplicate: true });
      expect(await h.engine.call('scan.evaluate', { raw: code, basket: b, online: true })).toMatchObject({ reason: 'ticket_used', duplicate: true });
    } finally {
      await h.engine.call('settings.update', { scanner: { doubleScanWindowMs: 1_500 } });
    }
  });

  it('a local refusal is said without asking giftee', async () => {
    const code = T.amountOff[6];
    const o = await h.engine.call('scan.evaluate', { raw: code, basket: { amount: 500, items: [] }, online: true });
    expect(o).toMatchObject({ verdict: 'rejected', reason: 'below_min_amount' });
    expect(verifyRequests(code)).toBe(0);
  });

  it.each([
    ['offline', T.amountOff[7]],
    ['timeout', T.amountOff[8]],
  ] as const)('giftee %s at verify: blocked / offline, nothing consumed', async (mode, code) => {
    const consumes = h.consumeRequests();
    const saved = process.env.REGISTER_COMPANION_GIFTEE_TIMEOUT_MS;
    process.env.REGISTER_COMPANION_GIFTEE_TIMEOUT_MS = '600';
    // giftee answers (the engine holds it online), then fails exactly the verify.
    expect(await h.engine.call('scan.evaluate', { raw: T.amountOff[9], basket, online: true })).toMatchObject({ verdict: 'ok' });
    h.giftee.addFault({ mode, count: 1 });
    try {
      const o = await h.engine.call('scan.evaluate', { raw: code, basket, online: true });
      expect(o).toMatchObject({ kind: 'giftee', verdict: 'blocked', reason: 'offline', message: REASON_MESSAGES.offline });
      expect(h.consumeRequests()).toBe(consumes);
      const s = await simState();
      expect(s.consumptions).toHaveLength(0);
      expect(s.tickets.find((t) => t.code === code)!.status).toBe('unused');
    } finally {
      h.giftee.clearFaults();
      if (saved === undefined) delete process.env.REGISTER_COMPANION_GIFTEE_TIMEOUT_MS;
      else process.env.REGISTER_COMPANION_GIFTEE_TIMEOUT_MS = saved;
    }
  });
});
