import type { PollContext, ReceivedItem } from './types';

/**
 * Time-windowed, keyset-paged polling for list APIs that filter by an update timestamp
 * (Smaregi: `upd_date_time-from/-to`, windows ≤ 31 days, `limit` ≤ 1000, no total count).
 *
 * - Windows are walked from the cursor to now, each at most `maxWindowMs` long.
 * - Within a window, pages are keyset pages: the next request starts at the last timestamp seen
 *   (inclusive) instead of `page + 1`, so rows changing while we page cannot shift a row out of
 *   sight. Only when a whole page shares one timestamp does it move on with `page + 1`.
 * - Every page commits its items together with the cursor; a restart resumes from there.
 * - The next poll starts `overlapMs` before the cursor (rows committed a little late with an earlier
 *   stamp); repeats are recognised by the item key and not recorded twice.
 */
export interface WindowedSource<Row> {
  cursorName: string;
  maxWindowMs: number;
  pageLimit: number;
  overlapMs: number;
  /** An empty stretch moves the cursor only up to now − settleMs (the server may still commit into it). */
  settleMs: number;
  /** Where the very first poll starts. */
  initialLookbackMs: number;
  /** Rows with stamp in [from, to] (ms, inclusive), sorted by stamp ascending; page from 1. */
  fetch(from: number, to: number, page: number, limit: number): Promise<Row[]>;
  stamp(row: Row): number;
  toItem(row: Row): ReceivedItem;
  /** How a cursor is written (e.g. the API's own datetime format). */
  format(ms: number): string;
}

export const SMAREGI_MAX_WINDOW_MS = 31 * 24 * 3600_000 - 1_000;

/** Plans the windows from `from` to `now` (pure; exported for tests). */
export function planWindows(from: number, now: number, maxWindowMs: number): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  let f = from;
  do {
    const to = Math.min(f + maxWindowMs, now);
    out.push({ from: f, to });
    f = to;
  } while (f < now);
  return out;
}

export async function pollWindowed<Row>(src: WindowedSource<Row>, pc: PollContext): Promise<{ received: number }> {
  const now = Math.floor(pc.now().getTime() / 1000) * 1000;
  const stored = pc.cursor(src.cursorName);
  const storedMs = stored ? Date.parse(stored) : NaN;
  let cursor = Number.isFinite(storedMs) ? storedMs : now - src.initialLookbackMs;
  const start = Math.max(0, Number.isFinite(storedMs) ? cursor - src.overlapMs : cursor);
  let received = 0;
  for (const w of planWindows(Math.min(start, now), now, src.maxWindowMs)) {
    let pageFrom = w.from;
    let page = 1;
    for (;;) {
      const rows = await src.fetch(pageFrom, w.to, page, src.pageLimit);
      if (rows.length === 0) break;
      const first = src.stamp(rows[0]);
      const last = src.stamp(rows[rows.length - 1]);
      cursor = Math.max(cursor, last);
      received += pc.commit(rows.map(src.toItem), { name: src.cursorName, value: src.format(cursor) });
      if (rows.length < src.pageLimit) break;
      if (first === last) page += 1;
      else {
        pageFrom = last;
        page = 1;
      }
    }
    // The whole window is read: its settled part is known even where nothing changed.
    const settled = Math.min(w.to, now - src.settleMs);
    if (settled > cursor) {
      cursor = settled;
      pc.commit([], { name: src.cursorName, value: src.format(cursor) });
    }
  }
  return { received };
}
