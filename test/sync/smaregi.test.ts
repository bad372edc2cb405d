import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmaregiChannel } from '../../src/core/channels/smaregi';
import { createEngine, type Engine } from '../../src/core/engine';
import { createMemorySecretStore } from '../../src/core/secrets';
import { createInboundSync, listCursors, smaregiStockPoller, smaregiTransactionsPoller, type InboundSync } from '../../src/core/sync';
import { formatJst } from '../../src/core/sync/time';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { startSmaregiSim } from '../../src/sim/smaregi';
import { SEED, sale, smaregiSettings } from '../outbox/fixtures';

const DAY = 24 * 3600_000;
let sim: SimServer<SmaregiState> | null = null;
let engine: Engine | null = null;
let inbound: InboundSync | null = null;
let dir: string | null = null;
afterEach(async () => {
  await inbound?.stop?.();
  await engine?.stop();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = engine = inbound = dir = null;
});

/** Sales spread over the last 40 days, so a first poll needs two 31-day windows. */
function pastSales(n: number) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const at = formatJst(now - 40 * DAY + i * Math.floor((38 * DAY) / n));
    return {
      transactionHeadId: String(9000 + i),
      transactionDateTime: at,
      updDateTime: at,
      storeId: '1',
      terminalId: '3',
      terminalTranId: `P${i}`,
      terminalTranDateTime: at,
      subtotal: '500',
      total: '500',
      details: [{ transactionDetailId: '1', productId: '101', salesPrice: '500', quantity: '1' }],
    };
  });
}

async function open(d: string, url: string) {
  const e = await createEngine({ dataDir: d, demo: 'off', secrets: createMemorySecretStore(), background: false });
  await e.call('settings.update', smaregiSettings(url));
  const channel = createSmaregiChannel(e.ctx);
  const cfg = () => e.ctx.smaregiConfig();
  const opts = { pageLimit: 2, initialLookbackMs: 60 * DAY, overlapMs: 60_000, settleMs: 5_000 };
  const sync = createInboundSync(e.ctx, { pollers: [smaregiTransactionsPoller(channel.client, cfg, opts), smaregiStockPoller(channel.client, cfg, opts)] });
  return { e, sync, channel };
}

const received = (e: Engine, kind: string) =>
  (e.ctx.db.prepare("SELECT id FROM sync_history WHERE direction = 'received' AND kind = ?").all(kind) as Array<{ id: string }>).map((r) => r.id);

describe('inbound polling of Smaregi', () => {
  it('reads transactions in ≤ 31-day windows with paging, keeps the cursor, resumes after a restart without gaps or repeats', async () => {
    sim = await startSmaregiSim({ ...SEED, transactions: pastSales(7) });
    dir = mkdtempSync(join(tmpdir(), 'rc-'));
    let o = await open(dir, sim.url);
    engine = o.e;
    inbound = o.sync;
    const first = await inbound.pollNow();
    expect(first.find((r) => r.poller === 'smaregi.transactions')).toEqual({ poller: 'smaregi.transactions', received: 7, error: null });
    expect(received(engine, 'smaregi.transaction')).toHaveLength(7);
    const cursors = listCursors(engine.ctx.db);
    expect(cursors.map((c) => c.name)).toEqual(['smaregi.stock.updDateTime', 'smaregi.transactions.updDateTime']);

    // Every list request stayed inside Smaregi's rules (the simulator would answer 400 otherwise).
    const gets = sim.requests().filter((r) => r.method === 'GET' && r.path.endsWith('/transactions'));
    expect(gets.length).toBeGreaterThan(4); // two windows, pages of 2
    for (const g of gets) {
      const from = Date.parse(String(g.query['upd_date_time-from']));
      const to = Date.parse(String(g.query['upd_date_time-to']));
      expect(to - from).toBeLessThanOrEqual(31 * DAY);
      expect(Number(g.query.limit)).toBeLessThanOrEqual(1000);
      expect(String(g.query.sort).startsWith('updDateTime')).toBe(true);
      expect(g.status).toBe(200);
    }

    // Restart; meanwhile two new sales arrive (one of them also changes stock).
    await inbound.stop?.();
    await engine.stop();
    o = await open(dir, sim.url);
    engine = o.e;
    inbound = o.sync;
    for (const [i, item] of [sale('NEW1', '101'), sale('NEW2', '102')].entries()) {
      await o.channel.deliver!({ id: `x${i}`, kind: item.kind, orderingKey: item.orderingKey, payload: item.payload, attempt: 1, maybeApplied: false });
    }
    const second = await inbound.pollNow();
    expect(second.find((r) => r.poller === 'smaregi.transactions')?.received).toBe(2);
    expect(second.find((r) => r.poller === 'smaregi.stock')?.received).toBe(2);
    expect(received(engine, 'smaregi.transaction')).toHaveLength(9);
    // And again: nothing new, nothing repeated (the overlap is re-read but recognised).
    const third = await inbound.pollNow();
    expect(third.every((r) => r.received === 0 && r.error === null)).toBe(true);
    const hist = await engine.call('sync.history', { direction: 'received', text: 'NEW1' });
    expect(hist.total).toBe(1);
    expect(hist.rows[0].payload).toMatchObject({ terminalTranId: 'NEW1' });
  });

  it('a failed poll leaves the cursor where it was and reports the error', async () => {
    sim = await startSmaregiSim({ ...SEED, transactions: pastSales(3) });
    dir = mkdtempSync(join(tmpdir(), 'rc-'));
    const o = await open(dir, sim.url);
    engine = o.e;
    inbound = o.sync;
    sim.addFault({ mode: '500', count: 50 });
    const r = await inbound.pollNow();
    expect(r.every((x) => x.error !== null && x.received === 0)).toBe(true);
    expect(listCursors(engine.ctx.db)).toEqual([]);
    sim.clearFaults();
    expect((await inbound.pollNow()).find((x) => x.poller === 'smaregi.transactions')?.received).toBe(3);
  });
});
