/**
 * What the HID report decoders share: the typed error they return instead of throwing, turning
 * "whatever node-hid (or a test) handed us" into bytes, and turning decoded bytes into text.
 */

export type ReportErrorCode =
  /** Not a byte sequence at all (a test or a driver handed something else). */
  | 'not_bytes'
  /** The report has a length no known layout has. */
  | 'bad_length'
  /** The report's own length byte points past its end. */
  | 'bad_length_field'
  /** A scan announced more reports ("data continued") that never came. */
  | 'incomplete'
  /** A scan grew past what any barcode holds: the stream is garbage. */
  | 'too_long';

export interface ReportError {
  code: ReportErrorCode;
  message: string;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: ReportError };

export const fail = (code: ReportErrorCode, message: string): { ok: false; error: ReportError } => ({ ok: false, error: { code, message } });

/** Buffer / Uint8Array / array of byte numbers → bytes; anything else (or a non-byte number) → null. */
export function asBytes(input: unknown): Uint8Array | null {
  if (input instanceof Uint8Array) return input;
  if (Array.isArray(input)) {
    const out = new Uint8Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const v = input[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) return null;
      out[i] = v;
    }
    return out;
  }
  return null;
}

let utf8: TextDecoder | null = null;
let sjis: TextDecoder | null | undefined;

/**
 * Decoded barcode bytes → text. Plain ASCII (every giftee code) takes the fast path. Otherwise UTF-8
 * when the bytes are valid UTF-8 (QR codes usually are), else Shift_JIS (what Japanese QR codes and
 * scanners set to "Japanese" send), else Latin-1 so nothing is ever lost to an exception.
 */
export function bytesToText(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
    return s;
  }
  try {
    utf8 ??= new TextDecoder('utf-8', { fatal: true });
    return utf8.decode(bytes);
  } catch {
    /* not UTF-8 */
  }
  if (sjis === undefined) {
    try {
      sjis = new TextDecoder('shift_jis', { fatal: true });
    } catch {
      sjis = null; // a Node without full ICU
    }
  }
  if (sjis) {
    try {
      return sjis.decode(bytes);
    } catch {
      /* not Shift_JIS either */
    }
  }
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Lower-case hex with spaces, for messages and fixtures. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Hex text (spaces, commas, `0x` prefixes and line breaks allowed) → bytes; null on anything else. */
export function parseHex(text: string): Uint8Array | null {
  const clean = text.replace(/0x/gi, '').replace(/[\s,:]+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
