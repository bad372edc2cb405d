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
 * The contract query for a filter. Days go as `YYYY-MM-DD`: the engine reads them as store (JST)
 * days, `to` inclusive of its whole day. An empty or half-typed date is no bound.
 */
export function logQuery(f: LogFilter, offset: number) {
  return {
    text: f.text.trim().slice(0, 100),
    verdict: f.verdict === '' ? null : f.verdict,
    from: DAY.test(f.from) ? f.from : null,
    to: DAY.test(f.to) ? f.to : null,
    limit: LOG_PAGE,
    offset,
  };
}

