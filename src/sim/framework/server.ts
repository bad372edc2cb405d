import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { FaultBodySchema, FaultQueue, type ActiveFault, type FaultBody, type TakenFault } from './faults';
import { MAX_BODY_BYTES, brokenJson, parseBody, queryObject, readBody, send, sleep, type ParsedBody } from './http';
import { TokenBucket } from './rate-limit';
import { createRouter } from './router';
import {
  flattenHeaders,
  type ErrorStyle,
  type RequestLogEntry,
  type SimContext,
  type SimReply,
  type SimRequest,
  type SimRoute,
} from './types';

export interface SimServerOptions<S> {
  /** System name, e.g. "smaregi"; used in logs and messages. */
  name: string;
  /** The initial data (plain JSON). It is deep-copied; `POST /__sim/reset` returns to it. */
  seed: S;
  routes: SimRoute<S>[];
  /** How the system renders errors the framework produces (404, 400 bad JSON, 429, 500...). */
  errorStyle: ErrorStyle;
  /** 0 or absent = a random free port. Always bound to 127.0.0.1. */
  port?: number;
}

export interface SimConfig {
  rateLimitPerSec: number | null;
  latencyMs: number;
}

const ConfigBodySchema = z.strictObject({
  rateLimitPerSec: z.number().positive().max(100_000).nullable().optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
});

const ClockBodySchema = z
  .strictObject({
    advanceSeconds: z.number().finite().optional(),
    offsetSeconds: z.number().finite().optional(),
  })
  .refine((b) => (b.advanceSeconds === undefined) !== (b.offsetSeconds === undefined), {
    message: 'give exactly one of advanceSeconds or offsetSeconds',
  });

export interface SimServer<S> {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
  /** A deep copy of the current data. */
  state(): S;
  /** In-process equivalents of the /__sim endpoints (tests may use either). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  addFault(f: FaultBody): void;
  clearFaults(): void;
  setConfig(c: Partial<SimConfig>): SimConfig;
  advanceClock(seconds: number): void;
  reset(): void;
}

/** A held (timeout-mode) request is destroyed after this long even if the client never gives up. */
export const MAX_HOLD_MS = 120_000;
const MAX_LOG = 5_000;

export function formatZodError(e: z.ZodError): string {
  return e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export async function createSimServer<S>(opts: SimServerOptions<S>): Promise<SimServer<S>> {
  const { name, errorStyle } = opts;
  const route = createRouter(opts.routes);
  let state: S = structuredClone(opts.seed);
  let log: RequestLogEntry[] = [];
  let seq = 0;
  const faults = new FaultQueue();
  let config: SimConfig = { rateLimitPerSec: null, latencyMs: 0 };
  let bucket: TokenBucket | null = null;
  let clockOffsetMs = 0;
  const held = new Set<{ socket: Socket; timer: NodeJS.Timeout }>();
  const now = () => Date.now() + clockOffsetMs;

  function setConfig(c: Partial<SimConfig>): SimConfig {
    config = { ...config, ...c };
    bucket = config.rateLimitPerSec ? new TokenBucket(config.rateLimitPerSec) : null;
    return { ...config };
  }

  function reset(): void {
    state = structuredClone(opts.seed);
    log = [];
    faults.clear();
    setConfig({ rateLimitPerSec: null, latencyMs: 0 });
    clockOffsetMs = 0;
  }

  /** Routes a non-/__sim request to the system and returns its answer (never throws). */
  async function dispatch(
    req: SimRequest,
    parsed: ParsedBody,
    entry: RequestLogEntry,
  ): Promise<SimReply> {
    if (!parsed.ok) {
      return parsed.tooLarge
        ? errorStyle(413, 'payload_too_large', parsed.error)
        : errorStyle(400, 'bad_json', parsed.error);
    }
    const m = route(req.method, req.path);
    if (m.kind === 'not_found') return errorStyle(404, 'not_found', `no such endpoint: ${req.method} ${req.path}`);
    if (m.kind === 'method_not_allowed') {
      const r = errorStyle(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}`);
      return { ...r, headers: { ...(r.headers ?? {}), allow: m.allow.join(', ') } };
    }
    entry.applied = true;
    const ctx: SimContext<S> = { state, now, name };
    try {
      return await m.route.handler({ ...req, params: m.params }, ctx);
    } catch (e) {
      return errorStyle(500, 'internal_error', `simulator ${name} failed: ${(e as Error).message}`);
    }
  }

  function hold(socket: Socket): void {
    if (socket.destroyed) return; // the client already gave up
    const h = { socket, timer: setTimeout(() => socket.destroy(), MAX_HOLD_MS) };
    h.timer.unref();
    held.add(h);
    socket.once('close', () => {
      clearTimeout(h.timer);
      held.delete(h);
    });
  }

  async function handleSystem(
    req: IncomingMessage,
    res: ServerResponse,
    simReq: SimRequest,
    parsed: ParsedBody,
  ): Promise<void> {
    const entry: RequestLogEntry = {
      seq: ++seq,
      at: new Date(now()).toISOString(),
      method: simReq.method,
      path: simReq.path,
      query: queryObject(simReq.query),
      headers: simReq.headers,
      body: parsed.ok ? parsed.body : simReq.rawBody,
      status: null,
      fault: null,
      applied: false,
    };
    log.push(entry);
    if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);

    if (config.latencyMs > 0) await sleep(config.latencyMs);

    const fault: TakenFault | null = faults.take();
    const answer = (reply: SimReply) => {
      entry.status = reply.status;
      send(res, reply);
    };

    if (!fault) {
      const wait = bucket ? bucket.take() : 0;
      if (wait > 0) {
        const r = errorStyle(429, 'rate_limited', `rate limit exceeded (${config.rateLimitPerSec}/s)`);
        answer({ ...r, headers: { ...(r.headers ?? {}), 'retry-after': String(wait) } });
        return;
      }
      answer(await dispatch(simReq, parsed, entry));
      return;
    }

    entry.fault = fault.mode;
    switch (fault.mode) {
      case 'offline':
        req.socket.destroy();
        return;
      case '429': {
        const r = errorStyle(429, 'rate_limited', 'too many requests (injected fault)');
        answer({ ...r, headers: { ...(r.headers ?? {}), 'retry-after': String(fault.retryAfter) } });
        return;
      }
      case '500':
        answer(errorStyle(500, 'server_error', 'internal server error (injected fault)'));
        return;
      case 'timeout':
        if (fault.applied) await dispatch(simReq, parsed, entry);
        hold(req.socket);
        return;
      case 'reset':
        if (fault.applied) await dispatch(simReq, parsed, entry);
        req.socket.resetAndDestroy();
        return;
      case 'badjson': {
        const reply = fault.applied ? await dispatch(simReq, parsed, entry) : { status: 200, body: {} };
        entry.status = 200;
        const text = brokenJson(reply);
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
        return;
      }
    }
  }

  function handleSim(method: string, path: string, parsed: ParsedBody): SimReply {
    const ok = (body: unknown, status = 200): SimReply => ({ status, body });
    const bad = (message: string): SimReply => ({ status: 400, body: { error: message } });
    const body = parsed.ok ? parsed.body : undefined;
    if (!parsed.ok) return bad(parsed.error);
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /__sim/state':
        return ok(state);
      case 'GET /__sim/requests':
        return ok(log);
      case 'DELETE /__sim/requests':
        log = [];
        return ok({ cleared: true });
      case 'GET /__sim/faults':
        return ok(faults.list() satisfies ActiveFault[]);
      case 'POST /__sim/faults': {
        const r = FaultBodySchema.safeParse(body ?? {});
        if (!r.success) return bad(`invalid fault: ${formatZodError(r.error)}`);
        faults.push(r.data);
        return ok(faults.list(), 201);
      }
      case 'DELETE /__sim/faults':
        faults.clear();
        return ok([]);
      case 'GET /__sim/config':
        return ok(config);
      case 'POST /__sim/config': {
        const r = ConfigBodySchema.safeParse(body ?? {});
        if (!r.success) return bad(`invalid config: ${formatZodError(r.error)}`);
        const next: Partial<SimConfig> = {};
        if (r.data.rateLimitPerSec !== undefined) next.rateLimitPerSec = r.data.rateLimitPerSec;
        if (r.data.latencyMs !== undefined) next.latencyMs = r.data.latencyMs;
        return ok(setConfig(next));
      }
      case 'GET /__sim/clock':
        return ok({ now: new Date(now()).toISOString(), offsetSeconds: clockOffsetMs / 1000 });
      case 'POST /__sim/clock': {
        const r = ClockBodySchema.safeParse(body ?? {});
        if (!r.success) return bad(`invalid clock change: ${formatZodError(r.error)}`);
        if (r.data.advanceSeconds !== undefined) clockOffsetMs += r.data.advanceSeconds * 1000;
        else clockOffsetMs = (r.data.offsetSeconds ?? 0) * 1000;
        return ok({ now: new Date(now()).toISOString(), offsetSeconds: clockOffsetMs / 1000 });
      }
      case 'POST /__sim/reset':
        reset();
        return ok({ reset: true });
      default:
        return { status: 404, body: { error: `unknown simulator control endpoint: ${method} ${path}` } };
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const { text, tooLarge } = await readBody(req);
    const headers = flattenHeaders(req.headers);
    const control = url.pathname === '/__sim' || url.pathname.startsWith('/__sim/');
    // Control bodies are always JSON, whatever a hand-typed `curl -d` says its content type is.
    const parsed: ParsedBody = tooLarge
      ? { ok: false, error: `request body larger than ${MAX_BODY_BYTES} bytes`, tooLarge: true }
      : parseBody(text, control ? 'application/json' : headers['content-type']);
    if (control) {
      send(res, handleSim(method, url.pathname, parsed));
      return;
    }
    const simReq: SimRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: parsed.ok ? parsed.body : undefined,
      rawBody: text,
      params: {},
    };
    await handleSystem(req, res, simReq, parsed);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      try {
        if (!res.headersSent) send(res, errorStyle(500, 'internal_error', `simulator ${name} failed: ${String(e)}`));
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`simulator ${name}: no TCP address`);
  const port = address.port;

  let closing: Promise<void> | null = null;
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const h of held) {
          clearTimeout(h.timer);
          h.socket.destroy();
        }
        held.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    state: () => structuredClone(state),
    requests: () => structuredClone(log),
    clearRequests: () => {
      log = [];
    },
    addFault: (f) => faults.push(FaultBodySchema.parse(f)),
    clearFaults: () => faults.clear(),
    setConfig: (c) => setConfig(ConfigBodySchema.parse(c) as Partial<SimConfig>),
    advanceClock: (seconds) => {
      clockOffsetMs += seconds * 1000;
    },
    reset,
  };
}
