import { afterEach, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/framework/server';
import { startGifteeSim, type GifteeSeedInput, type GifteeState } from '../../src/sim/giftee';
import { GIFTEE_TOKEN, json, post } from './helpers';

const UNUSED = '411000100000000000000001';
const UNUSED_2 = '411000100000000000000002';
const USED = '411000100000000000000003';
const EXPIRED = '411000200000000000000001';
const LAPSED = '411000200000000000000002';
const UNKNOWN = '411000199999999999999999';

const SEED: GifteeSeedInput = {
  cancelWindowMinutes: 30,
  tickets: [
    { code: UNUSED, status: 'unused', expiresAt: '2099-12-31T23:59:59+09:00' },
    { code: UNUSED_2, status: 'unused', expiresAt: '2099-12-31T23:59:59+09:00' },
    { code: USED, status: 'used', expiresAt: '2099-12-31T23:59:59+09:00' },
    { code: EXPIRED, status: 'expired', expiresAt: '2099-12-31T23:59:59+09:00' },
    { code: LAPSED, status: 'unused', expiresAt: '2020-01-01T00:00:00+09:00' },
  ],
};

let sim: SimServer<GifteeState> | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const auth = { authorization: `Bearer ${GIFTEE_TOKEN}` };
const place = { storeId: '1', terminalId: '1' };

async function start(seed: GifteeSeedInput = SEED) {
  sim = await startGifteeSim(seed);
  const base = sim.url;
  return {
    sim,
    get: (path: string, headers: Record<string, string> = auth) => fetch(`${base}${path}`, { headers }),
    verify: (code: string, body: unknown = place) => post(`${base}/v1/tickets/${code}/verify`, body, auth),
    consume: (code: string, key: string | null, body: unknown = { ...place, amount: 500 }) =>
      post(`${base}/v1/tickets/${code}/consume`, body, key === null ? auth : { ...auth, 'idempotency-key': key }),
    cancel: (id: string) => post(`${base}/v1/consumptions/${id}/cancel`, undefined, auth),
  };
}

describe('giftee sim: auth, health, lookup', () => {
  it('health needs no auth; everything else needs the Bearer token', async () => {
    const { get } = await start();
    const h = await get('/v1/health', {});
    expect(h.status).toBe(200);
    expect(await json(h)).toEqual({ status: 'ok' });
    const none = await get(`/v1/tickets/${UNUSED}`, {});
    expect(none.status).toBe(401);
    expect((await json(none)).error.code).toBe('unauthorized');
    expect((await get(`/v1/tickets/${UNUSED}`, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get(`/v1/tickets/${UNUSED}`)).status).toBe(200);
  });

  it('reports unused / used / expired (seeded or past expiresAt), 404 unknown, 400 malformed', async () => {
    const { get } = await start();
    const status = async (code: string) => (await json(await get(`/v1/tickets/${code}`))).ticket.status;
    expect(await status(UNUSED)).toBe('unused');
    expect(await status(USED)).toBe('used');
    expect(await status(EXPIRED)).toBe('expired');
    expect(await status(LAPSED)).toBe('expired');
    const t = (await json(await get(`/v1/tickets/${UNUSED}`))).ticket;
    expect(t).toEqual({ code: UNUSED, status: 'unused', expiresAt: '2099-12-31T23:59:59+09:00', consumption: null });
    const unknown = await get(`/v1/tickets/${UNKNOWN}`);
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('ticket_unknown');
    for (const bad of ['12345', `${UNUSED}0`, '41100010000000000000000a']) {
      const r = await get(`/v1/tickets/${bad}`);
      expect(r.status).toBe(400);
      expect((await json(r)).error.code).toBe('invalid_code');
    }
    const nf = await get('/v2/anything');
    expect(nf.status).toBe(404);
    expect((await json(nf)).error).toEqual({ code: 'not_found', message: expect.any(String) });
  });
});

describe('giftee sim: verify', () => {
  it('says whether a ticket is redeemable and why not, without side effects', async () => {
    const { verify, sim: s } = await start();
    expect(await json(await verify(UNUSED))).toMatchObject({ redeemable: true, reason: null, ticket: { status: 'unused' } });
    expect(await json(await verify(USED))).toMatchObject({ redeemable: false, reason: 'ticket_used' });
    expect(await json(await verify(EXPIRED))).toMatchObject({ redeemable: false, reason: 'ticket_expired' });
    expect(await json(await verify(LAPSED))).toMatchObject({ redeemable: false, reason: 'ticket_expired' });
    expect((await verify(UNKNOWN)).status).toBe(404);
    expect((await verify(UNUSED, { storeId: '1' })).status).toBe(400);
    expect(s.state().consumptions).toEqual([]);
  });
});

describe('giftee sim: consume', () => {
  it('consumes once; the same key replays (200, same consumption); another key gets 409', async () => {
    const { consume, get, sim: s } = await start();
    const first = await consume(UNUSED, 'key-aaaa-0001');
    expect(first.status).toBe(201);
    const a = await json(first);
    expect(a.ticket.status).toBe('used');
    expect(a.consumption).toMatchObject({
      consumptionId: expect.any(String),
      idempotencyKey: 'key-aaaa-0001',
      storeId: '1',
      terminalId: '1',
      amount: 500,
      cancellable: true,
      cancelledAt: null,
    });
    expect(a.consumption.consumedAt).toMatch(/\+09:00$/);

    const replay = await consume(UNUSED, 'key-aaaa-0001');
    expect(replay.status).toBe(200);
    expect((await json(replay)).consumption.consumptionId).toBe(a.consumption.consumptionId);

    const other = await consume(UNUSED, 'key-bbbb-0002');
    expect(other.status).toBe(409);
    expect((await json(other)).error.code).toBe('ticket_used');

    const t = (await json(await get(`/v1/tickets/${UNUSED}`))).ticket;
    expect(t.consumption.consumptionId).toBe(a.consumption.consumptionId);
    expect(s.state().consumptions).toHaveLength(1);
  });

  it('a lost answer (timeout fault) is resolved by asking for the ticket, and the retry replays', async () => {
    const { consume, get, sim: s } = await start();
    await post(`${s.url}/__sim/faults`, { mode: 'timeout', count: 1 });
    await expect(
      fetch(`${s.url}/v1/tickets/${UNUSED}/consume`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'key-lost-0001' },
        body: JSON.stringify({ ...place, amount: 500 }),
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    const t = (await json(await get(`/v1/tickets/${UNUSED}`))).ticket;
    expect(t.status).toBe('used');
    expect(t.consumption.idempotencyKey).toBe('key-lost-0001');
    expect((await consume(UNUSED, 'key-lost-0001')).status).toBe(200);
    expect(s.state().consumptions).toHaveLength(1);
  });

  it('refuses used (409), expired (410), unknown (404) and reused keys (422)', async () => {
    const { consume } = await start();
    expect((await json(await consume(USED, 'key-used-0001'))).error.code).toBe('ticket_used');
    const exp = await consume(EXPIRED, 'key-expd-0001');
    expect(exp.status).toBe(410);
    expect((await json(exp)).error.code).toBe('ticket_expired');
    expect((await consume(LAPSED, 'key-laps-0001')).status).toBe(410);
    const unk = await consume(UNKNOWN, 'key-unkn-0001');
    expect(unk.status).toBe(404);
    expect((await json(unk)).error.code).toBe('ticket_unknown');
    expect((await consume(UNUSED, 'key-reuse-001')).status).toBe(201);
    const reused = await consume(UNUSED_2, 'key-reuse-001');
    expect(reused.status).toBe(422);
    expect((await json(reused)).error.code).toBe('idempotency_key_reused');
  });

  it('requires an Idempotency-Key of 8–100 characters and a valid body', async () => {
    const { consume, sim: s } = await start();
    for (const key of [null, 'short', 'x'.repeat(101)]) {
      const r = await consume(UNUSED, key);
      expect(r.status).toBe(400);
      expect((await json(r)).error.code).toBe('idempotency_key_required');
    }
    const noAmount = await consume(UNUSED, 'key-body-0001', place);
    expect(noAmount.status).toBe(400);
    expect((await json(noAmount)).error.code).toBe('invalid_request');
    expect((await consume(UNUSED, 'key-body-0002', { ...place, amount: '500' })).status).toBe(400);
    const broken = await fetch(`${s.url}/v1/tickets/${UNUSED}/consume`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'key-body-0003' },
      body: '{"storeId":',
    });
    expect(broken.status).toBe(400);
    expect((await json(broken)).error.code).toBe('invalid_json');
    expect(s.state().consumptions).toEqual([]);
  });
});

describe('giftee sim: cancel', () => {
  it('cancels within the window (ticket unused again), replays a second cancel, 409 after the window', async () => {
    const { consume, cancel, get, sim: s } = await start();
    const a = (await json(await consume(UNUSED, 'key-cncl-0001'))).consumption;
    const c = await cancel(a.consumptionId);
    expect(c.status).toBe(200);
    const body = await json(c);
    expect(body.consumption.cancelledAt).toMatch(/\+09:00$/);
    expect(body.consumption.cancellable).toBe(false);
    expect(body.ticket).toMatchObject({ status: 'unused', consumption: null });
    const again = await cancel(a.consumptionId);
    expect(again.status).toBe(200);
    expect((await json(again)).consumption.cancelledAt).toBe(body.consumption.cancelledAt);

    // The ticket can be used again under a new key; the cancelled one stays in the list.
    expect((await consume(UNUSED, 'key-cncl-0002')).status).toBe(201);
    expect(s.state().consumptions.map((x) => x.cancelledAt === null)).toEqual([false, true]);

    const b = (await json(await get(`/v1/tickets/${UNUSED}`))).ticket.consumption;
    await post(`${s.url}/__sim/clock`, { advanceSeconds: 31 * 60 });
    const late = await cancel(b.consumptionId);
    expect(late.status).toBe(409);
    expect((await json(late)).error.code).toBe('cancel_window_passed');
    expect((await json(await get(`/v1/tickets/${UNUSED}`))).ticket.status).toBe('used');

    const unknown = await cancel('cns_nope');
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('consumption_unknown');
  });

  it('honours the seed cancel window and GET /v1/consumptions/{id}', async () => {
    const { consume, cancel, get, sim: s } = await start({ ...SEED, cancelWindowMinutes: 1 });
    const a = (await json(await consume(UNUSED, 'key-wind-0001'))).consumption;
    expect((await json(await get(`/v1/consumptions/${a.consumptionId}`))).consumption.cancellable).toBe(true);
    await post(`${s.url}/__sim/clock`, { advanceSeconds: 61 });
    expect((await json(await get(`/v1/consumptions/${a.consumptionId}`))).consumption.cancellable).toBe(false);
    expect((await cancel(a.consumptionId)).status).toBe(409);
  });
});
