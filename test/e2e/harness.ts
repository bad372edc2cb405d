/**
 * Browser tests: the built app in browser mode (`node out/main/browser.js`, the engine under Node)
 * driven in Debian's Chromium by playwright-core. Run `npx electron-vite build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import type { MethodName, ParamsIn, Result } from '../../src/shared/contract';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'out/main/browser.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const READY_LINE = /^Register Companion UI: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=\S+)$/;

export interface StartOptions {
  /** Use this data folder (kept afterwards); default: a fresh temporary one, removed on close. */
  dataDir?: string;
  extraArgs?: string[];
  /** Extra environment for the host and its engine (e.g. faster connectivity probes). */
  env?: Record<string, string>;
  /** The host to run instead of the real one, e.g. ['--import', 'tsx', 'test/e2e/fake-host.ts', '--renderer', 'out/renderer']. */
  command?: string[];
  viewport?: { width: number; height: number };
  startTimeoutMs?: number;
}

export interface App {
  url: string;
  /** http://127.0.0.1:PORT (no token). */
  origin: string;
  port: number;
  page: Page;
  browser: Browser;
  child: ChildProcess;
  dataDir: string;
  /** Uncaught page errors and console errors seen so far. */
  pageErrors: string[];
  /** The host's stderr so far (for failure messages). */
  stderr(): string;
  close(): Promise<void>;
}

export async function startApp(opts: StartOptions = {}): Promise<App> {
  if (!opts.command && !existsSync(ENTRY)) {
    throw new Error(`${ENTRY} is missing: run \`npx electron-vite build\` before the browser tests`);
  }
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'rc-e2e-'));
  const args = opts.command ?? [ENTRY, '--port', '0', '--data-dir', dataDir, ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => {
    stderr = (stderr + c).slice(-20_000);
  });

  let browser: Browser | null = null;
  const cleanup = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await stopChild(child);
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await readyUrl(child, opts.startTimeoutMs ?? 30_000, () => stderr);
    const { origin, port } = new URL(url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1366, height: 900 }, locale: 'ja-JP' });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(url);
    const b = browser;
    return {
      url,
      origin,
      port: Number(port),
      page,
      browser: b,
      child,
      dataDir,
      pageErrors,
      stderr: () => stderr,
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function readyUrl(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string) => {
      clearTimeout(timer);
      lines.close();
      reject(new Error(`browser mode did not start: ${why}\n--- host stderr ---\n${stderr().slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    lines.on('line', (line) => {
      const m = READY_LINE.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolveUrl(m[1]);
    });
    const onExit = (code: number | null, signal: string | null) => fail(`it exited (code ${code}, signal ${signal})`);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Base URLs of the demo simulators (`{ smaregi, giftee }`), served by the browser host in demo mode. */
export async function demoSimUrls(app: Pick<App, 'origin'>): Promise<Record<string, string>> {
  const res = await fetch(`${app.origin}/__demo/sims`);
  if (!res.ok) throw new Error(`GET /__demo/sims: ${res.status}`);
  const sims = (await res.json()) as Record<string, string> | null;
  if (!sims) throw new Error('GET /__demo/sims: not in demo mode (null)');
  return sims;
}

/**
 * Call the engine directly over the host's WebSocket (as the page does), to seed data for a test
 * without clicking through the UI. Resolves with the result, rejects with the error body.
 */
export async function engineCall<M extends MethodName>(app: Pick<App, 'url' | 'origin'>, method: M, params: ParamsIn<M>): Promise<Result<M>> {
  const u = new URL(app.url);
  const ws = new WebSocket(`ws://${u.host}/ws?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`, { origin: app.origin });
  try {
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    const id = `test-${Math.random().toString(36).slice(2)}`;
    return await new Promise<Result<M>>((res, rej) => {
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { kind: string; id?: string; ok?: boolean; result?: unknown; error?: { code: string; message: string } };
        if (m.kind !== 'reply' || m.id !== id) return;
        if (m.ok) res(m.result as Result<M>);
        else rej(Object.assign(new Error(`${method}: ${m.error?.code} ${m.error?.message}`), { code: m.error?.code }));
      });
      ws.send(JSON.stringify({ kind: 'request', id, method, params }));
    });
  } finally {
    ws.close();
  }
}

/** POST/DELETE to a simulator's control API, e.g. simControl(url, 'POST', '/__sim/faults', { mode: 'offline' }). */
export async function simControl(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function keyOf(ch: string): { key: string; code: string; text: string; windowsVirtualKeyCode: number; modifiers: number } {
  if (/^[0-9]$/.test(ch)) return { key: ch, code: `Digit${ch}`, text: ch, windowsVirtualKeyCode: ch.charCodeAt(0), modifiers: 0 };
  if (/^[a-z]$/.test(ch)) return { key: ch, code: `Key${ch.toUpperCase()}`, text: ch, windowsVirtualKeyCode: ch.toUpperCase().charCodeAt(0), modifiers: 0 };
  if (/^[A-Z]$/.test(ch)) return { key: ch, code: `Key${ch}`, text: ch, windowsVirtualKeyCode: ch.charCodeAt(0), modifiers: 8 };
  throw new Error(`wedgeScan: no key for ${JSON.stringify(ch)}`);
}

/**
 * Type like a keyboard-wedge scanner: a burst of keys `gapMs` apart, then the terminator.
 *
 * The keys go through CDP `Input.dispatchKeyEvent` with explicit event timestamps, as a real scanner's
 * keys carry the OS's timestamps. `page.keyboard.type` cannot do this: on a busy 2-core machine its
 * keys arrive 2–300 ms apart, which is human typing to a 30 ms wedge detector. They are still real
 * (trusted) key events: the characters land in the focused field like a scanner's would.
 */
export async function wedgeScan(page: Page, code: string, opts: { terminator?: 'Enter' | 'Tab'; gapMs?: number } = {}): Promise<void> {
  const gap = (opts.gapMs ?? 5) / 1000;
  const cdp = await page.context().newCDPSession(page);
  try {
    let t = Date.now() / 1000;
    const send = async (k: ReturnType<typeof keyOf> | { key: string; code: string; text: string; windowsVirtualKeyCode: number; modifiers: number }) => {
      t += gap;
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, unmodifiedText: k.text, timestamp: t });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, modifiers: k.modifiers, timestamp: t + 0.001 });
    };
    for (const ch of code) await send(keyOf(ch));
    const term = opts.terminator ?? 'Enter';
    await send(
      term === 'Enter'
        ? { key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13, modifiers: 0 }
        : { key: 'Tab', code: 'Tab', text: '', windowsVirtualKeyCode: 9, modifiers: 0 },
    );
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Type like a person: well above the wedge's inter-key gap. */
export async function humanType(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 90 });
}

/** Demo data of the built-in simulators (src/sim/demo-seed.json). */
export const DEMO = {
  /** Coupon 101 "giftee 500円OFFチケット": 500 yen off from 1,000 yen. */
  ticket500: ['411000101307401981868241', '411000182268822080432317', '411000186657046910728991'],
  /** Coupon 101's ticket that giftee knows as used (elsewhere): the local rules alone pass it. */
  usedTicket: '411000140481649575386351',
  /** Coupon 102 (10 % off, 2,000–20,000 yen): a ticket giftee knows as expired. */
  expiredTicket: '411000203695263410588491',
  /** バタークッキー 12枚入, 1,080 yen. */
  cookies: { code: '4573580001072', name: 'バタークッキー 12枚入', price: 1080 },
  /** ドリップコーヒー ブレンド 200g, 1,280 yen. */
  coffee: { code: '4573580001010', name: 'ドリップコーヒー ブレンド 200g', price: 1280 },
} as const;
