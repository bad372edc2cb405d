import { DeliveryError } from '../channels/types';
import { HttpError } from '../http';

/** What the drainer does with a failed attempt. Pure: decided from the error alone. */
export interface FailureVerdict {
  disposition: 'retry' | 'permanent';
  message: string;
  retryAfterMs: number | null;
  /** The target may have applied the request although we saw a failure. */
  maybeApplied: boolean;
  /** The target could not be reached at all (evidence for the connectivity monitor). */
  unreachable: boolean;
}

function httpVerdict(err: HttpError, message: string): FailureVerdict {
  const status = err.status ?? 0;
  // A second 401 (the client already refreshed the token once) is a settings problem, not a blip.
  const retry = err.retryable;
  return {
    disposition: retry ? 'retry' : 'permanent',
    message,
    retryAfterMs: err.retryAfterMs,
    // Timeouts, resets and unreadable answers may hide an applied write; so may a 5xx (a gateway
    // can fail after the server committed). 429 and 408 are refused before anything happens.
    maybeApplied: err.outcomeUnknown || (err.kind === 'status' && status >= 500),
    unreachable: err.kind === 'network' || err.kind === 'timeout',
  };
}

/**
 * Classifies whatever `channel.deliver` threw. `DeliveryError` says it itself; a raw `HttpError`
 * is classified by kind and status (network, timeout, 5xx, 408, 429, bad answer → retry; other
 * 4xx → permanent); anything else is retried (a bug must not drop a sale).
 */
export function classifyFailure(err: unknown): FailureVerdict {
  if (err instanceof DeliveryError) {
    const cause = (err as { cause?: unknown }).cause;
    const base = cause instanceof HttpError ? httpVerdict(cause, err.message) : null;
    return {
      disposition: err.disposition,
      message: err.message,
      retryAfterMs: err.retryAfterMs ?? base?.retryAfterMs ?? null,
      maybeApplied: err.maybeApplied || (base?.maybeApplied ?? false),
      unreachable: base?.unreachable ?? false,
    };
  }
  if (err instanceof HttpError) return httpVerdict(err, err.message);
  const message = (err as Error)?.message ?? String(err);
  return { disposition: 'retry', message, retryAfterMs: null, maybeApplied: true, unreachable: false };
}
