import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../src/shared/contract/envelope';
import { smaregiCancelItem } from '../../src/core/channels/smaregi';
import { enqueue } from '../../src/core/outbox';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { applied, outboxRig, sale, startSmaregi, stockAdd, type Rig } from './fixtures';

let sim: SimServer<SmaregiState> | null = null;
let rig: Rig | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await rig?.close();
  await sim?.close();
  rig = null;
  sim = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(fn: () => boolean | Promise<boolean>, ms = 8_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(25);
  }
  throw new Error('condition not reached');
}
const remaining = async (r: Rig) => (await r.call('sync.progress', {})).remaining as number;

describe('recovery', () => {
  it('going online retries waiting rows at once instead of after their backoff', async () => {
    sim = await startSmaregi();
    // Backoff of about a minute (draws pinned high), so only the "online" event can explain a quick drain.
    rig = await outboxRig(sim.url, { outbox: { backoff: { baseMs: 60_000, capMs: 60_000, maxRetryAfterMs: 60_000 }, random: () => 0.99 } });
    sim.addFault({ mode: 'offline' });
    rig.enqueueAll([sale('ON1', '101'), stockAdd('102', 4)]);
    await until(async () => {
      const l = await rig!.call('outbox.list', { state: 'pending' });
      return l.items.length === 2 && l.items.every((i: any) => i.attempts >= 1 && i.nextAttemptAt !== null);
    });
    rig.connectivity.set('smaregi', 'offline');
    sim.clearFaults();
    rig.connectivity.set('smaregi', 'online');
    await until(async () => (await remaining(rig!)) === 0, 5_000);
    const a = applied(sim.state());
    expect(a.sales.get('ON1')).toBe(1);
  });

  it('a row left in flight by a crash is checked with the target first: applied once, never twice', async () => {
    sim = await startSmaregi();
    rig = await outboxRig(sim.url, { start: false });
    const db = rig.engine.ctx.db;
    // Two interrupted sales: the first reached Smaregi before the crash, the second did not.
    const [reached, lost] = db.transaction(() => [enqueue(db, sale('CR1', '101')), enqueue(db, sale('CR2', '102'))])();
    const body = JSON.parse((db.prepare('SELECT payload FROM outbox WHERE id = ?').get(reached) as { payload: string }).payload).transaction;
    const token = await fetch(`${sim.url}/app/sb_sim0001/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('sim-client-id:sim-client-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=pos.transactions:write',
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const posted = await fetch(`${sim.url}/sb_sim0001/pos/transactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(posted.status).toBe(200);
    db.prepare("UPDATE outbox SET state = 'in_flight', attempts = 1").run();

    await rig.close({ keepDir: true });
    const dir = rig.dir;
    dirs.push(dir);
    rig = null;
    rig = await outboxRig(sim.url, { dir });
    await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    const a = applied(sim.state());
    expect(a.sales.get('CR1')).toBe(1);
    expect(a.sales.get('CR2')).toBe(1);
    const list = (await rig.call('outbox.list', { state: 'sent' })).items;
    expect(list.find((i: any) => i.id === reached).remoteRef).toBe(sim.state().transactions.find((t) => t.terminalTranId === 'CR1')!.transactionHeadId);
    expect(list.find((i: any) => i.id === lost).attempts).toBe(2);
  });

  it('a cancel whose answer was lost is not sent twice (Smaregi refuses a second cancel)', async () => {
    sim = await startSmaregi();
    rig = await outboxRig(sim.url);
    const s = sale('CX1', '103');
    rig.enqueueAll([s]);
    await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    const head = sim.state().transactions.find((t) => t.terminalTranId === 'CX1')!.transactionHeadId;
    const lookup = (s.payload as { lookup: Parameters<typeof smaregiCancelItem>[0] }).lookup;
    sim.addFault({ mode: 'reset', count: 1 }); // the cancel is applied, the answer is lost
    const [byId] = rig.enqueueAll([smaregiCancelItem(lookup, head)]);
    await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    expect((await rig.call('outbox.list', { state: 'sent' })).items.find((i: any) => i.id === byId)).toMatchObject({ remoteRef: head, attempts: 2 });

    // A cancel that must find the sale by our reference first.
    const s2 = sale('CX2', '104');
    const [, cancel2] = rig.enqueueAll([s2, smaregiCancelItem((s2.payload as { lookup: Parameters<typeof smaregiCancelItem>[0] }).lookup)]);
    await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    expect((await rig.call('outbox.list', { state: 'failed' })).total).toBe(0);
    const st = sim.state();
    expect(st.transactions.filter((t) => t.cancelDivision === '1').map((t) => t.terminalTranId).sort()).toEqual(['CX1', 'CX2']);
    expect((await rig.call('outbox.list', { state: 'sent' })).items.find((i: any) => i.id === cancel2).remoteRef).toBe(
      st.transactions.find((t) => t.terminalTranId === 'CX2')!.transactionHeadId,
    );
  });

  it('a full disk stops intake with a clear message; nothing queued is lost or sent twice; it resumes once space is back', async () => {
    sim = await startSmaregi();
    rig = await outboxRig(sim.url);
    const { db, intake } = rig.engine.ctx;
    // Queued; the drainer gets to it only after the synchronous burst below (the event loop is ours).
    const before = rig.enqueueAll(Array.from({ length: 20 }, (_, i) => stockAdd(String(101 + (i % 3)), 1)));
    // Freeze the file at its current size, then keep selling until SQLite says it is full.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    let refused: unknown = null;
    const accepted: string[] = [];
    for (let i = 0; i < 5_000 && !refused; i++) {
      try {
        accepted.push(intake.write(() => db.transaction(() => enqueue(db, sale(`D${i}`, '104', 1, i)))()));
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toBeInstanceOf(ContractError);
    expect((refused as ContractError).code).toBe('storage_full');
    expect((refused as ContractError).message).toMatch(/空き容量|full/);
    expect(intake.stopped()?.code).toBe('SQLITE_FULL');

    // The drainer cannot record what it sent: it stops safely and says why.
    await expect(rig.call('sync.now', { wait: true, timeoutMs: 3_000 })).rejects.toMatchObject({ code: 'storage_full' });
    const queued = before.length + accepted.length;
    expect((db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n).toBe(queued);
    expect((db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'").get() as { n: number }).n).toBeLessThan(queued);

    // Space is back.
    db.pragma('max_page_count = 1073741823');
    intake.clear();
    await until(async () => (await remaining(rig!)) === 0, 20_000);
    const a = applied(sim.state());
    for (const id of before) expect((a.memos.get('101') ?? []).concat(a.memos.get('102') ?? [], a.memos.get('103') ?? []).filter((m) => m === `rc:${id}`)).toHaveLength(1);
    for (let i = 0; i < accepted.length; i++) expect(a.sales.get(`D${i}`)).toBe(1);
    expect((await rig.call('outbox.list', { state: 'sent', limit: 1 })).total).toBe(queued);
  }, 40_000);
});
