/** Japan time formatting (Smaregi and the store think in JST whatever the PC's time zone). */

const JST_OFFSET_MS = 9 * 3600_000;
const DAY_MS = 24 * 3600_000;

function shifted(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + JST_OFFSET_MS).toISOString();
}

/** `YYYY-MM-DDThh:mm:ss+09:00` (Smaregi's terminalTranDateTime): the sync's one formatter. */
export { formatJst } from '../sync/time';

/** `YYYY-MM-DD hh:mm:ss` in JST, for people (CSV). */
export function displayJst(ms: number): string {
  return shifted(ms).slice(0, 19).replace('T', ' ');
}

/** `YYYYMMDD` of the JST day. */
export function jstCompactDate(ms: number): string {
  return shifted(ms).slice(0, 10).replace(/-/g, '');
}

/**
 * A log query bound as an ISO UTC string: `YYYY-MM-DD` is a JST day (its start, or for an upper
 * bound the start of the next day, exclusive); an ISO date-time is that instant. Null when unreadable.
 */
export function queryBound(text: string, edge: 'from' | 'to'): { iso: string; exclusive: boolean } | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) - JST_OFFSET_MS;
    if (!Number.isFinite(start) || new Date(start + JST_OFFSET_MS).toISOString().slice(0, 10) !== text.trim()) return null;
    return edge === 'from' ? { iso: new Date(start).toISOString(), exclusive: false } : { iso: new Date(start + DAY_MS).toISOString(), exclusive: true };
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text.trim())) return null;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? { iso: new Date(ms).toISOString(), exclusive: false } : null;
}
