import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserHost, type BrowserHost } from '../../src/browser/host';
import { forkEngine } from '../../src/host/fork';
import { createSupervisor, type Supervisor } from '../../src/host/supervisor';

const root = join(__dirname, '../..');
const TOKEN = 'test-token-0123456789abcdef';

function open(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { origin } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextReply(ws: WebSocket, id: string): Promise<{ ok: boolean; result?: unknown; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMsg = (data: Buffer) => {
      const m = JSON.parse(String(data));
      if (m.kind === 'reply' && m.id === id) {
        ws.off('message', onMsg);
        resolve(m);
      }
    };
    ws.on('message', onMsg);
  });
}

describe('browser-mode host', () => {
  let host: BrowserHost;
  let supervisor: Supervisor;
  let dir: string;
  let renderer: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-host-'));
    renderer = join(dir, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>rc</title>');
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
    host = await startBrowserHost({ port: 0, token: TOKEN, rendererDir: renderer, log: () => {} });
    supervisor = createSupervisor({
      spawn: () =>
        forkEngine({ entry: join(root, 'src/core/main.ts'), execArgv: ['--import', 'tsx'], args: ['--data-dir', join(dir, 'data'), '--demo', 'off'] }),
      onEvent: (e) => host.broadcast(e),
    });
    host.setSupervisor(supervisor);
    supervisor.start();
  });

  afterAll(async () => {
    await supervisor.shutdown(1000);
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const res = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(csp).toContain("object-src 'none'");
    expect((await fetch(`http://127.0.0.1:${host.port}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`http://127.0.0.1:${host.port}/..%2fsecret.txt`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${host.port}/nope.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${host.port}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a socket without the token or from another origin', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    await expect(open(`ws://127.0.0.1:${host.port}/ws?token=wrong`, origin)).rejects.toThrow(/403/);
    await expect(open(`ws://127.0.0.1:${host.port}/ws`, origin)).rejects.toThrow(/403/);
    await expect(open(`ws://127.0.0.1:${host.port}/ws?token=${TOKEN}`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(open(`ws://127.0.0.1:${host.port}/other?token=${TOKEN}`, origin)).rejects.toThrow(/403/);
  });

  it('carries the contract to the engine and answers bad messages with errors', async () => {
    const ws = await open(`ws://127.0.0.1:${host.port}/ws?token=${TOKEN}`, `http://127.0.0.1:${host.port}`);
    const status = nextReply(ws, 's1');
    ws.send(JSON.stringify({ kind: 'request', id: 's1', method: 'status.get', params: {} }));
    const r = await status;
    expect(r.ok).toBe(true);
    expect((r.result as { demo: boolean }).demo).toBe(false);

    const junk = nextReply(ws, '');
    ws.send('{not json');
    expect((await junk).error?.code).toBe('bad_message');

    const unknown = nextReply(ws, 'u1');
    ws.send(JSON.stringify({ kind: 'request', id: 'u1', method: 'fs.readFile', params: { path: '/etc/passwd' } }));
    expect((await unknown).error?.code).toBe('unknown_method');
    ws.close();
  });
});
