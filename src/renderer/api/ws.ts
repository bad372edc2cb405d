import { CallError, EngineMessageSchema, type EventEnvelope, type ReplyEnvelope, type RequestEnvelope } from '../../shared/contract';
import type { RawTransport, SocketState } from './types';

/** The part of the browser's WebSocket this client uses (a fake one is injected in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface WsTransportOptions {
  url: string;
  createSocket?: SocketFactory;
  /** First reconnect delay; doubles up to maxBackoffMs, with ±25 % jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a call made while the socket is down waits for it to come back before failing. */
  connectWaitMs?: number;
  /** How long a sent call waits for its reply (calls that carry `timeoutMs` get that plus this). */
  callTimeoutMs?: number;
  random?: () => number;
}

export interface WsTransport extends RawTransport {
  readonly state: SocketState;
  /** Reconnect attempts since the socket was last open (0 while open). */
  readonly attempt: number;
  onState(listener: (state: SocketState, attempt: number) => void): () => void;
  close(): void;
}

interface Pending {
  method: string;
  resolve(reply: ReplyEnvelope): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

interface Waiter {
  request: RequestEnvelope;
  resolve(reply: ReplyEnvelope): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

/**
 * Browser mode: the envelope channel over one WebSocket to the browser-mode host.
 * - Reconnects with exponential backoff and jitter whenever the socket drops.
 * - Calls in flight when it drops fail at once with `engine_unavailable` (their outcome is unknown).
 * - Calls made while it is down wait up to `connectWaitMs` for it to come back, then fail.
 */
export function createWsTransport(options: WsTransportOptions): WsTransport {
  const createSocket: SocketFactory = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  const initialBackoff = options.initialBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  const connectWait = options.connectWaitMs ?? 10_000;
  const callTimeout = options.callTimeoutMs ?? 90_000;
  const random = options.random ?? Math.random;

  let socket: SocketLike | null = null;
  let state: SocketState = 'connecting';
  let attempt = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const pending = new Map<string, Pending>();
  const waiters: Waiter[] = [];
  const eventListeners = new Set<(e: EventEnvelope) => void>();
  const stateListeners = new Set<(s: SocketState, attempt: number) => void>();

  function setState(next: SocketState): void {
    state = next;
    for (const l of [...stateListeners]) l(state, attempt);
  }

  function timeoutFor(request: RequestEnvelope): number {
    const p = request.params as { timeoutMs?: unknown } | null;
    const extra = p && typeof p === 'object' && typeof p.timeoutMs === 'number' ? p.timeoutMs : 0;
    return callTimeout + extra;
  }

  function send(request: RequestEnvelope, resolve: (r: ReplyEnvelope) => void, reject: (e: Error) => void): void {
    const s = socket;
    if (!s || s.readyState !== OPEN) {
      reject(new CallError('engine_unavailable', 'Not connected to the app'));
      return;
    }
    const timer = setTimeout(() => {
      pending.delete(request.id);
      reject(new CallError('engine_unavailable', `No answer to ${request.method} in time`));
    }, timeoutFor(request));
    pending.set(request.id, { method: request.method, resolve, reject, timer });
    try {
      s.send(JSON.stringify(request));
    } catch (e) {
      clearTimeout(timer);
      pending.delete(request.id);
      reject(new CallError('engine_unavailable', `Could not send ${request.method}: ${(e as Error)?.message ?? e}`));
    }
  }

  function failPending(): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(
        new CallError(
          'engine_unavailable',
          `The connection to the app was lost before ${p.method} was answered; its outcome is unknown`,
        ),
      );
    }
  }

  function flushWaiters(): void {
    while (waiters.length > 0 && state === 'open') {
      const w = waiters.shift()!;
      clearTimeout(w.timer);
      send(w.request, w.resolve, w.reject);
    }
  }

  function onMessage(data: unknown): void {
    let json: unknown;
    try {
      json = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      console.warn('Dropped a message that is not JSON');
      return;
    }
    const parsed = EngineMessageSchema.safeParse(json);
    if (!parsed.success) {
      console.warn('Dropped a message that is not an envelope');
      return;
    }
    const msg = parsed.data;
    if (msg.kind === 'reply') {
      const p = pending.get(msg.id);
      if (!p) return;
      clearTimeout(p.timer);
      pending.delete(msg.id);
      p.resolve(msg);
    } else {
      for (const l of [...eventListeners]) {
        try {
          l(msg);
        } catch (e) {
          console.error('Event listener failed', e);
        }
      }
    }
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    const base = Math.min(maxBackoff, initialBackoff * 2 ** Math.max(0, attempt - 1));
    const delay = Math.round(base * (0.75 + random() * 0.5));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  function connect(): void {
    if (closed) return;
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch (e) {
      console.warn('WebSocket could not be created', e);
      attempt += 1;
      setState('reconnecting');
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      attempt = 0;
      setState('open');
      flushWaiters();
    };
    s.onmessage = (ev) => {
      if (socket === s) onMessage(ev.data);
    };
    s.onerror = () => {
      /* a close event follows */
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      failPending();
      if (closed) return;
      attempt += 1;
      setState('reconnecting');
      scheduleReconnect();
    };
  }

  connect();

  return {
    get state() {
      return state;
    },
    get attempt() {
      return attempt;
    },
    invoke(request: RequestEnvelope): Promise<ReplyEnvelope> {
      return new Promise<ReplyEnvelope>((resolve, reject) => {
        if (closed) {
          reject(new CallError('engine_unavailable', 'The connection is closed'));
          return;
        }
        if (state === 'open') {
          send(request, resolve, reject);
          return;
        }
        const waiter: Waiter = {
          request,
          resolve,
          reject,
          timer: setTimeout(() => {
            const i = waiters.indexOf(waiter);
            if (i >= 0) waiters.splice(i, 1);
            reject(new CallError('engine_unavailable', 'Not connected to the app (reconnecting); please try again'));
          }, connectWait),
        };
        waiters.push(waiter);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => {
        eventListeners.delete(listener);
      };
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const s = socket;
      socket = null;
      failPending();
      for (const w of waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new CallError('engine_unavailable', 'The connection is closed'));
      }
      s?.close();
    },
  };
}

/** `ws://host/ws?token=…` for the page at `location` (the token comes from the page URL). */
export function socketUrlFor(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}
