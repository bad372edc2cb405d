import { afterEach, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { applied, outboxRig, sale, startSmaregi, stockAdd, stockSet, type Rig } from './fixtures';

let sim: SimServer<SmaregiState> | null = null;
let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  await sim?.close();
  rig = null;
  sim = null;
});

describe('outbox delivery to the Smaregi simulator', () => {
  it('delivers sales and stock changes, records remote refs and history', async () => {
    sim = await startSmaregi();
    rig = await outboxRig(sim.url);
    const ids = rig.enqueueAll([sale('T1', '101', 2), stockAdd('102', 5), stockSet('103', 42), sale('T2', '104')]);
    const p = await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
    expect(p.remaining).toBe(0);
    const list = await rig.call('outbox.list', { state: 'sent' });
    expect(list.total).toBe(4);
    const byId = new Map(list.items.map((i: any) => [i.id, i]));
    expect((byId.get(ids[0]) as any).remoteRef).toMatch(/^\d+$/);
    const st = sim.state();
    const a = applied(st);
    expect(a.sales.get('T1')).toBe(1);
    expect(a.sales.get('T2')).toBe(1);
    expect(a.memos.get('102')).toEqual([`rc:${ids[1]}`]);
    expect(st.stock.find((s) => s.productId === '103')?.stockAmount).toBe('42');
    expect(st.stock.find((s) => s.productId === '102')?.stockAmount).toBe('1005');
    const hist = await rig.call('sync.history', { direction: 'sent' });
    expect(hist.total).toBe(4);
    expect(hist.rows.every((r: any) => r.ok)).toBe(true);
  });
});
