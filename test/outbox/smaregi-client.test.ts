import { afterEach, describe, expect, it } from 'vitest';
import { createSmaregiClient } from '../../src/core/channels/smaregi';
import type { SmaregiConfig } from '../../src/core/context';
import { SIM_CREDENTIALS } from '../../src/sim/credentials';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { startSmaregi } from './fixtures';

/* The Smaregi client's token: one client-credentials request however many calls need it at once. */

let sim: SimServer<SmaregiState> | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const config = (url: string): SmaregiConfig => ({
  idBaseUrl: url,
  apiBaseUrl: url,
  contractId: SIM_CREDENTIALS.smaregi.contractId,
  clientId: SIM_CREDENTIALS.smaregi.clientId,
  clientSecret: async () => SIM_CREDENTIALS.smaregi.clientSecret,
  storeId: '1',
  terminalId: '1',
});

/** The simulator's own request log, read over HTTP as an outside observer would. */
async function simLog(url: string): Promise<Array<{ method: string; path: string; status: number | null }>> {
  return (await fetch(`${url}/__sim/requests`)).json() as Promise<Array<{ method: string; path: string; status: number | null }>>;
}
const tokenPath = `/app/${SIM_CREDENTIALS.smaregi.contractId}/token`;
const tokenRequests = (log: Array<{ method: string; path: string }>) => log.filter((r) => r.method === 'POST' && r.path === tokenPath);

describe('Smaregi client token', () => {
  it('concurrent first calls share one token request', async () => {
    sim = await startSmaregi();
    const client = createSmaregiClient(() => config(sim!.url));
    const answers = await Promise.all(Array.from({ length: 6 }, () => client.request<unknown[]>('GET', '/stores', { query: { limit: 1 } })));
    expect(answers.every((a) => Array.isArray(a) && a.length === 1)).toBe(true);
    const log = await simLog(sim.url);
    expect(tokenRequests(log)).toHaveLength(1);
    expect(log.filter((r) => r.method === 'GET' && r.path.endsWith('/pos/stores'))).toHaveLength(6);

    // Cached afterwards: later calls ask for no token at all.
    await Promise.all([client.request('GET', '/stores'), client.request('GET', '/products')]);
    expect(tokenRequests(await simLog(sim.url))).toHaveLength(1);
  });

  it('calls refused with 401 at once (token expired on the server) share one renewal, then succeed', async () => {
    sim = await startSmaregi();
    const client = createSmaregiClient(() => config(sim!.url));
    await client.request('GET', '/stores');
    // The server's clock passes the token's lifetime; the client still holds it as valid.
    sim.advanceClock(3 * 3600);
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.request<unknown[]>('GET', '/stores')));
    expect(answers.every((a) => Array.isArray(a))).toBe(true);
    const log = await simLog(sim.url);
    expect(log.filter((r) => r.path.endsWith('/pos/stores') && r.status === 401)).toHaveLength(5);
    expect(tokenRequests(log)).toHaveLength(2);
  });

  it('a failed token request is not cached: the next call asks again', async () => {
    sim = await startSmaregi();
    const client = createSmaregiClient(() => config(sim!.url));
    sim.addFault({ mode: '500', count: 1 }); // the token request itself fails
    const first = await Promise.allSettled([client.request('GET', '/stores'), client.request('GET', '/stores')]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(tokenRequests(await simLog(sim.url))).toHaveLength(1);
    await expect(client.request('GET', '/stores')).resolves.toBeTruthy();
    expect(tokenRequests(await simLog(sim.url))).toHaveLength(2);
  });
});
