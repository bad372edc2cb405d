import { afterEach, describe, expect, it } from 'vitest';
import { createSimServer, type SimServer } from '../../src/sim/framework/server';
import type { ErrorStyle } from '../../src/sim/framework/types';
import { json, post } from './helpers';

/* The shared framework, exercised through a tiny counter system. */

interface Counter {
  count: number;
}

const errorStyle: ErrorStyle = (status, kind, message) => ({ status, body: { kind, message } });

let server: SimServer<Counter> | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(): Promise<SimServer<Counter>> {
  server = await createSimServer<Counter>({
    name: 'counter',
    seed: { count: 0 },
    errorStyle,
    routes: [
      { method: 'GET', path: '/count', handler: (_r, { state }) => ({ status: 200, body: { count: state.count } }) },
      {
        method: 'POST',
        path: '/count',
        handler: (req, { state }) => {
          state.count += 1;
          return { status: 201, body: { count: state.count, got: req.body ?? null } };
        },
      },
      { method: 'GET', path: '/items/:id', handler: (req) => ({ status: 200, body: { id: req.params.id } }) },
      {
        method: 'GET',
        path: '/boom',
        handler: () => {
          throw new Error('kaput');
        },
      },
    ],
  });
  return server;
}

const fault = (base: string, body: unknown) => post(`${base}/__sim/faults`, body);
const count = async (s: SimServer<Counter>) => s.state().count;

describe('sim framework: basics', () => {
  it('listens on 127.0.0.1 with a random port, routes, params, 404 and 405 in the system style', async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await json(await fetch(`${s.url}/items/a%20b`))).toEqual({ id: 'a b' });
    const nf = await fetch(`${s.url}/nope`);
    expect(nf.status).toBe(404);
    expect((await json(nf)).kind).toBe('not_found');
    const na = await fetch(`${s.url}/items/1`, { method: 'DELETE' });
    expect(na.status).toBe(405);
    expect(na.headers.get('allow')).toBe('GET');
  });

  it('answers 400 to malformed JSON and 500 to a handler error, and keeps running', async () => {
    const s = await start();
    const bad = await fetch(`${s.url}/count`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).kind).toBe('bad_json');
    expect(await count(s)).toBe(0);
    const boom = await fetch(`${s.url}/boom`);
    expect(boom.status).toBe(500);
    expect((await fetch(`${s.url}/count`)).status).toBe(200);
  });

  it('logs every request with lower-case headers, parsed bodies and outcome; DELETE clears the log', async () => {
    const s = await start();
    await post(`${s.url}/count?x=1&x=2`, { a: 1 }, { Authorization: 'Bearer t', 'Idempotency-Key': 'key-12345' });
    await fetch(`${s.url}/count`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=a+b',
    });
    await fetch(`${s.url}/count`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    const log = await json(await fetch(`${s.url}/__sim/requests`));
    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({
      seq: 1,
      method: 'POST',
      path: '/count',
      query: { x: ['1', '2'] },
      body: { a: 1 },
      status: 201,
      fault: null,
      applied: true,
    });
    expect(log[0].headers.authorization).toBe('Bearer t');
    expect(log[0].headers['idempotency-key']).toBe('key-12345');
    expect(log[1].body).toEqual({ grant_type: 'client_credentials', scope: 'a b' });
    expect(log[2].body).toBe('hello');
    expect((await fetch(`${s.url}/__sim/requests`, { method: 'DELETE' })).status).toBe(200);
    expect(await json(await fetch(`${s.url}/__sim/requests`))).toEqual([]);
  });

  it('GET /__sim/state returns the data; POST /__sim/reset returns to the seed', async () => {
    const s = await start();
    await post(`${s.url}/count`);
    expect(await json(await fetch(`${s.url}/__sim/state`))).toEqual({ count: 1 });
    await post(`${s.url}/__sim/reset`);
    expect(await json(await fetch(`${s.url}/__sim/state`))).toEqual({ count: 0 });
  });

  it('unknown /__sim endpoints are 404, and close() can be called twice', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/__sim/nothing`)).status).toBe(404);
    await s.close();
    await s.close();
  });
});

describe('sim framework: faults', () => {
  it('offline: no answer, not applied, logged', async () => {
    const s = await start();
    await fault(s.url, { mode: 'offline', count: 1 });
    await expect(post(`${s.url}/count`)).rejects.toThrow();
    expect(await count(s)).toBe(0);
    const ok = await post(`${s.url}/count`);
    expect(ok.status).toBe(201);
    const log = await json(await fetch(`${s.url}/__sim/requests`));
    expect(log.map((e: any) => [e.fault, e.status, e.applied])).toEqual([
      ['offline', null, false],
      [null, 201, true],
    ]);
  });

  it('429: not applied, Retry-After from the fault (default 1)', async () => {
    const s = await start();
    await fault(s.url, { mode: '429', count: 1, retryAfter: 7 });
    await fault(s.url, { mode: '429', count: 1 });
    const a = await post(`${s.url}/count`);
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('7');
    expect((await json(a)).kind).toBe('rate_limited');
    const b = await post(`${s.url}/count`);
    expect(b.headers.get('retry-after')).toBe('1');
    expect(await count(s)).toBe(0);
  });

  it('500: not applied, error in the system style', async () => {
    const s = await start();
    await fault(s.url, { mode: '500', count: 1 });
    const r = await post(`${s.url}/count`);
    expect(r.status).toBe(500);
    expect((await json(r)).kind).toBe('server_error');
    expect(await count(s)).toBe(0);
  });

  it('timeout: applied but unanswered until the client gives up; "applied": false is not applied', async () => {
    const s = await start();
    await fault(s.url, { mode: 'timeout', count: 1 });
    const t0 = Date.now();
    await expect(
      fetch(`${s.url}/count`, { method: 'POST', signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await count(s)).toBe(1);
    await fault(s.url, { mode: 'timeout', count: 1, applied: false });
    await expect(fetch(`${s.url}/count`, { method: 'POST', signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(await count(s)).toBe(1);
    const log = await json(await fetch(`${s.url}/__sim/requests`));
    expect(log.map((e: any) => [e.fault, e.status, e.applied])).toEqual([
      ['timeout', null, true],
      ['timeout', null, false],
    ]);
  });

  it('close() does not wait for a held (timeout) request', async () => {
    const s = await start();
    await fault(s.url, { mode: 'timeout' });
    const pending = fetch(`${s.url}/count`, { method: 'POST' }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await s.close();
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('reset: applied, then the connection is reset; "applied": false is not applied', async () => {
    const s = await start();
    await fault(s.url, { mode: 'reset', count: 1 });
    await expect(post(`${s.url}/count`)).rejects.toThrow();
    expect(await count(s)).toBe(1);
    await fault(s.url, { mode: 'reset', count: 1, applied: false });
    await expect(post(`${s.url}/count`)).rejects.toThrow();
    expect(await count(s)).toBe(1);
  });

  it('badjson: applied, then 200 with a body that is not JSON', async () => {
    const s = await start();
    await fault(s.url, { mode: 'badjson', count: 1 });
    const r = await post(`${s.url}/count`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    const text = await r.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(await count(s)).toBe(1);
  });

  it('count covers exactly N requests; faults queue in order; no count lasts until cleared', async () => {
    const s = await start();
    await fault(s.url, { mode: '500', count: 2 });
    await fault(s.url, { mode: '429', count: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${s.url}/count`)).status);
    expect(statuses).toEqual([500, 500, 429, 200]);

    await fault(s.url, { mode: '500' });
    for (let i = 0; i < 3; i++) expect((await fetch(`${s.url}/count`)).status).toBe(500);
    const listed = await json(await fetch(`${s.url}/__sim/faults`));
    expect(listed).toEqual([{ mode: '500', remaining: null, retryAfter: 1, applied: false }]);
    await fetch(`${s.url}/__sim/faults`, { method: 'DELETE' });
    expect((await fetch(`${s.url}/count`)).status).toBe(200);
  });

  it('/__sim endpoints are never faulted and do not use up a fault', async () => {
    const s = await start();
    await fault(s.url, { mode: 'offline', count: 1 });
    expect((await fetch(`${s.url}/__sim/state`)).status).toBe(200);
    expect((await fetch(`${s.url}/__sim/requests`)).status).toBe(200);
    expect((await fetch(`${s.url}/__sim/faults`)).status).toBe(200);
    await expect(fetch(`${s.url}/count`)).rejects.toThrow();
    expect((await fetch(`${s.url}/count`)).status).toBe(200);
  });

  it('bad fault bodies are 400 with a clear message', async () => {
    const s = await start();
    const cases: Array<[unknown, string]> = [
      [{ mode: 'flaky' }, 'mode must be one of'],
      [{ mode: '500', count: 0 }, 'count'],
      [{ mode: '500', count: 1.5 }, 'count'],
      [{ mode: 'offline', applied: true }, 'never applies'],
      [{ mode: '500', retryAfter: 3 }, 'retryAfter'],
      [{ mode: '500', colour: 'red' }, 'colour'],
      [{}, 'mode'],
    ];
    for (const [body, message] of cases) {
      const r = await fault(s.url, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((await json(r)).error).toContain(message);
    }
    const broken = await fetch(`${s.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(broken.status).toBe(400);
    expect(await json(await fetch(`${s.url}/__sim/faults`))).toEqual([]);
  });
});

describe('sim framework: config and clock', () => {
  it('rate limit: excess requests get 429 with Retry-After; null removes it', async () => {
    const s = await start();
    const set = await post(`${s.url}/__sim/config`, { rateLimitPerSec: 3 });
    expect(await json(set)).toEqual({ rateLimitPerSec: 3, latencyMs: 0 });
    const statuses = await Promise.all(Array.from({ length: 6 }, () => fetch(`${s.url}/count`).then((r) => r)));
    const codes = statuses.map((r) => r.status).sort();
    // Burst = 3; a slow machine may refill one more token while the six are in flight.
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(3);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(1);
    const limited = statuses.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${s.url}/__sim/state`)).status).toBe(200);
    await post(`${s.url}/__sim/config`, { rateLimitPerSec: null });
    for (let i = 0; i < 5; i++) expect((await fetch(`${s.url}/count`)).status).toBe(200);
    expect(await json(await fetch(`${s.url}/__sim/config`))).toEqual({ rateLimitPerSec: null, latencyMs: 0 });
  });

  it('latency delays system answers but not /__sim', async () => {
    const s = await start();
    await post(`${s.url}/__sim/config`, { latencyMs: 400 });
    let t0 = Date.now();
    await fetch(`${s.url}/count`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    t0 = Date.now();
    await fetch(`${s.url}/__sim/state`);
    expect(Date.now() - t0).toBeLessThan(300);
  });

  it('bad config and clock bodies are 400', async () => {
    const s = await start();
    expect((await post(`${s.url}/__sim/config`, { rateLimitPerSec: -1 })).status).toBe(400);
    expect((await post(`${s.url}/__sim/config`, { latencyMs: 'slow' })).status).toBe(400);
    expect((await post(`${s.url}/__sim/clock`, {})).status).toBe(400);
    const c = await json(await post(`${s.url}/__sim/clock`, { advanceSeconds: 3600 }));
    expect(c.offsetSeconds).toBe(3600);
  });
});
