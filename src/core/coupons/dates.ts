/**
 * Coupon dates in Japan time. Smaregi's admin screen sets a validity period as calendar days
 * (開始日 / 終了日), so a date means the whole JST day; the API may also send date-times. Pure
 * functions on epoch milliseconds, so the machine's own time zone never matters.
 */

const JST_OFFSET_MS = 9 * 3600_000;
const DAY_MS = 24 * 3600_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Date-time with `T` or a space; seconds, fraction and offset optional (no offset = JST, as Smaregi's v2 API sends).
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

export interface CouponInstant {
  /** Epoch milliseconds of the given instant (for a date: 00:00 JST of that day). */
  ms: number;
  /** True when only a calendar day was given, or a date-time at exactly 00:00:00 JST. */
  wholeDay: boolean;
}

function validCalendar(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Offset of `Z` / `±hh:mm` / `±hhmm` in ms; no offset = JST; null when out of range. */
function offsetMs(tz: string | undefined): number | null {
  if (tz === undefined) return JST_OFFSET_MS;
  if (tz === 'Z') return 0;
  const hh = Number(tz.slice(1, 3));
  const mm = Number(tz.slice(-2));
  if (hh > 14 || mm > 59) return null;
  return (tz[0] === '-' ? -1 : 1) * (hh * 3600_000 + mm * 60_000);
}

/** Parses a coupon date or date-time; null when it is neither (or names an impossible day). */
export function parseCouponDate(text: string): CouponInstant | null {
  const s = text.trim();
  let m = DATE_RE.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validCalendar(y, mo, d)) return null;
    return { ms: Date.UTC(y, mo - 1, d) - JST_OFFSET_MS, wholeDay: true };
  }
  m = DATE_TIME_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (!validCalendar(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
  const frac = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const offset = offsetMs(m[8]);
  if (offset === null) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec, frac) - offset;
  return { ms, wholeDay: isJstMidnight(ms) };
}

function isJstMidnight(ms: number): boolean {
  return (((ms + JST_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS === 0;
}

/** Start of the JST day containing `ms`. */
export function jstDayStart(ms: number): number {
  const local = ms + JST_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - JST_OFFSET_MS;
}

/**
 * The half-open window [from, until) in which a coupon may be used; null bounds are open.
 * - start: a date → 00:00 JST that day; a date-time → that instant.
 * - end: a date, or a date-time at exactly 00:00 JST (how a day is often sent as a date-time) →
 *   the whole JST day is valid (until 00:00 JST the next day); any other date-time → valid through
 *   that second.
 */
export function couponWindow(c: { startDate: string | null; endDate: string | null }): { fromMs: number | null; untilMs: number | null } {
  const start = c.startDate ? parseCouponDate(c.startDate) : null;
  const end = c.endDate ? parseCouponDate(c.endDate) : null;
  let untilMs: number | null = null;
  if (end) untilMs = end.wholeDay ? jstDayStart(end.ms) + DAY_MS : Math.floor(end.ms / 1000) * 1000 + 1000;
  return { fromMs: start ? start.ms : null, untilMs };
}
