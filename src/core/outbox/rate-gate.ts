/**
 * Per-target pacing: a token bucket at the target's documented rate, plus a hold when the target
 * said "later" (429 / 503 with Retry-After): the limit is per contract, so every lane of the target
 * waits, not just the row that was refused.
 *
 * The bucket holds at most a tenth of a second's worth: we never burst into the target's own bucket,
 * so arrival jitter on the wire does not turn into 429s.
 */
export interface RateGate {
  /** Milliseconds until the next request may start; 0 = now (and a token is taken). */
  take(): number;
  /** The target asked us to wait: nothing starts before `now + ms`. */
  hold(ms: number): void;
  /** When the hold ends (epoch ms of the gate's clock), or 0. */
  heldUntil(): number;
  setRate(perSec: number | null): void;
  rate(): number | null;
}

export function createRateGate(perSec: number | null, clock: () => number = Date.now): RateGate {
  let rate: number | null = null;
  let capacity = 1;
  let tokens = 1;
  let last = clock();
  let holdUntil = 0;

  function setRate(r: number | null) {
    rate = r && Number.isFinite(r) && r > 0 ? r : null;
    capacity = rate ? Math.max(1, rate / 10) : 1;
    tokens = Math.min(tokens, capacity);
    last = clock();
  }
  setRate(perSec);
  tokens = capacity;

  return {
    take() {
      const t = clock();
      if (t < holdUntil) return holdUntil - t;
      if (rate === null) return 0;
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * rate);
      last = t;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil(((1 - tokens) / rate) * 1000));
    },
    hold(ms) {
      if (ms > 0) holdUntil = Math.max(holdUntil, clock() + ms);
    },
    heldUntil: () => (holdUntil > clock() ? holdUntil : 0),
    setRate,
    rate: () => rate,
  };
}
