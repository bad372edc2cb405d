/**
 * HID scanners in the engine: picks the scanner among the HID devices (devices.ts), opens it through
 * a `HidBackend`, decodes its reports (HID POS data or boot keyboard) into text, and emits each scan
 * as `scan.received` for the renderer to evaluate with its basket. The keyboard-wedge path lives in the
 * renderer (src/renderer/scan/wedge.ts) and feeds the same stream there.
 *
 * Hot-plug: node-hid has no plug events, so the device list is polled (every second by default). A
 * scanner that fails reading (unplugged) is closed and marked disconnected; the next poll that sees it
 * again (same or new path) reopens it — within ~1 s of replugging, no restart. Settings changes (device
 * ids, auto-detect, layout) close the current device and choose again at once.
 */
import type { EngineStatus } from '../../shared/contract/status';
import type { HidDevice } from '../../shared/contract/register';
import type { EngineContext, EngineModule } from '../context';
import { createBootKeyboardDecoder, type BootKeyboardDecoder } from './boot-keyboard';
import { chooseScanner, describeDevice, deviceLabel, isConfigured, type ScannerChoice, type ScannerSettings } from './devices';
import { createNodeHidBackend, HidUnavailableError, type HidBackend, type HidHandle } from './hid-backend';
import { createHidPosAssembler, type HidPosAssembler } from './hid-pos';
import { normalizeScan } from './normalize';
import type { ReportError } from './report-bytes';

export type ScannerStatus = EngineStatus['scanner'];

export interface Scanner extends EngineModule {
  status(): ScannerStatus;
  /** The HID devices with what auto-detect thinks of them (the `scanner.devices` handler). */
  devices(): Promise<HidDevice[]>;
}

export interface ScannerOptions {
  backend?: HidBackend;
  /** Device-list poll interval (hot-plug detection). */
  pollMs?: number;
  /** The OS, for "can a keyboard interface be opened" (tests pretend). */
  platform?: string;
  /** Quiet time after which a scan still being assembled is finished (or dropped). */
  idleFlushMs?: number;
}

interface Open {
  choice: ScannerChoice;
  label: string;
  handle: HidHandle;
  feed(report: Buffer): void;
  flush(): void;
}

/** Settings that decide which device is read and how. */
const deviceKey = (s: ScannerSettings): string => JSON.stringify([s.vendorId, s.productId, s.usagePage, s.autoDetect, s.keyboardLayout]);

export function createScanner(ctx: EngineContext, opts: ScannerOptions = {}): Scanner {
  const backend = opts.backend ?? createNodeHidBackend();
  const pollMs = opts.pollMs ?? 1000;
  const platform = opts.platform ?? process.platform;
  const idleFlushMs = opts.idleFlushMs ?? 250;
  const log = ctx.log.child('scanner');

  let status: ScannerStatus = { state: 'none', device: null, message: null };
  let current: Open | null = null;
  /** The device we last had open: when it is gone, the state is 'disconnected' rather than 'none'. */
  let lastLabel: string | null = null;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let again = false;
  let generation = 0;
  let unsubscribe: (() => void) | null = null;
  let settingsKey = deviceKey(ctx.settings.get().scanner);

  const setStatus = (next: ScannerStatus): void => {
    if (next.state !== status.state || next.message !== status.message || next.device !== status.device) {
      const level = next.state === 'error' ? 'warn' : 'info';
      log[level]('scanner status', { ...next });
    }
    status = next;
  };

  const emitScan = (text: string, source: 'hid-pos' | 'hid-keyboard'): void => {
    const raw = normalizeScan(text);
    if (!raw) return;
    log.info('scan received', { source, length: raw.length });
    ctx.emit('scan.received', { raw: raw.slice(0, 1000), source });
  };

  const clearFlush = (): void => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
  };
  const scheduleFlush = (): void => {
    clearFlush();
    flushTimer = setTimeout(() => {
      flushTimer = null;
      current?.flush();
    }, idleFlushMs);
    flushTimer.unref?.();
  };

  /** Logs each kind of unreadable report once per opened device (a device may send them by the hundred). */
  function reportWarner(what: string): (error: ReportError) => void {
    const seen = new Set<string>();
    return (error) => {
      if (seen.has(error.code)) return;
      seen.add(error.code);
      log.warn(`unreadable ${what} report`, { ...error });
    };
  }

  function posReader(): Pick<Open, 'feed' | 'flush'> {
    const asm: HidPosAssembler = createHidPosAssembler();
    const warn = reportWarner('HID POS');
    const take = (step: ReturnType<HidPosAssembler['push']>): void => {
      if (step.kind === 'scan') emitScan(step.scan.text, 'hid-pos');
      else if (step.kind === 'error') warn(step.error);
    };
    return {
      feed(report) {
        clearFlush();
        take(asm.push(report));
        if (asm.pending()) scheduleFlush();
      },
      flush: () => take(asm.flush()),
    };
  }

  function keyboardReader(layout: 'us' | 'jis'): Pick<Open, 'feed' | 'flush'> {
    const kb: BootKeyboardDecoder = createBootKeyboardDecoder(layout);
    const warn = reportWarner('keyboard');
    let line = '';
    return {
      feed(report) {
        clearFlush();
        const res = kb.push(report);
        if (!res.ok) {
          warn(res.error);
          return;
        }
        for (const ch of res.value) {
          if (ch === '\r' || ch === '\t') {
            if (line) emitScan(line, 'hid-keyboard');
            line = '';
          } else if (line.length < 1000) line += ch;
        }
        if (line) scheduleFlush();
      },
      flush() {
        // A scanner set up without a suffix: a long enough burst followed by silence is a scan.
        if (line.length >= ctx.settings.get().scanner.wedge.minLength) emitScan(line, 'hid-keyboard');
        line = '';
      },
    };
  }

  async function closeCurrent(): Promise<void> {
    const c = current;
    current = null;
    clearFlush();
    if (c) await c.handle.close().catch(() => {});
  }

  function openErrorMessage(err: unknown, choice: ScannerChoice): string {
    const msg = err instanceof Error ? err.message : String(err);
    if (choice.mode === 'hid-keyboard' && platform !== 'linux') {
      return `${msg} — this system keeps keyboards to itself; switch the scanner to HID POS mode, or use it as a keyboard (wedge)`;
    }
    if (platform === 'linux' && /permission|access|open/i.test(msg)) {
      return `${msg} — on Linux a udev rule must grant access to /dev/hidraw* for this device`;
    }
    return msg;
  }

  async function pollOnce(): Promise<void> {
    const s = ctx.settings.get().scanner;
    const gen = generation;
    let list;
    try {
      list = await backend.devices();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof HidUnavailableError && !isConfigured(s)) setStatus({ state: 'none', device: null, message });
      else setStatus({ state: 'error', device: status.device, message });
      return;
    }
    if (gen !== generation || !running) return;
    if (current) {
      if (list.some((d) => d.path === current?.choice.device.path)) return;
      const label = current.label;
      await closeCurrent();
      setStatus({ state: 'disconnected', device: label, message: 'scanner unplugged' });
    }
    const choice = chooseScanner(list, s, platform);
    if (!choice) {
      if (lastLabel) setStatus({ state: 'disconnected', device: lastLabel, message: status.state === 'disconnected' ? status.message : 'scanner not found' });
      else setStatus({ state: 'none', device: null, message: isConfigured(s) ? 'the configured scanner is not connected' : null });
      return;
    }
    const label = deviceLabel(choice.device);
    let handle: HidHandle;
    try {
      handle = await backend.open(choice.device.path);
    } catch (err) {
      setStatus({ state: 'error', device: label, message: openErrorMessage(err, choice) });
      return;
    }
    if (gen !== generation || !running) {
      await handle.close().catch(() => {});
      return;
    }
    const layout = s.keyboardLayout;
    const reader = choice.mode === 'hid-pos' ? posReader() : keyboardReader(layout);
    const open: Open = { choice, label, handle, ...reader };
    current = open;
    lastLabel = label;
    handle.listen(
      (report) => {
        if (current === open) open.feed(report);
      },
      (err) => {
        if (current !== open) return;
        void closeCurrent();
        // Reopened by the next poll that lists it again (not at once: a device failing every read
        // must not spin).
        setStatus({ state: 'disconnected', device: label, message: `scanner stopped: ${err.message}` });
      },
    );
    setStatus({
      state: 'connected',
      device: label,
      message: choice.mode === 'hid-pos' ? 'HID POS' : `keyboard interface (${layout.toUpperCase()} layout)`,
    });
  }

  /**
   * Runs a poll now. `urgent` (a settings change): if one is in progress, poll again right after it;
   * otherwise (the timer) a poll in progress is enough — a slow device list must not pile up polls.
   */
  function requestPoll(urgent = false): void {
    if (!running) return;
    if (ticking) {
      if (urgent) again = true;
      return;
    }
    ticking = (async () => {
      try {
        do {
          again = false;
          await pollOnce();
        } while (again && running);
      } catch (err) {
        log.error('scanner poll failed', { err });
      } finally {
        ticking = null;
      }
    })();
  }

  const onSettings = (settings: { scanner: ScannerSettings }): void => {
    const key = deviceKey(settings.scanner);
    if (key === settingsKey) return;
    settingsKey = key;
    generation++;
    lastLabel = null;
    void closeCurrent();
    setStatus({ state: 'none', device: null, message: null });
    requestPoll(true);
  };

  async function devices(): Promise<HidDevice[]> {
    const s = ctx.settings.get().scanner;
    try {
      return (await backend.devices()).map((d) => describeDevice(d, s, platform));
    } catch (err) {
      // No HID here (node-hid not loadable): no devices; status() carries the reason.
      if (err instanceof HidUnavailableError) return [];
      throw err;
    }
  }

  return {
    name: 'scanner',
    status: () => ({ ...status }),
    devices,
    handlers: { 'scanner.devices': () => devices() },
    start() {
      if (running) return;
      running = true;
      settingsKey = deviceKey(ctx.settings.get().scanner);
      unsubscribe = ctx.settings.onChange(onSettings);
      timer = setInterval(() => requestPoll(), pollMs);
      timer.unref?.();
      requestPoll();
    },
    async stop() {
      running = false;
      generation++;
      if (timer) clearInterval(timer);
      timer = null;
      unsubscribe?.();
      unsubscribe = null;
      // A device list that hangs (hidapi on Windows can take seconds) must not hold up shutdown.
      if (ticking) await Promise.race([ticking, new Promise((r) => setTimeout(r, 2000).unref?.())]);
      await closeCurrent();
    },
  };
}
