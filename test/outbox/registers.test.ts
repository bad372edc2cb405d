import { afterEach, describe, expect, it } from 'vitest';
import { smaregiCancelItem, smaregiTransactionItem, type SmaregiTransactionLookup } from '../../src/core/channels/smaregi';
import { enqueue, type NewOutboxItem } from '../../src/core/outbox';
import { SIM_CREDENTIALS } from '../../src/sim/credentials';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { outboxRig, startSmaregi, stockSet, type Rig } from './fixtures';

/*
 * Two registers (two data folders) set up with the same terminal id, as `connect-sim` leaves them:
 * both number their sales 1, 2, 3… A lost answer makes one of them look its sale up before sending
 * again; it must find its own sale (by content), never adopt the other register's.
 */

let sim: SimServer<SmaregiState> | null = null;
const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
  await sim?.close();
  sim = null;
});

const jst = (hhmm: string) => `2026-03-01T${hhmm}:00+09:00`;

/** A sale on terminal 1 (both registers), `qty` × product 101 at 500 yen. */
function sale(tranId: string, hhmm: string, o: { qty?: number; memo?: string } = {}): NewOutboxItem {
  const qty = o.qty ?? 1;
  return smaregiTransactionItem({
    transactionHeadDivision: '1',
    storeId: '1',
    terminalId: '1',
    terminalTranId: tranId,
    terminalTranDateTime: jst(hhmm),
    subtotal: String(500 * qty),
    total: String(500 * qty),
    ...(o.memo ? { memo: o.memo } : {}),
    details: [{ transactionDetailId: '1', transactionDetailDivision: '1', productId: '101', salesPrice: '500', quantity: String(qty) }],
  });
}
const lookupOf = (item: NewOutboxItem) => (item.payload as { lookup: SmaregiTransactionLookup }).lookup;

async function register(): Promise<Rig> {
  const r = await outboxRig(sim!.url);
  rigs.push(r);
  return r;
}
/** Queues rows; `maybeApplied` marks them as a lost answer would (checked before sending). */
function queue(r: Rig, items: NewOutboxItem[], o: { maybeApplied?: boolean } = {}): string[] {
  const db = r.engine.ctx.db;
  const ids = db.transaction(() =>
    items.map((it) => {
      const id = enqueue(db, it);
      if (o.maybeApplied) db.prepare('UPDATE outbox SET maybe_applied = 1 WHERE id = ?').run(id);
      return id;
    }),
  )();
  r.outbox.kick();
  return ids;
}
/** A request straight to the simulated Smaregi API (what reached it before an answer was lost). */
async function simApi(method: string, path: string, body: unknown): Promise<Response> {
  const basic = Buffer.from(`${SIM_CREDENTIALS.smaregi.clientId}:${SIM_CREDENTIALS.smaregi.clientSecret}`).toString('base64');
  const token = await fetch(`${sim!.url}/app/${SIM_CREDENTIALS.smaregi.contractId}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=pos.transactions:write',
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  return fetch(`${sim!.url}/${SIM_CREDENTIALS.smaregi.contractId}/pos${path}`, {
    method,
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
const syncNow = (r: Rig) => r.call('sync.now', { wait: true, timeoutMs: 10_000 });
const item = async (r: Rig, id: string) => (await r.call('outbox.list', { limit: 1000 })).items.find((i: any) => i.id === id);
/** The simulator's sales of terminal 1, keyed by what tells them apart: number @ register time. */
function sales() {
  return sim!.state().transactions.filter((t) => t.terminalId === '1').map((t) => ({
    key: `${t.terminalTranId}@${t.terminalTranDateTime}`,
    id: t.transactionHeadId,
    total: t.total,
    memo: t.memo ?? null,
    cancelled: t.cancelDivision === '1',
  }));
}

describe('two registers with the same terminal id', () => {
  it('a lost answer never adopts the other register’s sale: each sale exists once with its own content', async () => {
    sim = await startSmaregi();
    const a = await register();
    const b = await register();

    const a1 = sale('1', '10:00', { memo: 'giftee A-0001 / redemption ra-1' });
    const a2 = sale('2', '10:05');
    const [a1Id, a2Id] = queue(a, [a1, a2]);
    expect((await syncNow(a)).remaining).toBe(0);

    // B's token first, so the fault below hits B's sale and not its token request.
    queue(b, [stockSet('110', 5)]);
    await syncNow(b);

    // B's sale 1: Smaregi applies the POST but the answer is lost (connection reset).
    const b1 = sale('1', '10:02', { qty: 2, memo: 'giftee B-0001 / redemption rb-1' });
    sim.addFault({ mode: 'reset', count: 1 });
    const [b1Id] = queue(b, [b1]);
    expect((await syncNow(b)).remaining).toBe(0);

    // B's sale 2 left "maybe applied" (e.g. a killed process) though it never reached Smaregi;
    // A's sale 2 has the same terminal and number and the same amount: only the time differs.
    const b2 = sale('2', '10:07');
    const [b2Id] = queue(b, [b2], { maybeApplied: true });
    expect((await syncNow(b)).remaining).toBe(0);

    const s = sales();
    expect(s.map((x) => x.key).sort()).toEqual([`1@${jst('10:00')}`, `1@${jst('10:02')}`, `2@${jst('10:05')}`, `2@${jst('10:07')}`]);
    const by = new Map(s.map((x) => [x.key, x]));
    expect(by.get(`1@${jst('10:02')}`)).toMatchObject({ total: '1000', memo: 'giftee B-0001 / redemption rb-1' });
    expect(by.get(`1@${jst('10:00')}`)).toMatchObject({ total: '500', memo: 'giftee A-0001 / redemption ra-1' });
    // Each row points at its own register's sale.
    expect((await item(a, a1Id)).remoteRef).toBe(by.get(`1@${jst('10:00')}`)!.id);
    expect((await item(a, a2Id)).remoteRef).toBe(by.get(`2@${jst('10:05')}`)!.id);
    expect(await item(b, b1Id)).toMatchObject({ state: 'sent', attempts: 2, remoteRef: by.get(`1@${jst('10:02')}`)!.id });
    expect(await item(b, b2Id)).toMatchObject({ state: 'sent', attempts: 1, remoteRef: by.get(`2@${jst('10:07')}`)!.id });

    // B voids its sale 1 (no head id in the cancel, as the redemption queues it). Its cancel
    // reached Smaregi but the answer was lost: the check finds B's sale cancelled (Smaregi would
    // refuse a second cancel), and A's sale 1 is untouched.
    const b1Head = by.get(`1@${jst('10:02')}`)!.id;
    expect((await simApi('POST', `/transactions/${b1Head}/cancel`, {})).status).toBe(200);
    const [c1Id] = queue(b, [smaregiCancelItem(lookupOf(b1))], { maybeApplied: true });
    expect((await syncNow(b)).perTarget[0]).toMatchObject({ failed: 0, pending: 0 });
    expect(await item(b, c1Id)).toMatchObject({ state: 'sent', remoteRef: b1Head });

    // A cancel whose sale is not in this outbox (a third register's folder) is found by the
    // register reference AND its time, not by the number alone.
    const c = await register();
    queue(c, [smaregiCancelItem(lookupOf(b2))]);
    expect((await syncNow(c)).perTarget[0]).toMatchObject({ failed: 0, pending: 0 });

    const after = new Map(sales().map((x) => [x.key, x.cancelled]));
    expect(Object.fromEntries(after)).toEqual({
      [`1@${jst('10:00')}`]: false,
      [`2@${jst('10:05')}`]: false,
      [`1@${jst('10:02')}`]: true,
      [`2@${jst('10:07')}`]: true,
    });
  });
});
