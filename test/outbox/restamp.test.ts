import { afterEach, expect, it } from 'vitest';
import { restampSmaregiPayload, SMAREGI_KINDS } from '../../src/core/channels/smaregi';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { outboxRig, sale, smaregiSettings, startSmaregi, stockSet, type Rig } from './fixtures';

let sim: SimServer<SmaregiState> | null = null;
let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  await sim?.close();
  rig = sim = null;
});

it('renews only the store id of sales and cancels, and only when it changed', () => {
  const s = sale('R1', '101').payload as { transaction: Record<string, unknown>; lookup: Record<string, unknown> };
  const bad = { transaction: { ...s.transaction, storeId: '99' }, lookup: { ...s.lookup, storeId: '99' } };
  const fixed = restampSmaregiPayload(SMAREGI_KINDS.transaction, bad, '1') as typeof bad;
  expect(fixed.transaction.storeId).toBe('1');
  expect(fixed.lookup).toEqual({ ...bad.lookup, storeId: '1' });
  expect((fixed.lookup as Record<string, unknown>).terminalTranId).toBe('R1');
  expect(restampSmaregiPayload(SMAREGI_KINDS.transaction, s, '1')).toBeNull();
  expect(restampSmaregiPayload(SMAREGI_KINDS.stockSet, { storeId: '99', productId: '1', stockAmount: '1' }, '1')).toBeNull();
});

it('a sale refused for a wrong store id is delivered to the fixed store after resend, once', async () => {
  sim = await startSmaregi();
  rig = await outboxRig(sim.url);
  await rig.engine.call('settings.update', { smaregi: { storeId: '99' } });
  const item = sale('STORE1', '101');
  const p = item.payload as { transaction: Record<string, unknown>; lookup: Record<string, unknown> };
  p.transaction.storeId = '99';
  p.lookup.storeId = '99';
  const [id, other] = rig.enqueueAll([item, stockSet('102', 4)]);
  await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
  const failed = await rig.call('outbox.list', { state: 'failed' });
  expect(failed.items.map((i: any) => i.id)).toEqual([id]);
  expect(failed.items[0].lastError).toMatch(/^Smaregi 400/);

  // Resend before the fix: still refused, nothing applied.
  await rig.call('outbox.resend', { ids: [id] });
  await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
  expect((await rig.call('outbox.list', { state: 'failed' })).items.map((i: any) => i.id)).toEqual([id]);

  await rig.engine.call('settings.update', { smaregi: { storeId: smaregiSettings(sim.url).smaregi.storeId } });
  expect(await rig.call('outbox.resend', { allFailed: true, target: 'smaregi' })).toEqual({ requeued: 1 });
  await rig.call('sync.now', { wait: true, timeoutMs: 10_000 });
  const all = (await rig.call('outbox.list', { limit: 10 })).items;
  expect(all.find((i: any) => i.id === id)).toMatchObject({ state: 'sent' });
  expect(all.find((i: any) => i.id === other)).toMatchObject({ state: 'sent' });
  const made = sim.state().transactions.filter((t) => t.terminalTranId === 'STORE1');
  expect(made).toHaveLength(1);
  expect(made[0].storeId).toBe('1');
});
