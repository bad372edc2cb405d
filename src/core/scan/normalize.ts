/**
 * Turns what a scanner sent into the code it means: terminators (CR, LF, Tab) and surrounding
 * spaces go, an AIM symbology identifier (`]` + letter + modifier) goes, full-width characters
 * (what a Japanese IME or some scanners emit) become ASCII, control characters are dropped.
 * Total: any string in, a string out; it never throws. Idempotent — normalising a normalised code
 * changes nothing — because the engine normalises a HID scan and the evaluation normalises it again.
 */
export function normalizeScan(raw: string): string {
  let s = typeof raw === 'string' ? raw : '';
  // Removing characters can let NFKC compose what a removed control character kept apart: repeat
  // until nothing changes (one pass in practice, two for odd input).
  for (let i = 0; i < 4; i++) {
    const next = normalizeOnce(s);
    if (next === s) break;
    s = next;
  }
  return s;
}

// AIM symbology identifier: "]" + code character + modifier character, e.g. ]E0 (EAN-13), ]C0 (Code 128).
const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/;

function normalizeOnce(input: string): string {
  // NFKC maps full-width digits/letters (０-９, Ａ-Ｚ) and the ideographic space to ASCII.
  let s = input.normalize('NFKC');
  s = s.replace(/[\r\n\t]+/g, ' ');
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f]/g, '');
  s = s.trim();
  // A scanner sends one AIM id; stripping every leading one keeps the result stable under a second pass.
  while (AIM_ID.test(s)) s = s.slice(3).trim();
  return s;
}
