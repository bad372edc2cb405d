/**
 * The Electron shell: one window, one tray, one engine. The shell holds no business state; it
 * starts the engine (utilityProcess, supervised), relays contract envelopes between it and the
 * renderer, and shows the engine's status in the tray.
 */
import { app, powerMonitor, session, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSupervisor, type EngineProcess } from '../host/supervisor';
import { EngineStatusSchema, type EngineStatus, type EventEnvelope } from '../shared/contract';
import { createLogger } from '../core/log';
import { utilityEngine } from './engine-process';
import { registerIpc, sendEvent } from './ipc';
import { installAppMenu } from './menu';
import type { RendererOrigin } from './policy';
import { hardenWebContents, installSessionSecurity } from './security';
import { createTray, type TrayController } from './tray';
import { TRAY_ACTION_METHODS, applyEngineEvent, trayState, type TrayAction } from './tray-state';
import { createMainWindow, showWindow } from './window';

/** How long quitting waits for the engine's last delivery attempt before it is stopped anyway. */
const QUIT_FLUSH_MS = 5000;

const here = dirname(fileURLToPath(import.meta.url)); // out/main
const paths = {
  engine: join(here, 'engine.js'),
  preload: join(here, '..', 'preload', 'index.cjs'),
  indexFile: join(here, '..', 'renderer', 'index.html'),
  // resources/** is unpacked from the asar (electron-builder.yml) so the OS can read the icons.
  resources: join(app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked'), 'resources'),
};

// The same user-data folder in development and in the installed app (%APPDATA%\Register Companion,
// ~/Library/Application Support/Register Companion): the engine's database lives there. Set
// explicitly (setName alone does not move it) before anything reads it, the single-instance lock
// included.
app.setName('Register Companion');
app.setPath('userData', join(app.getPath('appData'), 'Register Companion'));

if (!app.requestSingleInstanceLock()) {
  // One app per machine user: two engines must never drain the same outbox. The first instance
  // gets 'second-instance' and brings its window forward.
  app.quit();
} else {
  run();
}

function run() {
  const logger = createLogger({ dir: join(app.getPath('userData'), 'logs', 'shell'), stderr: !app.isPackaged }).child('shell');
  const log = (message: string) => logger.info(message);
  // The dev server URL is honoured only in development: a packaged app never loads a page named by
  // its environment.
  const origin: RendererOrigin = {
    indexFileUrl: pathToFileURL(paths.indexFile).href,
    devUrl: !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null,
  };

  let win: BrowserWindow | null = null;
  let tray: TrayController | null = null;
  let status: EngineStatus | null = null;
  let quitting = false;
  let readyToQuit = false;
  let seq = 0;

  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, log));
  app.on('second-instance', () => showWindow(win));
  app.on('activate', () => showWindow(win));
  // The tray keeps the app (and syncing) alive with no window open; only 終了 quits.
  app.on('window-all-closed', () => {});

  const supervisor = createSupervisor({
    spawn: () => watched(utilityEngine({ entry: paths.engine, args: ['--data-dir', app.getPath('userData')], log })),
    onEvent: onEngineEvent,
    log,
  });

  /**
   * A fatal start and an exit change the supervisor's state without an event: redraw the tray
   * once the supervisor has handled them (our listeners run first, hence setImmediate).
   */
  function watched(proc: EngineProcess): EngineProcess {
    proc.onMessage((m) => {
      if ((m as { kind?: unknown } | null)?.kind === 'fatal') setImmediate(refreshTray);
    });
    proc.onExit(() => setImmediate(refreshTray));
    return proc;
  }

  function refreshTray() {
    tray?.show(trayState(status, supervisor.state()));
  }

  function onEngineEvent(event: EventEnvelope) {
    status = applyEngineEvent(status, event);
    if (event.event === 'engine.connection' && (event.data as { state?: string })?.state === 'ready') void fetchStatus();
    refreshTray();
    sendEvent(win, event, origin);
  }

  async function call(method: string, params: unknown = {}) {
    return supervisor.call({ kind: 'request', id: `shell-${++seq}`, method, params });
  }

  async function fetchStatus() {
    const reply = await call('status.get');
    const parsed = reply.ok ? EngineStatusSchema.safeParse(reply.result) : null;
    if (parsed?.success) {
      status = parsed.data;
      refreshTray();
    }
  }

  async function onTrayAction(action: TrayAction) {
    if (action === 'open') return showWindow(win);
    if (action === 'quit') return app.quit();
    const method = TRAY_ACTION_METHODS[action];
    if (!method) return;
    const reply = await call(method);
    if (!reply.ok) log(`tray ${action} failed: ${reply.error.code} ${reply.error.message}`);
    status = applyEngineEvent(status, { kind: 'event', event: 'sync.progress', data: reply.ok ? reply.result : null });
    refreshTray();
  }

  // Quitting: one last delivery attempt by the engine (bounded), then exit. Nothing is lost if it
  // runs out of time — unsent items wait in SQLite for the next start.
  app.on('before-quit', (event) => {
    if (readyToQuit) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    log('quitting: asking the engine to flush');
    const hardStop = new Promise<void>((resolve) => setTimeout(resolve, QUIT_FLUSH_MS + 3000));
    void Promise.race([supervisor.shutdown(QUIT_FLUSH_MS), hardStop]).finally(() => {
      readyToQuit = true;
      tray?.destroy();
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    installSessionSecurity(session.defaultSession, origin, log);
    installAppMenu({ dev: !app.isPackaged, onOpen: () => showWindow(win) });
    // macOS/Linux system shutdown: take the same flush path as 終了 (Windows sends no before-quit then;
    // SQLite's synchronous=FULL is what keeps committed work safe there).
    // (The typings omit the event argument the docs describe: it delays the shutdown.)
    powerMonitor.on('shutdown', (e?: Electron.Event) => {
      e?.preventDefault();
      app.quit();
    });
    registerIpc({ supervisor, origin, window: () => win, log });
    tray = createTray({ resourcesDir: paths.resources, initial: trayState(null, 'connecting'), onAction: (a) => void onTrayAction(a) });
    win = createMainWindow({
      preload: paths.preload,
      indexFile: paths.indexFile,
      origin,
      icon: join(paths.resources, 'icon.png'),
      devTools: !app.isPackaged,
      hideOnClose: () => !quitting,
      log,
    });
    win.on('closed', () => {
      win = null;
    });
    supervisor.start();
  });
}
