/**
 * A stand-in for the parts of Electron's main-process API the shell uses, for test/main/shell.test.ts
 * (the Electron binary cannot run here, and no test may import `electron`). It records what the
 * shell asks for and lets the test act as the OS and the renderer. `utilityProcess.fork` starts the
 * real engine (src/core/main.ts under tsx) as a Node child, which is what a utilityProcess is.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Listener = (...args: any[]) => any;

class Emitter extends EventEmitter {}

const appData = mkdtempSync(join(tmpdir(), 'rc-appdata-'));
const paths: Record<string, string> = { appData, userData: join(appData, 'Electron') };

export const recorded = {
  quitCalls: 0,
  exited: false,
  preventedQuits: 0,
  applicationMenu: undefined as unknown,
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  engines: [] as FakeUtilityProcess[],
  ipcHandlers: new Map<string, Listener>(),
  openedExternally: [] as string[],
  session: {
    headersReceived: null as Listener | null,
    beforeRequest: null as { filter: { urls: string[] }; listener: Listener } | null,
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    devicePermission: null as Listener | null,
    events: new Map<string, Listener>(),
  },
};

class FakeApp extends Emitter {
  /** As installed: no dev server, no DevTools, logs to file only. */
  isPackaged = true;
  name = 'register-companion';
  setName(n: string) {
    this.name = n;
  }
  getName() {
    return this.name;
  }
  getPath(name: string) {
    const p = paths[name];
    if (!p) throw new Error(`fake app.getPath: ${name}`);
    return p;
  }
  setPath(name: string, p: string) {
    paths[name] = p;
  }
  getAppPath() {
    return process.cwd();
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    recorded.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) recorded.preventedQuits++;
    else recorded.exited = true;
  }
}
export const app = new FakeApp();

export const powerMonitor = new Emitter();

class FakeNativeTheme extends Emitter {
  shouldUseDarkColors = false;
  shouldUseDarkColorsForSystemIntegratedUI = false;
}
export const nativeTheme = new FakeNativeTheme();

export const nativeImage = {
  createFromPath(path: string) {
    if (!existsSync(path)) throw new Error(`fake nativeImage: no file at ${path}`);
    return { path, template: false, setTemplateImage(this: { template: boolean }, v: boolean) { this.template = v; } };
  },
};

export interface MenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
  role?: string;
}

export const Menu = {
  buildFromTemplate: (template: MenuItem[]) => template,
  setApplicationMenu: (m: unknown) => {
    recorded.applicationMenu = m;
  },
};

export class FakeTray extends Emitter {
  image: { path: string; template: boolean };
  tooltip = '';
  menu: MenuItem[] = [];
  destroyed = false;
  constructor(image: { path: string; template: boolean }) {
    super();
    this.image = image;
    recorded.trays.push(this);
  }
  setImage(image: { path: string; template: boolean }) {
    this.image = image;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu(m: MenuItem[]) {
    this.menu = m;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
  }
}
export { FakeTray as Tray };

export class FakeWebContents extends Emitter {
  sent: Array<{ channel: string; args: unknown[] }> = [];
  mainFrame = { url: '', parent: null };
  windowOpenHandler: Listener | null = null;
  reloads = 0;
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  isDestroyed() {
    return false;
  }
  reload() {
    this.reloads++;
  }
  setWindowOpenHandler(h: Listener) {
    this.windowOpenHandler = h;
  }
}

export class FakeBrowserWindow extends Emitter {
  webContents = new FakeWebContents();
  visible = false;
  loaded: { file?: string; url?: string } = {};
  constructor(readonly options: any) {
    super();
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadFile(file: string) {
    this.loaded = { file };
    this.webContents.mainFrame.url = new URL(`file://${file}`).href;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  loadURL(url: string) {
    this.loaded = { url };
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  /** What the OS does when the user clicks the close button. */
  userClose() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    return !prevented;
  }
}
export { FakeBrowserWindow as BrowserWindow };

export const ipcMain = {
  handle(channel: string, fn: Listener) {
    recorded.ipcHandlers.set(channel, fn);
  },
  removeHandler(channel: string) {
    recorded.ipcHandlers.delete(channel);
  },
};

export const shell = {
  openExternal(url: string) {
    recorded.openedExternally.push(url);
    return Promise.resolve();
  },
};

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(l: Listener) {
        recorded.session.headersReceived = l;
      },
      onBeforeRequest(filter: { urls: string[] }, listener: Listener) {
        recorded.session.beforeRequest = { filter, listener };
      },
    },
    setPermissionRequestHandler(h: Listener) {
      recorded.session.permissionRequest = h;
    },
    setPermissionCheckHandler(h: Listener) {
      recorded.session.permissionCheck = h;
    },
    setDevicePermissionHandler(h: Listener) {
      recorded.session.devicePermission = h;
    },
    on(event: string, l: Listener) {
      recorded.session.events.set(event, l);
    },
  },
};

export class FakeUtilityProcess extends Emitter {
  readonly child: ChildProcess;
  stderr: NodeJS.ReadableStream | null;
  received: unknown[] = [];
  constructor(
    readonly entry: string,
    readonly args: string[],
    readonly options: unknown,
  ) {
    super();
    this.child = fork('src/core/main.ts', args, {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.stderr = this.child.stderr;
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('exit', (code) => this.emit('exit', code ?? -1));
    recorded.engines.push(this);
  }
  postMessage(m: unknown) {
    this.received.push(m);
    if (this.child.connected) this.child.send(m as object);
  }
  kill() {
    return this.child.kill('SIGTERM');
  }
}

export const utilityProcess = {
  fork: (entry: string, args: string[], options: unknown) => new FakeUtilityProcess(entry, args, options),
};

export default {};
