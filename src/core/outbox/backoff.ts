/**
 * Retry timing, pure. Capped exponential backoff with FULL jitter (a uniform pick between 0 and the
 * capped exponential value, AWS "Exponential Backoff and Jitter"): many registers coming back online
 * at once spread their retries instead of hammering the target in step.
 */

export interface BackoffPolicy {
  /** The first retry waits up to this long. */
  baseMs: number;
  /** No retry waits longer than this (unless the target's Retry-After says so). */
  capMs: number;
  /** A Retry-After longer than this is treated as this (a broken header must not park a queue for days). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000 };

/** The ceiling of the jitter range after `failures` retryable failures in a row (≥ 1). */
export function backoffCeilingMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(failures));
  // 2^(n-1) overflows to Infinity for large n; min() keeps the cap.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n - 1, 60));
}

/**
 * How long to wait before the next attempt: full jitter over the capped exponential, but never less
 * than what the target asked for with Retry-After (bounded by `maxRetryAfterMs`).
 * `random` returns a number in [0, 1).
 */
export function retryDelayMs(
  failures: number,
  retryAfterMs: number | null,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const r = Math.min(Math.max(random(), 0), 1);
  const jittered = Math.floor(r * backoffCeilingMs(failures, policy));
  const asked = retryAfterMs === null || !Number.isFinite(retryAfterMs) ? 0 : Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
  return Math.max(jittered, Math.ceil(asked));
}
