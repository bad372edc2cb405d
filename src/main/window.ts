import { BrowserWindow } from 'electron';
import type { RendererOrigin } from './policy';

export interface MainWindowOptions {
  preload: string;
  /** Absolute path of out/renderer/index.html. */
  indexFile: string;
  origin: RendererOrigin;
  icon?: string;
  devTools: boolean;
  /** Closing the window hides it (the tray keeps syncing) unless the app is quitting. */
  hideOnClose(): boolean;
  log(message: string): void;
}

/**
 * The one window. The renderer is an untrusted page as far as the shell is concerned: sandboxed,
 * isolated, no Node, and its only door is the preload's `registerCompanion` bridge.
 */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Register Companion',
    icon: opts.icon,
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: opts.devTools,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    if (opts.hideOnClose()) {
      event.preventDefault();
      win.hide();
    }
  });
  // A crashed or killed renderer leaves a blank window at the till: load it again (at most once a
  // minute, so a page that crashes on load does not spin).
  let lastReload = 0;
  win.webContents.on('render-process-gone', (_e, details) => {
    opts.log(`renderer gone: ${details.reason} (exit code ${details.exitCode})`);
    if (details.reason === 'clean-exit' || win.isDestroyed() || Date.now() - lastReload < 60_000) return;
    lastReload = Date.now();
    win.webContents.reload();
  });
  if (opts.origin.devUrl) void win.loadURL(opts.origin.devUrl);
  else void win.loadFile(opts.indexFile);
  return win;
}

export function showWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
