/**
 * The shell (src/main/index.ts) end to end, with Electron's API replaced by test/main/fake-electron.ts
 * and everything else real: the supervisor, the engine process (demo mode, simulators and all), the
 * IPC guard, the tray logic. One app lifetime, in order: start → window/tray/security → IPC →
 * tray actions → engine crash and recovery → window close hides → quit flushes the engine.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReplyEnvelope } from '../../src/shared/contract';

vi.mock('electron', () => import('./fake-electron'));

let fake: typeof import('./fake-electron');

async function until<T>(what: string, get: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const tray = () => fake.recorded.trays[0];
const win = () => fake.recorded.windows[0];
const engine = () => fake.recorded.engines[fake.recorded.engines.length - 1];
const menuItem = (label: string) => tray().menu.find((i) => i.label === label);
const ownUrl = () => pathToFileURL(join(process.cwd(), 'src/renderer/index.html')).href;

function invoke(message: unknown, frame: { url: string; parent: unknown } | null = { url: ownUrl(), parent: null }, sender: unknown = win().webContents): Promise<ReplyEnvelope> {
  const handler = fake.recorded.ipcHandlers.get('rc:invoke');
  if (!handler) throw new Error('rc:invoke not registered');
  return handler({ sender, senderFrame: frame }, message);
}

beforeAll(async () => {
  // An installed app must ignore this: it would make the window load someone else's page.
  process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
  fake = await import('./fake-electron');
  await import('../../src/main/index');
});

afterAll(() => {
  delete process.env.ELECTRON_RENDERER_URL;
  for (const e of fake.recorded.engines) if (e.child.exitCode === null && e.child.signalCode === null) e.child.kill('SIGKILL');
  rmSync(fake.app.getPath('appData'), { recursive: true, force: true });
});

describe('Electron shell', () => {
  it('starts the engine in a utility process on the user-data folder and shows its status in the tray', async () => {
    const userData = fake.app.getPath('userData');
    expect(userData).toBe(join(fake.app.getPath('appData'), 'Register Companion'));
    expect(engine().entry).toBe(join(process.cwd(), 'src/main/engine.js')); // out/main/engine.js once built
    expect(engine().args).toEqual(['--data-dir', userData]);
    expect(tray()).toBeDefined();
    await until('the tray to show the engine status', () => /送信待ち \d+件$/.test(tray().tooltip));
    expect(tray().tooltip).toMatch(/^Register Companion — (オンライン|オフライン|同期中)/);
    expect(tray().image.path).toMatch(/resources\/tray\/(online|offline|syncing)-light\.png$/);
    expect(existsSync(join(userData, 'register-companion.sqlite'))).toBe(true);
  });

  it('opens one sandboxed, isolated window on the built renderer, with the preload and nothing else', () => {
    expect(fake.recorded.windows).toHaveLength(1);
    const prefs = win().options.webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe(join(process.cwd(), 'src/preload/index.cjs'));
    expect(win().loaded).toEqual({ file: join(process.cwd(), 'src/renderer/index.html') }); // not ELECTRON_RENDERER_URL
    expect(prefs.devTools).toBe(false);
    expect(win().visible).toBe(true);
    if (process.platform !== 'darwin') expect(fake.recorded.applicationMenu).toBeNull();
  });

  it('locks the session and the window down', () => {
    const s = fake.recorded.session;
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      s.beforeRequest!.listener({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://api.smaregi.jp/')).toBe(true);
    expect(decide('ws://127.0.0.1:4000/')).toBe(true);
    let granted: boolean | undefined;
    s.permissionRequest!({}, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
    expect(s.permissionCheck!()).toBe(false);
    let headers: Record<string, string[]> = {};
    s.headersReceived!({ responseHeaders: { 'content-security-policy': ["default-src *"] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'content-security-policy')).toEqual(['Content-Security-Policy']);
    expect(headers['Content-Security-Policy'][0]).toContain("connect-src 'self'");

    const wc = win().webContents;
    let prevented = 0;
    wc.emit('will-navigate', { preventDefault: () => prevented++ }, 'https://example.com/help');
    wc.emit('will-redirect', { preventDefault: () => prevented++ }, 'https://evil.example/');
    wc.emit('will-attach-webview', { preventDefault: () => prevented++ });
    expect(prevented).toBe(3);
    expect(wc.windowOpenHandler!({ url: 'https://developers.smaregi.jp/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.recorded.openedExternally).toEqual(['https://example.com/help', 'https://developers.smaregi.jp/']);
  });

  it('forwards valid requests from our window to the engine and refuses everything else', async () => {
    const ok = await invoke({ kind: 'request', id: 'r1', method: 'status.get', params: {} });
    expect(ok).toMatchObject({ kind: 'reply', id: 'r1', ok: true, result: { dataDir: fake.app.getPath('userData'), demo: true } });
    expect(await invoke({ kind: 'request', id: 'r2', method: 'status.get', params: {} }, { url: 'https://evil.example/', parent: null })).toMatchObject({
      id: 'r2',
      ok: false,
      error: { code: 'bad_message' },
    });
    expect(await invoke({ kind: 'request', id: 'r3', method: 'status.get', params: {} }, { url: ownUrl(), parent: {} })).toMatchObject({ ok: false });
    expect(await invoke({ kind: 'request', id: 'r4', method: 'status.get', params: {} }, { url: ownUrl(), parent: null }, {})).toMatchObject({ ok: false });
    expect(await invoke({ kind: 'request', id: 'r5', method: 'fs.readFile', params: {} })).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await invoke({ id: 'r6' })).toMatchObject({ id: 'r6', ok: false, error: { code: 'bad_message' } });
    // The engine validates params itself; its error comes back as the reply.
    expect(await invoke({ kind: 'request', id: 'r7', method: 'sync.history', params: { limit: -1 } })).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
  });

  it('sends engine events to the window', async () => {
    const events = () => win().webContents.sent.filter((s) => s.channel === 'rc:event').map((s) => s.args[0] as { event: string; data: any });
    await until('a status event', () => events().some((e) => e.event === 'status'));
    expect(events()[0]).toEqual({ kind: 'event', event: 'engine.connection', data: { state: 'connecting', attempt: 0 } });
    expect(events().some((e) => e.event === 'engine.connection' && e.data.state === 'ready')).toBe(true);
  });

  it('pauses and resumes sync from the tray menu', async () => {
    expect(menuItem('開く')?.enabled).toBe(true);
    menuItem('同期を一時停止')!.click!();
    await until('the paused tray', () => tray().tooltip.includes('同期一時停止中'));
    expect(menuItem('同期を再開')?.enabled).toBe(true);
    expect(menuItem('今すぐ同期')?.enabled).toBe(false);
    const paused = await invoke({ kind: 'request', id: 'p', method: 'sync.progress', params: {} });
    expect(paused).toMatchObject({ ok: true, result: { paused: true } });
    menuItem('同期を再開')!.click!();
    await until('the resumed tray', () => !tray().tooltip.includes('同期一時停止中') && menuItem('同期を一時停止'));
    menuItem('今すぐ同期')!.click!();
    expect((await invoke({ kind: 'request', id: 'q', method: 'sync.progress', params: {} })).ok).toBe(true);
  });

  it('restarts a crashed engine: the tray says 再接続中, then recovers, and calls are answered again', async () => {
    const before = fake.recorded.engines.length;
    engine().child.kill('SIGKILL');
    await until('the reconnecting tray', () => tray().tooltip.includes('再接続中'));
    expect(menuItem('今すぐ同期')?.enabled).toBe(false);
    const reply = await invoke({ kind: 'request', id: 'after', method: 'status.get', params: {} });
    expect(reply).toMatchObject({ id: 'after', ok: true });
    expect(fake.recorded.engines.length).toBe(before + 1);
    await until('the recovered tray', () => !tray().tooltip.includes('再接続中') && /送信待ち \d+件$/.test(tray().tooltip));
    const states = win()
      .webContents.sent.map((s) => s.args[0] as { event: string; data: any })
      .filter((e) => e.event === 'engine.connection')
      .map((e) => e.data.state);
    expect(states.slice(-2)).toEqual(['reconnecting', 'ready']);
  });

  it('hides the window on close instead of quitting, and shows it again from the tray', () => {
    expect(win().userClose()).toBe(false);
    expect(win().visible).toBe(false);
    expect(fake.recorded.exited).toBe(false);
    tray().emit('click');
    expect(win().visible).toBe(true);
  });

  it('quits from the tray only after asking the engine to flush and stop', async () => {
    const proc = engine();
    menuItem('終了')!.click!();
    expect(fake.recorded.preventedQuits).toBe(1);
    expect(proc.received).toContainEqual({ kind: 'shutdown', timeoutMs: 5000 });
    await until('the app to exit', () => fake.recorded.exited);
    expect(proc.child.exitCode).toBe(0); // exited by itself after flushing, not killed
    expect(tray().destroyed).toBe(true);
    expect(win().userClose()).toBe(true); // quitting: the window really closes now
  });
});
