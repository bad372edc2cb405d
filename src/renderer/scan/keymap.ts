/**
 * One table of physical keys serving both scanner paths: the renderer's keyboard wedge (which sees
 * `KeyboardEvent.code`) and the engine's HID boot-keyboard decoder (which sees HID usage ids from the
 * Keyboard/Keypad page 0x07, HID Usage Tables §10). Both name the same physical key, so one row maps a
 * usage id and a code to the characters that key types on a US (ANSI 104) and a JIS (109) keyboard.
 *
 * Dependency-free on purpose: the renderer bundles it, and the engine imports it from here.
 * Characters are ASCII only; a key that types nothing printable on a layout (JIS 半角/全角, Shift+0 on
 * JIS) has `null` there. Numpad keys assume NumLock on, as scanners send them.
 */

export type KeyboardLayout = 'us' | 'jis';

/** What a key means to a scanner reader: a character, a terminator, or a modifier (ignored for bursts). */
export type KeyRole = 'char' | 'enter' | 'tab' | 'modifier' | 'other';

export interface KeyDef {
  /** HID usage ids (page 0x07) that are this physical key. */
  readonly usages: readonly number[];
  /** `KeyboardEvent.code` values of this key. */
  readonly codes: readonly string[];
  readonly role: KeyRole;
  /** [unshifted, shifted] per layout; null where the key types nothing printable. */
  readonly us: readonly [string | null, string | null];
  readonly jis: readonly [string | null, string | null];
}

type Pair = readonly [string | null, string | null];
const rows: KeyDef[] = [];
const key = (usages: number[], codes: string[], us: Pair, jis: Pair = us, role: KeyRole = 'char'): void => {
  rows.push({ usages, codes, role, us, jis });
};

// Letters: usage 0x04 'a' .. 0x1D 'z'.
for (let i = 0; i < 26; i++) {
  const lower = String.fromCharCode(0x61 + i);
  const upper = lower.toUpperCase();
  key([0x04 + i], [`Key${upper}`], [lower, upper]);
}
// Top-row digits: usage 0x1E '1' .. 0x26 '9', 0x27 '0'. Shifted symbols differ between US and JIS.
const usShiftDigits = '!@#$%^&*(';
const jisShiftDigits = '!"#$%&\'()';
for (let d = 1; d <= 9; d++) {
  key([0x1d + d], [`Digit${d}`], [String(d), usShiftDigits[d - 1]], [String(d), jisShiftDigits[d - 1]]);
}
key([0x27], ['Digit0'], ['0', ')'], ['0', null]);

key([0x28], ['Enter'], [null, null], [null, null], 'enter');
key([0x58], ['NumpadEnter'], [null, null], [null, null], 'enter');
key([0x2b], ['Tab'], [null, null], [null, null], 'tab');
key([0x2c], ['Space'], [' ', ' '], [' ', ' ']);
key([0x2d], ['Minus'], ['-', '_'], ['-', '=']);
key([0x2e], ['Equal'], ['=', '+'], ['^', '~']);
key([0x2f], ['BracketLeft'], ['[', '{'], ['@', '`']);
key([0x30], ['BracketRight'], [']', '}'], ['[', '{']);
// US \| key (0x31) and the ISO/JIS key left of Enter (0x32, "Non-US #"): browsers report both as
// `Backslash`; on JIS that key is ]}.
key([0x31, 0x32], ['Backslash'], ['\\', '|'], [']', '}']);
key([0x33], ['Semicolon'], [';', ':'], [';', '+']);
key([0x34], ['Quote'], ["'", '"'], [':', '*']);
key([0x35], ['Backquote'], ['`', '~'], [null, null]); // JIS: 半角/全角 (IME toggle)
key([0x36], ['Comma'], [',', '<']);
key([0x37], ['Period'], ['.', '>']);
key([0x38], ['Slash'], ['/', '?']);
key([0x87], ['IntlRo'], [null, null], ['\\', '_']); // JIS ろ key
key([0x89], ['IntlYen'], [null, null], ['\\', '|']); // JIS ¥ key (types 0x5C, shown as ¥)

key([0x54], ['NumpadDivide'], ['/', '/']);
key([0x55], ['NumpadMultiply'], ['*', '*']);
key([0x56], ['NumpadSubtract'], ['-', '-']);
key([0x57], ['NumpadAdd'], ['+', '+']);
for (let d = 1; d <= 9; d++) key([0x58 + d], [`Numpad${d}`], [String(d), String(d)]);
key([0x62], ['Numpad0'], ['0', '0']);
key([0x63], ['NumpadDecimal'], ['.', '.']);

// Modifiers (usages 0xE0..0xE7 arrive as bits of the boot report's modifier byte, not as key slots).
const none: Pair = [null, null];
for (const [u, codes] of [
  [0xe0, ['ControlLeft']],
  [0xe1, ['ShiftLeft']],
  [0xe2, ['AltLeft']],
  [0xe3, ['MetaLeft', 'OSLeft']],
  [0xe4, ['ControlRight']],
  [0xe5, ['ShiftRight']],
  [0xe6, ['AltRight']],
  [0xe7, ['MetaRight', 'OSRight']],
  [0x39, ['CapsLock']],
  [0x53, ['NumLock']],
] as Array<[number, string[]]>) {
  key([u], codes, none, none, 'modifier');
}
// Japanese IME keys and the like: keys that type nothing; a scanner never sends them.
key([0x88], ['KanaMode'], none, none, 'modifier');
key([0x8a], ['Convert'], none, none, 'modifier');
key([0x8b], ['NonConvert'], none, none, 'modifier');

export const KEYS: readonly KeyDef[] = rows;

const byUsage: Array<KeyDef | undefined> = new Array(256);
const byCode = new Map<string, KeyDef>();
for (const k of rows) {
  for (const u of k.usages) byUsage[u] = k;
  for (const c of k.codes) byCode.set(c, k);
}

/** The key with HID usage id `usage` (page 0x07), if it is one a scanner may send. */
export function keyByUsage(usage: number): KeyDef | undefined {
  return byUsage[usage & 0xff];
}

/** The key with `KeyboardEvent.code` `code`. Unknown codes (F-keys, arrows...) → undefined. */
export function keyByCode(code: string): KeyDef | undefined {
  return byCode.get(code);
}

/** The character a key types with or without Shift on a layout; null when it types nothing printable. */
export function keyChar(k: KeyDef, shift: boolean, layout: KeyboardLayout): string | null {
  return (layout === 'jis' ? k.jis : k.us)[shift ? 1 : 0];
}

/**
 * The reverse, for encoders (tests, fixtures, the fake scanner): how to type `ch` on `layout` —
 * which key, and whether Shift is needed. Prefers the main block over the numpad.
 */
export function keyForChar(ch: string, layout: KeyboardLayout): { key: KeyDef; shift: boolean } | undefined {
  return (layout === 'jis' ? jisReverse : usReverse).get(ch);
}

function reverse(layout: KeyboardLayout): Map<string, { key: KeyDef; shift: boolean }> {
  const m = new Map<string, { key: KeyDef; shift: boolean }>();
  for (const k of rows) {
    if (k.role !== 'char') continue;
    for (const shift of [false, true]) {
      const ch = keyChar(k, shift, layout);
      if (ch !== null && !m.has(ch)) m.set(ch, { key: k, shift });
    }
  }
  return m;
}
const usReverse = reverse('us');
const jisReverse = reverse('jis');
