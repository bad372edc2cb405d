import { afterEach, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { applied, outboxRig, sale, smaregiSettings, startSmaregi, stockAdd, stockSet, type Rig } from './fixtures';

let sim: SimServer<SmaregiState> | null = null;
let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  await sim?.close();
  rig = null;
  sim = null;
});

describe('a permanently failing item', () => {
  it('blocks only its own lane, is listed with the target message, and resend puts it back in its place', async () => {
    sim = await startSmaregi();
    rig = await outboxRig(sim.url);
    // 101's first change would leave the stock beyond Smaregi's limit: a 400.
    const [poison, behind, other1, other2] = rig.enqueueAll([
      stockAdd('101', 1_999_999_990),
      stockAdd('101', 1),
      stockAdd('102', 2),
      sale('OK1', '103'),
    ]);
    let p = await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    const failed = await rig.call('outbox.list', { state: 'failed' });
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ id: poison, state: 'failed', attempts: 1 });
    expect(failed.items[0].lastError).toMatch(/^Smaregi 400.*範囲/);
    // The row behind it in the same lane waits (never overtakes); other lanes went on.
    const byId = async (id: string) => (await rig!.call('outbox.list', { limit: 100 })).items.find((i: any) => i.id === id);
    expect((await byId(behind)).state).toBe('pending');
    expect((await byId(other1)).state).toBe('sent');
    expect((await byId(other2)).state).toBe('sent');
    expect(p.perTarget[0]).toMatchObject({ target: 'smaregi', failed: 1, pending: 1, sent: 2 });
    const hist = await rig.call('sync.history', { text: poison });
    expect(hist.rows[0]).toMatchObject({ ok: false, outboxId: poison });

    // Resend without a fix: it is tried again first, fails again, and still holds its lane.
    expect(await rig.call('outbox.resend', { ids: [poison] })).toEqual({ requeued: 1 });
    p = await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    expect((await byId(poison))).toMatchObject({ state: 'failed', attempts: 2 });
    expect((await byId(behind)).state).toBe('pending');
    expect(applied(sim.state()).memos.get('101')).toBeUndefined();
  });

  it('wrong credentials fail (not loop) with a settings message; after fixing them, resend delivers everything in order', async () => {
    sim = await startSmaregi();
    rig = await outboxRig(sim.url);
    await rig.engine.call('settings.update', { smaregi: { ...smaregiSettings(sim.url).smaregi, clientId: 'not-the-client' } });
    const ids = rig.enqueueAll([stockSet('104', 10), stockAdd('104', 5), stockAdd('104', -3), sale('AUTH1', '105')]);
    await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    const failed = await rig.call('outbox.list', { state: 'failed' });
    // Each lane's head failed; the rest of lane 104 waits behind it.
    expect(failed.items.map((i: any) => i.id)).toEqual([ids[0], ids[3]]);
    expect(failed.items[0].lastError).toMatch(/401.*(認証|credentials)/s);
    expect(sim.state().transactions.some((t) => t.terminalTranId === 'AUTH1')).toBe(false);

    await rig.engine.call('settings.update', smaregiSettings(sim.url));
    expect(await rig.call('outbox.resend', { allFailed: true })).toEqual({ requeued: 2 });
    const p = await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    expect(p.remaining).toBe(0);
    expect((await rig.call('outbox.list', { state: 'sent' })).total).toBe(4);
    const st = sim.state();
    expect(applied(st).memos.get('104')).toEqual(ids.slice(0, 3).map((id) => `rc:${id}`));
    expect(st.stock.find((s) => s.productId === '104')?.stockAmount).toBe('12');
    expect(applied(st).sales.get('AUTH1')).toBe(1);
  });
});
