import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineContext } from '../../src/core/context';
import { DB_FILE, openDatabase, type Db } from '../../src/core/db';
import { createEngine } from '../../src/core/engine';
import { memoryLogger } from '../../src/core/log';
import { encodeBootKeyboardReports } from '../../src/core/scan/boot-keyboard';
import { chooseScanner, describeDevice, deviceLabel } from '../../src/core/scan/devices';
import { createFakeHidBackend, type FakeHidBackend } from '../../src/core/scan/fake-hid';
import { createNodeHidBackend, HidUnavailableError, type HidDeviceInfo } from '../../src/core/scan/hid-backend';
import { encodeHidPosReports } from '../../src/core/scan/hid-pos';
import { createScanner, type Scanner, type ScannerOptions } from '../../src/core/scan';
import { createMemorySecretStore } from '../../src/core/secrets';
import { createSettingsStore } from '../../src/core/settings';
import { HidDeviceSchema } from '../../src/shared/contract/register';
import { DEFAULT_SETTINGS } from '../../src/shared/contract/settings';
import { fixture } from './fixtures';

const GIFTEE = '100000112345678901234567';

const POS: HidDeviceInfo = { path: '/dev/hidraw3', vendorId: 0x0c2e, productId: 0x0b87, usagePage: 0x8c, usage: 0x02, product: 'Xenon 1900 HID POS', manufacturer: 'Honeywell' };
const PLAIN_KEYBOARD: HidDeviceInfo = { path: '/dev/hidraw0', vendorId: 0x413c, productId: 0x2113, usagePage: 1, usage: 6, product: 'Dell KB216 Wired Keyboard', manufacturer: 'Dell' };
const MOUSE: HidDeviceInfo = { path: '/dev/hidraw1', vendorId: 0x046d, productId: 0xc077, usagePage: 1, usage: 2, product: 'USB Optical Mouse', manufacturer: 'Logitech' };
const KB_SCANNER: HidDeviceInfo = { path: '/dev/hidraw5', vendorId: 0x1eab, productId: 0x0d10, usagePage: 1, usage: 6, product: 'Barcode Scanner', manufacturer: 'Newland' };
const VENDOR_SCANNER: HidDeviceInfo = { path: '/dev/hidraw6', vendorId: 0x1eab, productId: 0x1d10, usagePage: 0xff00, usage: 1, product: 'FM430', manufacturer: 'Newland' };

interface Harness {
  ctx: EngineContext;
  db: Db;
  events: Array<{ event: string; data: unknown }>;
  scans(): Array<{ raw: string; source: string }>;
  scanner: Scanner;
  backend: FakeHidBackend;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function harness(devices: HidDeviceInfo[], opts: ScannerOptions & { start?: boolean } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'rc-'));
  const db = openDatabase(join(dir, DB_FILE));
  const events: Harness['events'] = [];
  // The scanner uses the settings store, the log and emit; the rest of the context is not involved.
  const ctx = {
    db,
    dataDir: dir,
    log: memoryLogger(),
    settings: createSettingsStore(db),
    emit: (event: string, data: unknown) => events.push({ event, data }),
    now: () => new Date(),
  } as unknown as EngineContext;
  const backend = createFakeHidBackend(devices);
  const scanner = createScanner(ctx, { backend, pollMs: 20, idleFlushMs: 40, platform: 'linux', ...opts });
  cleanups.push(async () => {
    await scanner.stop?.();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  if (opts.start !== false) void scanner.start?.();
  return {
    ctx,
    db,
    events,
    scanner,
    backend,
    scans: () => events.filter((e) => e.event === 'scan.received').map((e) => e.data as { raw: string; source: string }),
  };
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('scanner choice (pure rules)', () => {
  const s = DEFAULT_SETTINGS.scanner;

  it('auto-detect: HID POS first; a keyboard interface only on Linux and only when it looks like a scanner', () => {
    expect(chooseScanner([PLAIN_KEYBOARD, MOUSE, POS, KB_SCANNER], s, 'linux')).toMatchObject({ device: POS, mode: 'hid-pos', reason: 'hid-pos' });
    expect(chooseScanner([PLAIN_KEYBOARD, MOUSE, KB_SCANNER], s, 'linux')).toMatchObject({ device: KB_SCANNER, mode: 'hid-keyboard' });
    expect(chooseScanner([PLAIN_KEYBOARD, MOUSE, KB_SCANNER], s, 'win32')).toBeNull();
    expect(chooseScanner([PLAIN_KEYBOARD, MOUSE], s, 'linux')).toBeNull();
    expect(chooseScanner([POS], { ...s, autoDetect: false }, 'linux')).toBeNull();
  });

  it('configured ids win, and only a matching device is used', () => {
    const cfg = { ...s, vendorId: 0x1eab, productId: 0x1d10 };
    expect(chooseScanner([POS, VENDOR_SCANNER], cfg, 'win32')).toMatchObject({ device: VENDOR_SCANNER, mode: 'hid-pos', reason: 'configured' });
    expect(chooseScanner([POS], cfg, 'linux')).toBeNull();
    // Configured by vendor only: its HID POS interface before its keyboard interface.
    const twoInterfaces = [{ ...KB_SCANNER, path: 'a' }, { ...KB_SCANNER, path: 'b', usagePage: 0x8c, usage: 2 }];
    expect(chooseScanner(twoInterfaces, { ...s, vendorId: 0x1eab }, 'linux')?.device.path).toBe('b');
    expect(chooseScanner([KB_SCANNER], { ...s, usagePage: 1 }, 'darwin')).toMatchObject({ mode: 'hid-keyboard', reason: 'configured' });
  });

  it('describes devices for the settings screen in the contract shape', () => {
    const all = [POS, PLAIN_KEYBOARD, MOUSE, KB_SCANNER, VENDOR_SCANNER].map((d) => describeDevice(d, s, 'linux'));
    for (const d of all) HidDeviceSchema.parse(d);
    expect(all.map((d) => [d.mode, d.likelyScanner])).toEqual([
      ['hid-pos', true],
      ['hid-keyboard', false],
      ['other', false],
      ['hid-keyboard', true],
      ['other', false],
    ]);
    expect(describeDevice(VENDOR_SCANNER, { ...s, vendorId: 0x1eab, productId: 0x1d10 }, 'linux')).toMatchObject({ mode: 'hid-pos', likelyScanner: true });
    expect(describeDevice(KB_SCANNER, s, 'win32').likelyScanner).toBe(false);
    expect(deviceLabel(POS)).toBe('Honeywell Xenon 1900 HID POS (0c2e:0b87)');
  });
});

describe('scanner module with a fake HID backend', () => {
  it('auto-detects the HID POS scanner and delivers its scans as scan.received', async () => {
    const h = harness([PLAIN_KEYBOARD, MOUSE, POS]);
    await waitFor(() => h.scanner.status().state === 'connected', 'connected');
    expect(h.scanner.status()).toEqual({ state: 'connected', device: 'Honeywell Xenon 1900 HID POS (0c2e:0b87)', message: 'HID POS' });
    expect(h.backend.isOpen(POS.path)).toBe(true);
    expect(h.backend.isOpen(PLAIN_KEYBOARD.path)).toBe(false);

    h.backend.send(POS.path, ...fixture('pos-single-aim.json').reports);
    await waitFor(() => h.scans().length === 1, 'first scan');
    expect(h.scans()[0]).toEqual({ raw: GIFTEE, source: 'hid-pos' });

    const multi = fixture('pos-multi-aim.json');
    h.backend.send(POS.path, ...multi.reports);
    await waitFor(() => h.scans().length === 2, 'multi-report scan');
    expect(h.scans()[1]).toEqual({ raw: multi.expected.scans[0], source: 'hid-pos' });
  });

  it('reads a keyboard-interface scanner (Linux) with the configured layout', async () => {
    const h = harness([PLAIN_KEYBOARD, KB_SCANNER], { start: false });
    h.ctx.settings.update({ scanner: { keyboardLayout: 'us' } });
    void h.scanner.start?.();
    await waitFor(() => h.scanner.status().state === 'connected', 'connected');
    expect(h.scanner.status().message).toMatch(/keyboard.*US/);
    h.backend.send(KB_SCANNER.path, ...fixture('keyboard-rollover.json').reports, ...fixture('keyboard-us-giftee.json').reports);
    await waitFor(() => h.scans().length === 2, 'two keyboard scans');
    expect(h.scans()).toEqual([
      { raw: '112233445566778899001234', source: 'hid-keyboard' },
      { raw: GIFTEE, source: 'hid-keyboard' },
    ]);
    // Switching the layout reopens the device and decodes JIS symbols.
    h.ctx.settings.update({ scanner: { keyboardLayout: 'jis' } });
    await waitFor(() => h.backend.opens(KB_SCANNER.path) === 2 && h.scanner.status().state === 'connected', 'reopened for JIS');
    h.backend.send(KB_SCANNER.path, ...fixture('keyboard-jis-shift.json').reports);
    await waitFor(() => h.scans().length === 3, 'JIS scan');
    expect(h.scans()[2]).toEqual({ raw: 'Gift-Code:AB@1', source: 'hid-keyboard' });
  });

  it('unplug → disconnected → replug (new path) → reopened and scanning again, without restart', async () => {
    const h = harness([POS]);
    await waitFor(() => h.scanner.status().state === 'connected', 'connected');
    h.backend.unplug(POS.path);
    await waitFor(() => h.scanner.status().state === 'disconnected', 'disconnected');
    expect(h.scanner.status().device).toContain('0c2e:0b87');
    expect(h.backend.isOpen(POS.path)).toBe(false);
    // Still disconnected over several polls while it is away.
    await new Promise((r) => setTimeout(r, 100));
    expect(h.scanner.status().state).toBe('disconnected');

    const replugged = { ...POS, path: '/dev/hidraw7' };
    h.backend.plug(replugged);
    await waitFor(() => h.scanner.status().state === 'connected', 'reconnected');
    expect(h.backend.opens(replugged.path)).toBe(1);
    h.backend.send(replugged.path, ...encodeHidPosReports(`]C0${GIFTEE}`, { layout: 'simple' }));
    await waitFor(() => h.scans().length === 1, 'scan after replug');
    expect(h.scans()[0]).toEqual({ raw: GIFTEE, source: 'hid-pos' });
  });

  it('a device vanishing from the list without a read error is noticed by the poll', async () => {
    const h = harness([POS]);
    await waitFor(() => h.scanner.status().state === 'connected', 'connected');
    // Remove it from the list, but keep the handle silent (as hidapi on some systems does).
    const list = h.backend.devices;
    h.backend.devices = async () => (await list()).filter((d) => d.path !== POS.path);
    await waitFor(() => h.scanner.status().state === 'disconnected', 'disconnected');
    expect(h.backend.isOpen(POS.path)).toBe(false);
    h.backend.devices = list;
    await waitFor(() => h.scanner.status().state === 'connected', 'reconnected');
  });

  it('a device that throws on open → status error with the message; it recovers when it opens again', async () => {
    const h = harness([POS], { start: false });
    h.backend.failOpen(POS.path, 'cannot open device with path /dev/hidraw3');
    void h.scanner.start?.();
    await waitFor(() => h.scanner.status().state === 'error', 'error');
    expect(h.scanner.status().message).toMatch(/cannot open device.*udev/);
    expect(h.scanner.status().device).toContain('Honeywell');
    h.backend.failOpen(POS.path, null);
    await waitFor(() => h.scanner.status().state === 'connected', 'connected after the fix');
  });

  it('a keyboard interface configured on Windows fails with advice to use HID POS or wedge', async () => {
    const h = harness([KB_SCANNER], { start: false, platform: 'win32' });
    h.backend.failOpen(KB_SCANNER.path, 'cannot open device with path \\\\?\\hid#vid_1eab');
    h.ctx.settings.update({ scanner: { vendorId: KB_SCANNER.vendorId, productId: KB_SCANNER.productId } });
    void h.scanner.start?.();
    await waitFor(() => h.scanner.status().state === 'error', 'error');
    expect(h.scanner.status().message).toMatch(/HID POS mode/);
  });

  it('configured ids win over auto-detect, and a settings change switches device at once', async () => {
    const h = harness([POS, VENDOR_SCANNER]);
    await waitFor(() => h.backend.isOpen(POS.path), 'POS open');
    h.ctx.settings.update({ scanner: { vendorId: VENDOR_SCANNER.vendorId, productId: VENDOR_SCANNER.productId } });
    await waitFor(() => h.backend.isOpen(VENDOR_SCANNER.path) && h.scanner.status().state === 'connected', 'vendor scanner open');
    expect(h.backend.isOpen(POS.path)).toBe(false);
    h.backend.send(VENDOR_SCANNER.path, ...fixture('vendor-newland.json').reports);
    await waitFor(() => h.scans().length === 2, 'two scans');
    expect(h.scans().map((s) => s.raw)).toEqual([GIFTEE, '4901234567894']);
    // Configured but absent: 'none' with a message, not another device.
    h.ctx.settings.update({ scanner: { productId: 0x9999 } });
    await waitFor(() => h.scanner.status().message === 'the configured scanner is not connected', 'configured-absent status');
    expect(h.scanner.status().state).toBe('none');
    expect(h.backend.isOpen(POS.path) || h.backend.isOpen(VENDOR_SCANNER.path)).toBe(false);
  });

  it('a vendor-layout scan that fills its report completes after the device goes quiet', async () => {
    const h = harness([VENDOR_SCANNER], { start: false });
    h.ctx.settings.update({ scanner: { vendorId: VENDOR_SCANNER.vendorId } });
    void h.scanner.start?.();
    await waitFor(() => h.scanner.status().state === 'connected', 'connected');
    const full = encodeHidPosReports('8'.repeat(62), { layout: 'simple', reportId: 1 });
    h.backend.send(VENDOR_SCANNER.path, full[0]); // without the closing empty report
    await waitFor(() => h.scans().length === 1, 'flushed scan');
    expect(h.scans()[0].raw).toBe('8'.repeat(62));
  });

  it('a keyboard scanner without a suffix: a long enough burst then silence is a scan, a short one is not', async () => {
    const h = harness([KB_SCANNER]);
    await waitFor(() => h.scanner.status().state === 'connected', 'connected');
    h.backend.send(KB_SCANNER.path, ...encodeBootKeyboardReports('123', 'jis')!);
    await new Promise((r) => setTimeout(r, 120));
    h.backend.send(KB_SCANNER.path, ...encodeBootKeyboardReports(GIFTEE, 'jis')!);
    await waitFor(() => h.scans().length === 1, 'flushed keyboard scan');
    expect(h.scans()).toEqual([{ raw: GIFTEE, source: 'hid-keyboard' }]);
  });

  it('scanner.devices returns the contract view; stop() closes the device', async () => {
    const h = harness([POS, PLAIN_KEYBOARD]);
    await waitFor(() => h.scanner.status().state === 'connected', 'connected');
    const list = await h.scanner.handlers!['scanner.devices']!({});
    expect(list.map((d) => HidDeviceSchema.parse(d).mode)).toEqual(['hid-pos', 'hid-keyboard']);
    expect(list[0].likelyScanner).toBe(true);
    await h.scanner.stop?.();
    expect(h.backend.isOpen(POS.path)).toBe(false);
    const opens = h.backend.opens(POS.path);
    await new Promise((r) => setTimeout(r, 80));
    expect(h.backend.opens(POS.path)).toBe(opens);
  });

  it('node-hid that cannot load is a status message, not a crash', async () => {
    const missing = createNodeHidBackend(() => {
      throw new Error('libusb-1.0.so.0: cannot open shared object file');
    });
    await expect(missing.devices()).rejects.toBeInstanceOf(HidUnavailableError);
    const h = harness([], { backend: missing });
    await waitFor(() => h.scanner.status().message !== null, 'status message');
    expect(h.scanner.status()).toMatchObject({ state: 'none', device: null });
    expect(h.scanner.status().message).toMatch(/libusb/);
    expect(await h.scanner.devices()).toEqual([]);
    h.ctx.settings.update({ scanner: { vendorId: 0x0c2e } });
    await waitFor(() => h.scanner.status().state === 'error', 'error once a scanner is configured');
  });
});

describe('in the engine, with the real node-hid backend', () => {
  it('lists the machine’s HID devices through scanner.devices and reports the scanner state in status.get', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-'));
    const engine = await createEngine({ dataDir: dir, demo: 'off', secrets: createMemorySecretStore(), log: memoryLogger() });
    cleanups.push(async () => {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const devices = await engine.call('scanner.devices', {});
    for (const d of devices) HidDeviceSchema.parse(d);
    const status = await engine.call('status.get', {});
    expect(['none', 'connected', 'disconnected', 'error']).toContain(status.scanner.state);
    if (devices.every((d) => !d.likelyScanner)) expect(status.scanner.state).toBe('none');
  });
});
