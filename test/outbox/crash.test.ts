import { describe, expect, it } from 'vitest';
import { runCrashTrials } from './crash-harness';

describe('crash test: SIGKILL at random moments while draining', () => {
  it('applies every queued change exactly once, in order, across 30 kills', async () => {
    const r = await runCrashTrials({ backlog: 500, kills: 30, latencyMs: 40 });
    console.log('crash test', JSON.stringify(r));
    expect(r.trials).toBeGreaterThanOrEqual(30);
    expect(r.changes).toBeGreaterThanOrEqual(500);
    // The kills really landed mid-drain, and interrupted rows were checked before being resent.
    expect(r.sentBeforeFinal).toBeGreaterThan(0);
    expect(r.sentBeforeFinal).toBeLessThan(r.changes);
    expect(r.maybeApplied).toBeGreaterThan(0);
    expect(r.lookups).toBeGreaterThan(0);
    expect(r).toMatchObject({ lost: 0, duplicated: 0, orderViolations: 0, unsent: 0 });
  }, 120_000);
});
