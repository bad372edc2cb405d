import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallError, type EventEnvelope, type ReplyEnvelope, type RequestEnvelope } from '../../src/shared/contract';
import { ApiError, createApi, fieldIssues } from '../../src/renderer/api/client';
import type { RawTransport } from '../../src/renderer/api/types';
import { createWsTransport, socketUrlFor, type SocketLike } from '../../src/renderer/api/ws';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: any[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
}

describe('WebSocket transport', () => {
  let sockets: FakeSocket[];
  const make = (opts: Partial<Parameters<typeof createWsTransport>[0]> = {}) =>
    createWsTransport({
      url: 'ws://127.0.0.1:1/ws?token=t',
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      random: () => 0.5,
      ...opts,
    });
  const req = (id: string, method = 'status.get', params: unknown = {}): RequestEnvelope => ({ kind: 'request', id, method, params });

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
  });
  afterEach(() => vi.useRealTimers());

  it('builds the socket URL from the page URL and its token', () => {
    expect(socketUrlFor({ protocol: 'http:', host: '127.0.0.1:5555', search: '?token=a+b/c' })).toBe('ws://127.0.0.1:5555/ws?token=a%20b%2Fc');
    expect(socketUrlFor({ protocol: 'http:', host: 'localhost:1', search: '' })).toBe('ws://localhost:1/ws?token=');
  });

  it('waits for the socket, then sends, and routes the reply by id', async () => {
    const t = make();
    const p = t.invoke(req('1'));
    expect(t.state).toBe('connecting');
    sockets[0].open();
    expect(sockets[0].sent).toEqual([req('1')]);
    sockets[0].receive({ kind: 'reply', id: '1', ok: true, result: { x: 1 } });
    await expect(p).resolves.toEqual({ kind: 'reply', id: '1', ok: true, result: { x: 1 } });
  });

  it('fails calls in flight at once when the socket drops, and reconnects with backoff', async () => {
    const t = make({ initialBackoffMs: 100, maxBackoffMs: 1000 });
    const states: string[] = [];
    t.onState((s, a) => states.push(`${s}:${a}`));
    sockets[0].open();
    const p = t.invoke(req('1', 'redemption.redeem'));
    sockets[0].drop();
    await expect(p).rejects.toMatchObject({ code: 'engine_unavailable', message: expect.stringContaining('outcome is unknown') });
    expect(t.state).toBe('reconnecting');

    await vi.advanceTimersByTimeAsync(99);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    sockets[1].drop();
    await vi.advanceTimersByTimeAsync(199);
    expect(sockets).toHaveLength(2); // second delay doubles
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    sockets[2].open();
    expect(states).toEqual(['open:0', 'reconnecting:1', 'reconnecting:2', 'open:0']);
  });

  it('caps the backoff', async () => {
    make({ initialBackoffMs: 100, maxBackoffMs: 300 });
    for (let i = 0; i < 6; i++) {
      sockets.at(-1)!.drop();
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(sockets).toHaveLength(7);
  });

  it('a call made while down waits for the reconnect, or fails after connectWaitMs', async () => {
    const t = make({ initialBackoffMs: 100, connectWaitMs: 1000 });
    sockets[0].open();
    sockets[0].drop();
    const late = t.invoke(req('a'));
    await vi.advanceTimersByTimeAsync(100);
    sockets[1].open();
    expect(sockets[1].sent).toEqual([req('a')]);
    sockets[1].receive({ kind: 'reply', id: 'a', ok: true, result: 1 });
    await expect(late).resolves.toMatchObject({ ok: true });

    sockets[1].drop();
    const lost = t.invoke(req('b'));
    const check = expect(lost).rejects.toMatchObject({ code: 'engine_unavailable' });
    await vi.advanceTimersByTimeAsync(1000);
    await check;
  });

  it('times out a call with no answer', async () => {
    const t = make({ callTimeoutMs: 500 });
    sockets[0].open();
    const p = t.invoke(req('1'));
    const check = expect(p).rejects.toBeInstanceOf(CallError);
    await vi.advanceTimersByTimeAsync(500);
    await check;
  });

  it('delivers events, drops junk', () => {
    const t = make();
    const got: EventEnvelope[] = [];
    t.subscribe((e) => got.push(e));
    sockets[0].open();
    sockets[0].receive('not json');
    sockets[0].receive({ kind: 'nonsense' });
    sockets[0].receive({ kind: 'reply', id: 'unknown', ok: true, result: 1 });
    sockets[0].receive({ kind: 'event', event: 'status', data: { a: 1 } });
    expect(got).toEqual([{ kind: 'event', event: 'status', data: { a: 1 } }]);
  });

  it('close() stops reconnecting and fails what waits', async () => {
    const t = make({ initialBackoffMs: 10 });
    const p = t.invoke(req('1'));
    t.close();
    await expect(p).rejects.toMatchObject({ code: 'engine_unavailable' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(1);
  });
});

describe('validated API', () => {
  function fakeRaw(reply: (r: RequestEnvelope) => unknown) {
    const listeners = new Set<(e: EventEnvelope) => void>();
    const sent: RequestEnvelope[] = [];
    const raw: RawTransport = {
      invoke: async (r) => {
        sent.push(r);
        return reply(r) as ReplyEnvelope;
      },
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    return { raw, sent, emit: (e: EventEnvelope) => listeners.forEach((l) => l(e)) };
  }

  it('refuses invalid params before sending, with field issues', async () => {
    const f = fakeRaw(() => ({}));
    const api = createApi(f.raw);
    const err = await api.call('settings.update', { smaregi: { apiBaseUrl: 'not a url' } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('invalid_params');
    expect(fieldIssues(err).map((i) => i.path)).toEqual(['smaregi.apiBaseUrl']);
    expect(f.sent).toHaveLength(0);
  });

  it('sends the parsed params (defaults filled in)', async () => {
    const f = fakeRaw((r) => ({ kind: 'reply', id: r.id, ok: true, result: [] }));
    await createApi(f.raw).call('redemption.recent', {});
    expect(f.sent[0]).toMatchObject({ kind: 'request', method: 'redemption.recent', params: { limit: 10 } });
  });

  it('turns an error reply into an ApiError with code and details', async () => {
    const f = fakeRaw((r) => ({ kind: 'reply', id: r.id, ok: false, error: { code: 'not_found', message: 'gone', details: { issues: [{ path: ['x'], message: 'bad' }] } } }));
    const err = await createApi(f.raw).call('redemption.void', { redemptionId: 'r' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'not_found', message: 'gone' });
    expect(fieldIssues(err)).toEqual([{ path: 'x', message: 'bad' }]);
  });

  it('rejects a result that does not match the contract', async () => {
    const f = fakeRaw((r) => ({ kind: 'reply', id: r.id, ok: true, result: { total: 'many' } }));
    await expect(createApi(f.raw).call('redemption.log', {})).rejects.toMatchObject({ code: 'bad_message' });
  });

  it('reports every call to the observer', async () => {
    const f = fakeRaw((r) => (r.method === 'status.get' ? Promise.reject(new Error('boom')) : { kind: 'reply', id: r.id, ok: true, result: [] }));
    const seen: string[] = [];
    const api = createApi(f.raw, { onCall: (m, e) => seen.push(`${m}:${e?.code ?? 'ok'}`) });
    await api.call('redemption.recent', {});
    await api.call('status.get', {}).catch(() => undefined);
    expect(seen).toEqual(['redemption.recent:ok', 'status.get:engine_unavailable']);
  });

  it('validates events and drops invalid ones', () => {
    const f = fakeRaw(() => ({}));
    const api = createApi(f.raw);
    const got: unknown[] = [];
    const off = api.on('scan.received', (d) => got.push(d));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    f.emit({ kind: 'event', event: 'scan.received', data: { raw: '123', source: 'hid-pos' } });
    f.emit({ kind: 'event', event: 'scan.received', data: { raw: 5 } });
    f.emit({ kind: 'event', event: 'no.such.event', data: {} });
    off();
    f.emit({ kind: 'event', event: 'scan.received', data: { raw: '456', source: 'hid-pos' } });
    warn.mockRestore();
    expect(got).toEqual([{ raw: '123', source: 'hid-pos' }]);
  });
});
