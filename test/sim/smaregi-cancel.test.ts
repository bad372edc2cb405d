import { afterEach, expect, it } from 'vitest';
import { DEMO_SEED } from '../../src/sim/seed';
import { startSmaregiSim } from '../../src/sim/smaregi';
import { getToken, saleBody, smaregiClient } from './helpers';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

it('cancels a sale once, brings its stock back, and refuses a second cancel', async () => {
  const sim = await startSmaregiSim(DEMO_SEED.smaregi!);
  close = () => sim.close();
  const api = smaregiClient(sim.url, await getToken(sim.url));
  const stockOf = async () => Number((await api('/stock', { query: { store_id: '1', product_id: '1001' } })).body[0]?.stockAmount ?? 0);
  const before = await stockOf();
  const sale = await api('/transactions', { method: 'POST', body: saleBody() });
  expect(sale.status).toBe(200);
  expect(await stockOf()).toBe(before - 2);

  const id = sale.body.transactionHeadId;
  const cancelled = await api(`/transactions/${id}/cancel`, { method: 'POST' });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.cancelDivision).toBe('1');
  expect(await stockOf()).toBe(before);

  const again = await api(`/transactions/${id}/cancel`, { method: 'POST' });
  expect(again.status).toBe(400);
  expect(again.body.detail).toMatch(/取消済み/);
  expect((await api('/transactions/999999/cancel', { method: 'POST' })).status).toBe(404);
});
