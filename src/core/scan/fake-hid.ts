/**
 * A HID backend without hardware: devices are plugged and unplugged by calls, input reports are
 * played from recordings. Behaves like node-hid where it matters — an unplugged device fails its
 * open reader with a read error and vanishes from `devices()`; a plugged-back device may get a new
 * path (as hidraw numbering does).
 */
import type { HidBackend, HidDeviceInfo, HidHandle } from './hid-backend';

interface OpenHandle {
  path: string;
  onReport: ((r: Buffer) => void) | null;
  onError: ((e: Error) => void) | null;
  closed: boolean;
}

export interface FakeHidBackend extends HidBackend {
  plug(device: HidDeviceInfo): void;
  /** Removes the device; an open handle gets node-hid's read error. */
  unplug(path: string): void;
  /** Makes `open(path)` fail with this message (null: succeed again). */
  failOpen(path: string, message: string | null): void;
  /** Makes `devices()` fail with this error (null: succeed again). */
  failDevices(err: Error | null): void;
  /** Delivers input reports to the open handle of `path`; false when none is open and listening. */
  send(path: string, ...reports: Array<Uint8Array | readonly number[]>): boolean;
  isOpen(path: string): boolean;
  /** How many times `open(path)` succeeded. */
  opens(path: string): number;
}

export function createFakeHidBackend(initial: HidDeviceInfo[] = []): FakeHidBackend {
  const plugged = new Map<string, HidDeviceInfo>(initial.map((d) => [d.path, d]));
  const handles: OpenHandle[] = [];
  const openFailures = new Map<string, string>();
  const openCounts = new Map<string, number>();
  let devicesError: Error | null = null;

  const live = (path: string) => handles.filter((h) => h.path === path && !h.closed);

  return {
    async devices() {
      if (devicesError) throw devicesError;
      return [...plugged.values()].map((d) => ({ ...d }));
    },
    async open(path): Promise<HidHandle> {
      if (!plugged.has(path)) throw new Error(`cannot open device with path ${path}`);
      const failure = openFailures.get(path);
      if (failure) throw new Error(failure);
      const h: OpenHandle = { path, onReport: null, onError: null, closed: false };
      handles.push(h);
      openCounts.set(path, (openCounts.get(path) ?? 0) + 1);
      return {
        listen(onReport, onError) {
          h.onReport = onReport;
          h.onError = onError;
        },
        async close() {
          h.closed = true;
          h.onReport = null;
          h.onError = null;
        },
      };
    },
    plug(device) {
      plugged.set(device.path, device);
    },
    unplug(path) {
      plugged.delete(path);
      for (const h of live(path)) h.onError?.(new Error('could not read from HID device'));
    },
    failOpen(path, message) {
      if (message === null) openFailures.delete(path);
      else openFailures.set(path, message);
    },
    failDevices(err) {
      devicesError = err;
    },
    send(path, ...reports) {
      const targets = live(path).filter((h) => h.onReport);
      for (const r of reports) for (const h of targets) h.onReport?.(Buffer.from(r as Uint8Array));
      return targets.length > 0;
    },
    isOpen(path) {
      return live(path).length > 0;
    },
    opens(path) {
      return openCounts.get(path) ?? 0;
    },
  };
}
