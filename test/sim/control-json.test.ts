import { afterEach, expect, it } from 'vitest';
import { startGifteeSim } from '../../src/sim/giftee';

let close: (() => Promise<void>) | null = null;
afterEach(async () => close?.());

it('reads /__sim control bodies as JSON even when curl -d labels them as a form', async () => {
  const sim = await startGifteeSim({ tickets: [] });
  close = () => sim.close();
  const r = await fetch(`${sim.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '{"mode":"500","count":1}',
  });
  expect(r.ok).toBe(true);
  expect((await fetch(`${sim.url}/v1/health`)).status).toBe(500);
  expect((await fetch(`${sim.url}/v1/health`)).status).toBe(200);
  const bad = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'mode=500' });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toMatch(/not valid JSON/);
});
