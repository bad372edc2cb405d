/**
 * Input reports of HID POS barcode scanners (usage page 0x8C) → scanned text.
 *
 * Two layouts are read (see test/fixtures/hid/README.md for the sources):
 *
 * - `pos` — the Scanned Data Report of the USB HID Point of Sale Usage Tables 1.02 (§3, Bar Code
 *   Scanner page 0x8C: Symbology Identifier 1–3 (0xFB–0xFD), Decoded Data (0xFE), Decoded Data
 *   Continued (0xFF)), in the byte layout HID POS scanners actually send (documented by Access-IS
 *   LSR116/LSR118/ATR110 and matching Honeywell's and Zebra's HID POS mode), a 64-byte report:
 *     [0] report id (2) · [1] number of data bytes · [2..4] symbology id — an AIM id (']' + code
 *     letter + modifier, e.g. "]E0", "]Q1") or three raw symbology bytes · [5..] data (56 bytes in a
 *     64-byte report) · [n-3] vendor symbology id · [n-2] reserved · [n-1] bit 0 = data continued.
 *   A longer code spans several reports; each but the last has the continued bit set.
 * - `simple` — the vendor layout of scanners in "HID data" mode (Newland FM430 "HID POS", Microscan
 *   HID): [0] report id · [1] number of data bytes · [2..] data, zero padded. There is no continued
 *   flag: a report whose data fills it completely may be followed by more (Microscan streams long data
 *   that way), so such a scan is only complete when the next report is short or on `flush()`.
 *
 * `auto` (the default) tells them apart per report: an AIM id or three control bytes at [2..4] whose
 * announced data is free of NUL bytes is `pos`; otherwise `simple` (simple data never has the NUL
 * padding that follows its end inside the `pos` window). Continuation reports keep the layout of the
 * scan they continue.
 *
 * Pure and total: bad input gives a typed error, never an exception.
 */
import { asBytes, bytesToText, fail, type DecodeResult, type ReportError } from './report-bytes';

export type HidPosLayout = 'pos' | 'simple';

export interface HidPosReport {
  layout: HidPosLayout;
  reportId: number;
  /** AIM symbology identifier (e.g. "]E0") when the report carries one. */
  aim: string | null;
  data: Uint8Array;
  /** 'yes': the continued flag is set; 'maybe': a simple report filled to the brim; 'no': last report. */
  more: 'yes' | 'maybe' | 'no';
}

export interface HidPosOptions {
  layout?: 'auto' | HidPosLayout;
  /** Only reports with these ids carry scans (others are ignored). Default: any. */
  reportIds?: readonly number[];
}

export interface HidPosScan {
  text: string;
  aim: string | null;
  layout: HidPosLayout;
  /** How many reports it took. */
  reports: number;
}

/** Bytes around the data in a `pos` report: id, length, 3 symbology bytes; vendor id, reserved, flags. */
const POS_HEAD = 5;
const POS_TAIL = 3;
/** A scan longer than this is not a barcode (the largest QR code holds 7089 digits). */
export const MAX_SCAN_BYTES = 8192;

const isAimLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
const isAimModifier = (b: number) => isAimLetter(b) || (b >= 0x30 && b <= 0x39);

function hasNul(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] === 0) return true;
  return false;
}

function parsePos(r: Uint8Array, strict: boolean): DecodeResult<HidPosReport> | null {
  const len = r[1];
  if (r.length < POS_HEAD + POS_TAIL + 1 || len > r.length - POS_HEAD - POS_TAIL) {
    return strict ? fail('bad_length_field', `HID POS report of ${r.length} bytes announces ${len} data bytes`) : null;
  }
  const aimLike = r[2] === 0x5d && isAimLetter(r[3]) && isAimModifier(r[4]);
  const rawSymbology = r[2] < 0x20 && r[3] < 0x20 && r[4] < 0x20;
  if (!strict && (!(aimLike || rawSymbology) || hasNul(r, POS_HEAD, POS_HEAD + len))) return null;
  return {
    ok: true,
    value: {
      layout: 'pos',
      reportId: r[0],
      aim: aimLike ? String.fromCharCode(r[2], r[3], r[4]) : null,
      data: r.subarray(POS_HEAD, POS_HEAD + len),
      more: (r[r.length - 1] & 0x01) === 1 ? 'yes' : 'no',
    },
  };
}

function parseSimple(r: Uint8Array): DecodeResult<HidPosReport> {
  const len = r[1];
  if (len > r.length - 2) return fail('bad_length_field', `HID report of ${r.length} bytes announces ${len} data bytes`);
  const data = r.subarray(2, 2 + len);
  const last = data[data.length - 1];
  const full = len > 0 && len === r.length - 2 && last !== 0x0d && last !== 0x0a;
  return { ok: true, value: { layout: 'simple', reportId: r[0], aim: null, data, more: full ? 'maybe' : 'no' } };
}

/** One input report → its fields. `hint` = the layout of the scan this report continues. */
export function parseHidPosReport(input: unknown, opts: HidPosOptions = {}, hint?: HidPosLayout): DecodeResult<HidPosReport> {
  const r = asBytes(input);
  if (!r) return fail('not_bytes', 'HID report is not a byte sequence');
  if (r.length < 2) return fail('bad_length', `HID report has ${r.length} bytes; a scan report has at least a report id and a length`);
  const layout = opts.layout && opts.layout !== 'auto' ? opts.layout : hint;
  if (layout === 'pos') return parsePos(r, true) as DecodeResult<HidPosReport>;
  if (layout === 'simple') return parseSimple(r);
  return parsePos(r, false) ?? parseSimple(r);
}

export type HidPosStep =
  | { kind: 'none' }
  | { kind: 'partial' }
  | { kind: 'scan'; scan: HidPosScan }
  | { kind: 'error'; error: ReportError };

export interface HidPosAssembler {
  /** One input report. A scan spread over several reports comes out with its last one. */
  push(report: unknown): HidPosStep;
  /**
   * The device went quiet: a `simple` scan that filled its last report is complete after all; a scan
   * still announcing more reports is broken (`incomplete`). Returns `none` when nothing was pending.
   */
  flush(): HidPosStep;
  pending(): boolean;
  reset(): void;
}

export function createHidPosAssembler(opts: HidPosOptions = {}): HidPosAssembler {
  let parts: Uint8Array[] = [];
  let size = 0;
  let count = 0;
  let aim: string | null = null;
  let layout: HidPosLayout | undefined;
  let expecting: 'yes' | 'maybe' | 'no' = 'no';

  const reset = (): void => {
    parts = [];
    size = 0;
    count = 0;
    aim = null;
    layout = undefined;
    expecting = 'no';
  };
  const finish = (): HidPosStep => {
    const data = parts.length === 1 ? parts[0] : concat(parts, size);
    const scan: HidPosScan = { text: bytesToText(data), aim, layout: layout ?? 'simple', reports: count };
    reset();
    return { kind: 'scan', scan };
  };

  return {
    pending: () => count > 0,
    reset,
    flush(): HidPosStep {
      if (count === 0) return { kind: 'none' };
      if (expecting === 'yes') {
        const n = count;
        reset();
        return { kind: 'error', error: { code: 'incomplete', message: `a scan announced more data after ${n} report(s) that never came` } };
      }
      return finish();
    },
    push(input: unknown): HidPosStep {
      const parsed = parseHidPosReport(input, opts, count > 0 ? layout : undefined);
      if (!parsed.ok) {
        reset();
        return { kind: 'error', error: parsed.error };
      }
      const rep = parsed.value;
      if (opts.reportIds && !opts.reportIds.includes(rep.reportId)) return count > 0 ? { kind: 'partial' } : { kind: 'none' };
      // An empty last report ends a pending scan; on its own it is the idle report some scanners send.
      if (rep.data.length === 0 && rep.more === 'no') return count > 0 ? finish() : { kind: 'none' };
      if (size + rep.data.length > MAX_SCAN_BYTES) {
        reset();
        return { kind: 'error', error: { code: 'too_long', message: `a scan grew past ${MAX_SCAN_BYTES} bytes` } };
      }
      if (count === 0) {
        layout = rep.layout;
        aim = rep.aim;
      }
      // Copy: node-hid may reuse the buffer behind a report.
      parts.push(rep.data.slice());
      size += rep.data.length;
      count++;
      expecting = rep.more;
      return rep.more === 'no' ? finish() : { kind: 'partial' };
    },
  };
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A recorded sequence → every scan in it, plus every report that could not be read. */
export function decodeHidPosReports(reports: readonly unknown[], opts: HidPosOptions = {}): { scans: HidPosScan[]; errors: ReportError[] } {
  const a = createHidPosAssembler(opts);
  const scans: HidPosScan[] = [];
  const errors: ReportError[] = [];
  const take = (s: HidPosStep) => {
    if (s.kind === 'scan') scans.push(s.scan);
    else if (s.kind === 'error') errors.push(s.error);
  };
  for (const r of reports) take(a.push(r));
  take(a.flush());
  return { scans, errors };
}

export interface HidPosEncodeOptions {
  layout?: HidPosLayout;
  reportId?: number;
  /** Whole report length in bytes (64 for full-speed USB). */
  reportSize?: number;
  /** `pos`: the AIM id to send (e.g. "]E0"); default three zero bytes (no symbology given). */
  aim?: string;
}

/**
 * Text (or bytes) → the input reports a scanner would send, split over as many reports as it takes.
 * For fixtures, tests and the fake scanner; the inverse of the assembler. UTF-8 for non-ASCII text.
 */
export function encodeHidPosReports(content: string | Uint8Array, opts: HidPosEncodeOptions = {}): Uint8Array[] {
  const layout = opts.layout ?? 'pos';
  const size = opts.reportSize ?? 64;
  const id = opts.reportId ?? 2;
  const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const cap = layout === 'pos' ? size - POS_HEAD - POS_TAIL : size - 2;
  if (cap < 1 || cap > 255) throw new RangeError(`report size ${size} cannot carry ${layout} data`);
  const out: Uint8Array[] = [];
  for (let o = 0; o === 0 || o < data.length; o += cap) {
    const chunk = data.subarray(o, o + cap);
    const r = new Uint8Array(size);
    r[0] = id;
    r[1] = chunk.length;
    if (layout === 'pos') {
      if (opts.aim) for (let i = 0; i < 3; i++) r[2 + i] = opts.aim.charCodeAt(i) & 0xff;
      r.set(chunk, POS_HEAD);
      if (o + cap < data.length) r[size - 1] = 0x01;
    } else {
      r.set(chunk, 2);
    }
    out.push(r);
  }
  // A simple-layout scan that exactly fills its last report needs an empty one to say it ended.
  if (layout === 'simple' && data.length > 0 && data.length % cap === 0) {
    const r = new Uint8Array(size);
    r[0] = id;
    out.push(r);
  }
  return out;
}
