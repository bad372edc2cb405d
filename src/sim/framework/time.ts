/** Date-time helpers shared by the simulators: strict ISO 8601 parsing and JST formatting. */

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validCalendar(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * Parses `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)` into epoch milliseconds, or null when the text is not
 * exactly that (a missing offset, a space where `+` was, an impossible date...).
 */
export function parseIsoDateTime(text: string): number | null {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  if (!validCalendar(y, mo, d, h, mi, s)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** Parses `YYYY-MM-DD` as the start of that day in JST; null when invalid. */
export function parseIsoDate(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [, y, mo, d] = m.map(Number) as number[];
  if (!validCalendar(y, mo, d)) return null;
  return Date.parse(`${text}T00:00:00+09:00`);
}

const JST_OFFSET_MS = 9 * 3600_000;

/** Formats epoch milliseconds as `YYYY-MM-DDThh:mm:ss+09:00`. */
export function formatJst(ms: number): string {
  const t = new Date(Math.floor(ms / 1000) * 1000 + JST_OFFSET_MS);
  return `${t.toISOString().slice(0, 19)}+09:00`;
}

/** The calendar day (`YYYY-MM-DD`) in JST of an instant. */
export function jstDate(ms: number): string {
  return formatJst(ms).slice(0, 10);
}
