import { afterEach, describe, expect, it } from 'vitest';
import type { FaultBody } from '../../src/sim/framework/faults';
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('flap test: the target alternates offline, 429, 500, timeouts, resets and bad JSON', () => {
  it('delivers everything once and in order; only the real 4xx fails', async () => {
    sim = await startSmaregi();
    rig = await outboxRig(sim.url, { start: false });
    const items = [];
    const products = ['101', '102', '103', '104'];
    for (let i = 0; i < 60; i++) {
      const p = products[i % products.length];
      if (i % 3 === 0) items.push(sale(`F${i}`, p, 1, i));
      else if (i % 7 === 0) items.push(stockSet(p, 700 + i));
      else items.push(stockAdd(p, (i % 5) - 2 || 3));
    }
    items.splice(20, 0, sale('POISON', '999')); // unknown product: Smaregi answers 400
    const ids = rig.enqueueAll(items);

    // Faults in bursts, with good stretches between them, while the outbox drains.
    const modes: FaultBody[] = [
      { mode: 'offline', count: 3 },
      { mode: '429', count: 2, retryAfter: 1 },
      { mode: '500', count: 3 },
      { mode: 'timeout', count: 2 },
      { mode: 'reset', count: 2 },
      { mode: 'badjson', count: 2 },
    ];
    await rig.outbox.start?.();
    for (let round = 0; round < 4; round++) {
      for (const f of modes) {
        sim.addFault(f);
        await sleep(120);
      }
    }
    sim.clearFaults();
    await rig.call('sync.now', { wait: true, timeoutMs: 15_000 });

    // Which request meets a fault above is up to timing (after a lost answer the next request is
    // often the check-read). So, once idle with a token in hand, lose the answers of writes for
    // sure: with nothing left to check, the next request is a change itself.
    const more = [sale('FW1', '101', 1, 70), stockAdd('102', 4), stockAdd('103', -1)];
    items.push(...more);
    ids.push(...rig.enqueueAll(more));
    for (const f of [{ mode: 'timeout' }, { mode: 'reset' }, { mode: 'badjson' }] as FaultBody[]) sim.addFault({ ...f, count: 1 });
    const p = await rig.call('sync.now', { wait: true, timeoutMs: 15_000 });

    // Every fault kind really happened, including those that applied the change and lost the answer.
    const log = sim.requests();
    for (const m of ['offline', '429', '500', 'timeout', 'reset', 'badjson']) expect(log.some((r) => r.fault === m)).toBe(true);
    expect(log.some((r) => r.applied && r.fault !== null && r.method !== 'GET')).toBe(true);

    // Only the poison item failed, with Smaregi's message; everything else was sent.
    const failed = await rig.call('outbox.list', { state: 'failed' });
    expect(failed.items.map((i: any) => i.id)).toEqual([ids[20]]);
    expect(failed.items[0].lastError).toContain('指定された商品IDのリソースが見つかりません');
    expect(p.remaining).toBe(0);
    const queued = (await rig.call('outbox.list', {})).total; // absolute values collapsed at enqueue
    expect(queued).toBeLessThan(items.length);
    expect((await rig.call('outbox.list', { state: 'sent', limit: 1000 })).total).toBe(queued - 1);

    // Exactly once: sales by our reference, stock changes by the memo carrying our outbox id.
    const st = sim.state();
    const a = applied(st);
    const rows = rig.engine.ctx.db.prepare('SELECT id, kind, payload FROM outbox ORDER BY seq').all() as Array<{ id: string; kind: string; payload: string }>;
    for (const r of rows) {
      const payload = JSON.parse(r.payload);
      if (r.kind === 'smaregi.transaction') {
        expect(a.sales.get(payload.lookup.terminalTranId) ?? 0, payload.lookup.terminalTranId).toBe(payload.lookup.terminalTranId === 'POISON' ? 0 : 1);
      } else if (r.kind === 'smaregi.stock.add') {
        expect((a.memos.get(payload.productId) ?? []).filter((m) => m === `rc:${r.id}`)).toHaveLength(1);
      }
    }
    // In order per product (a repeated absolute value is harmless and collapses).
    for (const prod of products) {
      const expected = rows.filter((r) => r.kind.startsWith('smaregi.stock') && JSON.parse(r.payload).productId === prod).map((r) => `rc:${r.id}`);
      const got = (a.memos.get(prod) ?? []).filter((m, i, all) => i === 0 || m !== all[i - 1]);
      expect(got).toEqual(expected);
    }
    // The monitor heard about the outages from real traffic.
    expect(rig.connectivity.reports.some(([, ok]) => !ok)).toBe(true);
  }, 40_000);
});
