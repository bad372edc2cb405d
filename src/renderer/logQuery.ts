/** The redemption log's filter → the contract's LogQuery. Pure, for tests. */

export const LOG_PAGE = 100;

export type Verdict = 'ok' | 'rejected' | 'blocked';

export interface LogFilter {
  text: string;
  verdict: Verdict | '';
  /** yyyy-mm-dd from the date inputs (local days). */
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Search text as the engine can match it: a code typed the way the screen shows it, in groups
 * ("4110001 8226", full-width digits or spaces from an IME), loses its spaces; other text is kept.
 */
export function searchText(text: string): string {
  const t = text.trim();
  if (!/^[0-9０-９\s\u3000]+$/.test(t)) return t;
  return t.replace(/[\s\u3000]/g, '').replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * The contract query for a filter. Days go as `YYYY-MM-DD`: the engine reads them as store (JST)
 * days, `to` inclusive of its whole day. An empty or half-typed date is no bound.
 */
export function logQuery(f: LogFilter, offset: number) {
  return {
    text: searchText(f.text).slice(0, 100),
    verdict: f.verdict === '' ? null : f.verdict,
    from: DAY.test(f.from) ? f.from : null,
    to: DAY.test(f.to) ? f.to : null,
    limit: LOG_PAGE,
    offset,
  };
}

