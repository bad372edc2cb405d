/**
 * HID boot-protocol keyboard reports → characters, for scanners in keyboard mode opened through
 * node-hid (Linux hidraw). Format (HID 1.11 Appendix B.1 "Protocol 1 (Keyboard)"): 8 bytes —
 * modifier bits (bit0 LCtrl, 1 LShift, 2 LAlt, 3 LGUI, 4 RCtrl, 5 RShift, 6 RAlt, 7 RGUI), a reserved
 * byte, then six key slots holding Keyboard/Keypad page (0x07) usage ids of the keys currently down
 * (HID Usage Tables §10). A device that numbers its reports sends a report id first (9 bytes).
 *
 * Rollover rules (HID 1.11 Appendix C): a key types when it appears in a report and was not in the
 * previous one — not for as long as it is held; typing the same key twice therefore needs a report
 * without it in between. A report with ErrorRollOver (0x01, also POSTFail 0x02 / ErrorUndefined 0x03)
 * in its slots says "too many keys, state unknown": it is ignored and the previous state kept.
 * Shift comes from the modifier byte (left or right); keys pressed with Ctrl/Alt/GUI type nothing.
 * Enter and Tab come out as '\r' and '\t' so the caller can split scans at them.
 *
 * Pure and total: bad input gives a typed error, never an exception.
 */
import { keyByUsage, keyChar, keyForChar, type KeyboardLayout } from '../../renderer/scan/keymap';
import { asBytes, fail, type DecodeResult, type ReportError } from './report-bytes';

export const BOOT_REPORT_LENGTH = 8;

const SHIFT_BITS = 0x02 | 0x20;
const NON_SHIFT_MODIFIER_BITS = 0xff & ~SHIFT_BITS;
const MAX_KEY_SLOTS = 6;

export interface BootKeyboardDecoder {
  /** One input report → the characters it typed ('' for a release or an ignored report). */
  push(report: unknown): DecodeResult<string>;
  /** Forget which keys are held (after a reopen). */
  reset(): void;
}

export interface BootKeyboardOptions {
  /**
   * Whether reports start with a report id: a number = yes (and reports with another id are ignored),
   * null = no, undefined = by length (9 bytes = with id).
   */
  reportId?: number | null;
}

export function createBootKeyboardDecoder(layout: KeyboardLayout, opts: BootKeyboardOptions = {}): BootKeyboardDecoder {
  // Keys down in the last accepted report (at most 6 usage ids; a tiny array beats a Set here).
  let held: number[] = [];

  return {
    reset() {
      held = [];
    },
    push(input: unknown): DecodeResult<string> {
      const bytes = asBytes(input);
      if (!bytes) return fail('not_bytes', 'keyboard report is not a byte sequence');
      let offset: number;
      if (opts.reportId === undefined) {
        if (bytes.length === BOOT_REPORT_LENGTH) offset = 0;
        else if (bytes.length === BOOT_REPORT_LENGTH + 1) offset = 1;
        else return fail('bad_length', `keyboard report has ${bytes.length} bytes, expected 8 (or 9 with a report id)`);
      } else if (opts.reportId === null) {
        if (bytes.length < BOOT_REPORT_LENGTH) return fail('bad_length', `keyboard report has ${bytes.length} bytes, expected 8`);
        offset = 0;
      } else {
        if (bytes.length < BOOT_REPORT_LENGTH + 1) return fail('bad_length', `keyboard report has ${bytes.length} bytes, expected 9`);
        if (bytes[0] !== opts.reportId) return { ok: true, value: '' };
        offset = 1;
      }
      const modifiers = bytes[offset];
      const slots = bytes.subarray(offset + 2, offset + 2 + MAX_KEY_SLOTS);
      for (let i = 0; i < slots.length; i++) {
        if (slots[i] >= 0x01 && slots[i] <= 0x03) return { ok: true, value: '' }; // phantom state
      }
      const shift = (modifiers & SHIFT_BITS) !== 0;
      const chorded = (modifiers & NON_SHIFT_MODIFIER_BITS) !== 0;
      let typed = '';
      const now: number[] = [];
      for (let i = 0; i < slots.length; i++) {
        const usage = slots[i];
        if (usage === 0 || now.includes(usage)) continue;
        now.push(usage);
        if (held.includes(usage) || chorded) continue;
        const k = keyByUsage(usage);
        if (!k) continue;
        if (k.role === 'enter') typed += '\r';
        else if (k.role === 'tab') typed += '\t';
        else if (k.role === 'char') typed += keyChar(k, shift, layout) ?? '';
      }
      held = now;
      return { ok: true, value: typed };
    },
  };
}

/** A whole recorded sequence → the text it typed, plus every report that could not be read. */
export function decodeBootKeyboardReports(
  reports: readonly unknown[],
  layout: KeyboardLayout,
  opts: BootKeyboardOptions = {},
): { text: string; errors: ReportError[] } {
  const d = createBootKeyboardDecoder(layout, opts);
  let text = '';
  const errors: ReportError[] = [];
  for (const r of reports) {
    const res = d.push(r);
    if (res.ok) text += res.value;
    else errors.push(res.error);
  }
  return { text, errors };
}

export interface BootKeyboardEncodeOptions {
  /** Use right Shift instead of left. */
  rightShift?: boolean;
  /**
   * Press the next key before releasing the previous one (n-key rollover, as fast scanners do):
   * [a] [a b] [b] [] ... instead of [a] [] [b] [] ... A repeated character still gets a release first.
   */
  rollover?: boolean;
  /** Prefix every report with this report id (9-byte reports). */
  reportId?: number;
}

/**
 * Text → the boot keyboard reports a scanner would send to type it on `layout` ('\r' / '\n' → Enter,
 * '\t' → Tab). Null when a character cannot be typed on that layout. For fixtures, tests and the fake
 * scanner; the inverse of the decoder.
 */
export function encodeBootKeyboardReports(text: string, layout: KeyboardLayout, opts: BootKeyboardEncodeOptions = {}): Uint8Array[] | null {
  const shiftBit = opts.rightShift ? 0x20 : 0x02;
  const strokes: Array<{ usage: number; shift: boolean }> = [];
  for (const ch of text) {
    if (ch === '\r' || ch === '\n') strokes.push({ usage: 0x28, shift: false });
    else if (ch === '\t') strokes.push({ usage: 0x2b, shift: false });
    else {
      const k = keyForChar(ch, layout);
      if (!k) return null;
      strokes.push({ usage: k.key.usages[0], shift: k.shift });
    }
  }
  const out: Uint8Array[] = [];
  const report = (modifiers: number, keys: number[]): void => {
    const r = new Uint8Array(BOOT_REPORT_LENGTH + (opts.reportId === undefined ? 0 : 1));
    let o = 0;
    if (opts.reportId !== undefined) r[o++] = opts.reportId;
    r[o] = modifiers;
    keys.forEach((k, i) => (r[o + 2 + i] = k));
    out.push(r);
  };
  let down: number[] = []; // keys in the last report
  for (let i = 0; i < strokes.length; i++) {
    const s = strokes[i];
    const mods = s.shift ? shiftBit : 0;
    const prev = strokes[i - 1];
    // Roll over (keep the previous key down while pressing the next) unless the next key is still
    // down in the last report or Shift changes; then release everything first.
    if (opts.rollover && prev && !down.includes(s.usage) && prev.shift === s.shift) {
      down = [prev.usage, s.usage];
    } else {
      if (opts.rollover && prev) report(0, []);
      down = [s.usage];
    }
    report(mods, down);
    if (!opts.rollover) report(0, []);
  }
  if (opts.rollover && strokes.length) report(0, []);
  return out;
}
