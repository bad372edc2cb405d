/**
 * The one place node-hid is touched. The scanner module talks to a `HidBackend`; the app uses the
 * node-hid one, tests use the fake (fake-hid.ts) that plays recorded reports and unplugs on demand.
 *
 * node-hid facts this relies on (node-hid 3.4, hidapi): `devicesAsync()` lists devices without
 * blocking the event loop; `HIDAsync.open(path)` opens one and emits 'data' (one input report per
 * Buffer, report id first when the device numbers its reports) and 'error' when reading fails — which
 * is how an unplug shows up, there are no hot-plug events. On Windows, closing a device with 'data'
 * listeners attached can hang or crash, so listeners go before `close()`.
 */
import { createRequire } from 'node:module';

export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  usagePage: number;
  usage: number;
  product: string | null;
  manufacturer: string | null;
  serialNumber?: string | null;
  interface?: number;
}

export interface HidHandle {
  /** Starts delivery: each input report, and the error that ends reading (unplugged). Call once. */
  listen(onReport: (report: Buffer) => void, onError: (err: Error) => void): void;
  /** Stops delivery and releases the device. Never rejects. */
  close(): Promise<void>;
}

export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

/** node-hid cannot be loaded here (no prebuilt for this platform, libusb missing): HID scanning is off. */
export class HidUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HidUnavailableError';
  }
}

/** The part of node-hid's API used here (its bundled typings are for 1.x). */
interface NodeHidDevice {
  path?: string;
  vendorId: number;
  productId: number;
  usagePage?: number;
  usage?: number;
  product?: string;
  manufacturer?: string;
  serialNumber?: string;
  interface?: number;
}
interface NodeHidAsync {
  on(event: 'data', fn: (data: Buffer) => void): unknown;
  on(event: 'error', fn: (err: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): Promise<void>;
}
export interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDevice[]>;
  HIDAsync: { open(path: string): Promise<NodeHidAsync> };
}

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

function loadNodeHid(): NodeHidModule {
  // Loaded on first use, not at import: a machine without libusb still starts, with a status message.
  return createRequire(import.meta.url)('node-hid') as NodeHidModule;
}

export function createNodeHidBackend(load: () => NodeHidModule = loadNodeHid): HidBackend {
  let mod: NodeHidModule | null = null;
  let loadError: HidUnavailableError | null = null;
  const hid = (): NodeHidModule => {
    if (mod) return mod;
    if (loadError) throw loadError;
    try {
      mod = load();
      return mod;
    } catch (err) {
      const why = toError(err).message.split('\n')[0];
      loadError = new HidUnavailableError(
        `HID scanners unavailable: node-hid could not be loaded (${why}). On Linux install libusb-1.0-0; keyboard-wedge scanning still works.`,
      );
      throw loadError;
    }
  };

  return {
    async devices() {
      const list = await hid().devicesAsync();
      const out: HidDeviceInfo[] = [];
      for (const d of list) {
        if (!d.path) continue; // cannot be opened by path
        out.push({
          path: d.path,
          vendorId: d.vendorId,
          productId: d.productId,
          usagePage: d.usagePage ?? 0,
          usage: d.usage ?? 0,
          product: d.product || null,
          manufacturer: d.manufacturer || null,
          serialNumber: d.serialNumber || null,
          interface: d.interface,
        });
      }
      return out;
    },
    async open(path) {
      const dev = await hid().HIDAsync.open(path);
      let closed = false;
      return {
        listen(onReport, onError) {
          dev.on('error', (e) => {
            if (!closed) onError(toError(e));
          });
          dev.on('data', (buf) => {
            if (!closed) onReport(buf);
          });
        },
        async close() {
          if (closed) return;
          closed = true;
          dev.removeAllListeners('data');
          dev.removeAllListeners('error');
          // A late read error must not become an unhandled 'error' event.
          dev.on('error', () => {});
          try {
            await dev.close();
          } catch {
            /* already gone (unplugged) */
          }
        },
      };
    },
  };
}
