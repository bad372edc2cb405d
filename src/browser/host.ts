import { timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventEnvelope } from '../shared/contract/envelope';
import type { Supervisor } from '../host/supervisor';

/** The renderer's policy, sent as a header too: nothing remote, scripts only from us, sockets only to us. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function sameToken(a: string | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface BrowserHost {
  url: string;
  port: number;
  setSupervisor(s: Supervisor): void;
  broadcast(event: EventEnvelope): void;
  close(): Promise<void>;
}

/**
 * Serves the built renderer and carries the contract over `/ws`. A socket is accepted only with this
 * run's token and an Origin of this very server; every message is validated by the supervisor and
 * the engine, so the renderer here is held to the same contract as under Electron's preload.
 */
export async function startBrowserHost(opts: { port: number; token: string; rendererDir: string; log(m: string): void }): Promise<BrowserHost> {
  let supervisor: Supervisor | null = null;
  let port = opts.port;
  const clients = new Set<WebSocket>();

  async function serveFile(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(opts.rendererDir, rel));
    if (!file.startsWith(opts.rendererDir + sep) && file !== opts.rendererDir) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy(port),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      if (rel === 'index.html') {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The renderer is not built: run `npm run build` (npm start does this).');
      } else res.writeHead(404).end('not found');
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/__demo/sims') {
      // Demo simulators' URLs (not secret): lets support staff and tests inject faults in demo mode.
      void (async () => {
        const reply = supervisor ? await supervisor.call({ kind: 'request', id: 'demo', method: 'status.get', params: {} }) : null;
        const sims = reply?.ok ? (reply.result as { demoSims?: unknown }).demoSims ?? null : null;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sims));
      })();
      return;
    }
    void serveFile(req, res, url.pathname);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin ?? '';
    const okOrigin = origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/ws' || !sameToken(url.searchParams.get('token'), opts.token) || !okOrigin) {
      opts.log(`refused a WebSocket (${url.pathname !== '/ws' ? 'path' : !okOrigin ? `origin ${origin || 'none'}` : 'token'})`);
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', (data) => {
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          ws.send(JSON.stringify({ kind: 'reply', id: '', ok: false, error: { code: 'bad_message', message: 'Not JSON' } }));
          return;
        }
        if (!supervisor) return;
        void supervisor.call(msg).then((reply) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
        });
      });
      // A late joiner learns the engine's connection state at once (and why, if it cannot start).
      const state = supervisor?.state();
      const fatal = supervisor?.fatalError();
      if (state === 'ready' || state === 'reconnecting' || state === 'connecting' || (state === 'fatal' && fatal)) {
        ws.send(JSON.stringify({ kind: 'event', event: 'engine.connection', data: { state, attempt: 0, ...(state === 'fatal' ? { error: fatal } : {}) } }));
      }
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${opts.token}`,
    port,
    setSupervisor: (s) => (supervisor = s),
    broadcast(event) {
      const text = JSON.stringify(event);
      for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of clients) c.terminate();
        wss.close();
        server.close(() => r());
      }),
  };
}
