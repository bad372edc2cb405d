/**
 * Turns what a scanner sent into the code it means: terminators (CR, LF, Tab) and surrounding
 * spaces go, an AIM symbology identifier (`]` + letter + modifier) goes, full-width characters
 * (what a Japanese IME or some scanners emit) become ASCII, control characters are dropped.
 * Total: any string in, a string out; it never throws.
 */
export function normalizeScan(raw: string): string {
  let s = typeof raw === 'string' ? raw : '';
  // NFKC maps full-width digits/letters (０-９, Ａ-Ｚ) and the ideographic space to ASCII.
  s = s.normalize('NFKC');
  s = s.replace(/[\r\n\t]+/g, ' ');
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f]/g, '');
  s = s.trim();
  // AIM symbology identifier: "]" + code character + modifier character, e.g. ]E0 (EAN-13), ]C0 (Code 128).
  if (/^\][A-Za-z][0-9A-Za-z]/.test(s)) s = s.slice(3).trim();
  return s;
}
