import type { SyncProgress, TargetCounts } from '../../shared/contract/sync';

/**
 * Backlog progress for the Sync screen and tray: counts per target, what is left, what was done
 * since this backlog began, and an ETA from the delivery rate of the last minute. Bookkeeping only;
 * the counts come from the database (`counts`), cached briefly because the tray asks every second.
 */
export interface ProgressTracker {
  delivered(at: number): void;
  invalidate(): void;
  snapshot(state: { paused: boolean; draining: boolean }): SyncProgress;
}

const RATE_WINDOW_MS = 60_000;

export function createProgressTracker(counts: () => TargetCounts[], clock: () => number = Date.now, cacheMs = 200): ProgressTracker {
  let cached: { at: number; counts: TargetCounts[] } | null = null;
  let done = 0;
  /** When the current backlog began; null = idle (the last backlog's `done` stays visible). */
  let backlogStart: number | null = null;
  const recent: number[] = [];

  const begin = (at: number) => {
    backlogStart = at;
    done = 0;
  };

  return {
    delivered(at) {
      if (backlogStart === null) begin(at);
      done += 1;
      recent.push(at);
      cached = null;
    },
    invalidate() {
      cached = null;
    },
    snapshot({ paused, draining }) {
      const now = clock();
      while (recent.length && recent[0] < now - RATE_WINDOW_MS) recent.shift();
      if (!cached || now - cached.at > cacheMs) cached = { at: now, counts: counts() };
      const perTarget = cached.counts;
      const remaining = perTarget.reduce((n, t) => n + t.pending + t.inFlight, 0);
      if (remaining === 0 && !draining) backlogStart = null;
      else if (backlogStart === null) begin(now);

      let etaSeconds: number | null = null;
      if (remaining > 0 && !paused && backlogStart !== null && recent.length > 0) {
        const span = Math.min(RATE_WINDOW_MS, Math.max(1_000, now - backlogStart));
        const perSec = (recent.filter((t) => t >= now - span).length / span) * 1000;
        if (perSec > 0) etaSeconds = Math.ceil(remaining / perSec);
      }
      return { paused, draining, remaining, done, etaSeconds, perTarget };
    },
  };
}
