import type { ConnState } from '../../shared/contract/status';

/** How much evidence flips a known state: one lost packet must not take the register offline. */
export interface Hysteresis {
  failuresToOffline: number;
  successesToOnline: number;
}

export const DEFAULT_HYSTERESIS: Hysteresis = { failuresToOffline: 2, successesToOnline: 1 };

export interface LinkState {
  state: ConnState;
  /** Consecutive failures / successes seen (the other resets to 0). */
  failures: number;
  successes: number;
}

export const UNKNOWN_LINK: LinkState = { state: 'unknown', failures: 0, successes: 0 };

/**
 * One piece of evidence (a probe, or real traffic) applied to a link. From `unknown` the first
 * answer decides (there is no earlier state to protect); from a known state it takes
 * `failuresToOffline` consecutive failures, or `successesToOnline` consecutive successes, to flip.
 */
export function applyEvidence(link: LinkState, ok: boolean, h: Hysteresis = DEFAULT_HYSTERESIS): LinkState {
  if (ok) {
    const successes = link.successes + 1;
    const flip = link.state === 'unknown' || (link.state === 'offline' && successes >= h.successesToOnline);
    return { state: flip ? 'online' : link.state, failures: 0, successes };
  }
  const failures = link.failures + 1;
  const flip = link.state === 'unknown' || (link.state === 'online' && failures >= h.failuresToOffline);
  return { state: flip ? 'offline' : link.state, failures, successes: 0 };
}
