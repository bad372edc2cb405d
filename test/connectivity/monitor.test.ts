import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGifteeChannel } from '../../src/core/channels/giftee';
import { applyEvidence, createConnectivityMonitor, type ConnectivityMonitor, type LinkState } from '../../src/core/connectivity';
import { createEngine, type Engine } from '../../src/core/engine';
import { createMemorySecretStore } from '../../src/core/secrets';
import { startGifteeSim, type SimServer } from '../../src/sim/index';
import type { GifteeState } from '../../src/sim/giftee';
import type { ConnState } from '../../src/shared/contract/status';

async function waitFor(what: string, fn: () => boolean, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hysteresis (pure)', () => {
  const h = { failuresToOffline: 2, successesToOnline: 2 };
  const run = (start: LinkState, evidence: boolean[]) => evidence.reduce((l, ok) => applyEvidence(l, ok, h), start).state;
  const unknown: LinkState = { state: 'unknown', failures: 0, successes: 0 };

  it('from unknown the first answer decides', () => {
    expect(run(unknown, [true])).toBe('online');
    expect(run(unknown, [false])).toBe('offline');
  });

  it('one lost answer does not flip a known state; consecutive ones do', () => {
    expect(run(unknown, [true, false])).toBe('online');
    expect(run(unknown, [true, false, true, false])).toBe('online');
    expect(run(unknown, [true, false, false])).toBe('offline');
    expect(run(unknown, [false, true])).toBe('offline');
    expect(run(unknown, [false, true, true])).toBe('online');
  });
});

describe('connectivity monitor against the giftee simulator', () => {
  let sim: SimServer<GifteeState>;
  let engine: Engine;
  let dir: string;
  let monitor: ConnectivityMonitor;
  const changes: ConnState[] = [];
  const health = () => sim.requests().filter((r) => r.path === '/v1/health');

  beforeAll(async () => {
    sim = await startGifteeSim({});
    dir = mkdtempSync(join(tmpdir(), 'rc-'));
    // The engine only provides the context; its own modules are not started (they would probe too).
    engine = await createEngine({ dataDir: dir, demo: 'off', background: false, secrets: createMemorySecretStore() });
    await engine.call('settings.update', { giftee: { baseUrl: sim.url, credentialSource: 'simulator' } });
    monitor = createConnectivityMonitor(engine.ctx, [createGifteeChannel(engine.ctx, { timeoutMs: 500 })], { onlineIntervalMs: 40, offlineIntervalMs: 40 });
    monitor.onChange((system, state) => {
      if (system === 'giftee') changes.push(state);
    });
    await monitor.start?.();
  });

  afterAll(async () => {
    await monitor?.stop?.();
    await engine?.stop();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('probes the real endpoint and goes online', async () => {
    await waitFor('online', () => monitor.state('giftee') === 'online');
    expect(monitor.isOnline('giftee')).toBe(true);
    expect(health().length).toBeGreaterThan(0);
    changes.length = 0;
  });

  it('one lost probe does not flip the state', async () => {
    const before = sim.requests().length;
    sim.addFault({ mode: 'offline', count: 1 });
    await waitFor('a lost probe followed by a good one', () => {
      const after = sim.requests().slice(before);
      const lost = after.findIndex((r) => r.fault === 'offline');
      return lost >= 0 && after.slice(lost + 1).some((r) => r.status === 200);
    });
    expect(changes).toEqual([]);
    expect(monitor.state('giftee')).toBe('online');
  });

  it('goes offline after consecutive failures and recovers by itself', async () => {
    sim.addFault({ mode: 'offline' });
    await waitFor('offline', () => monitor.state('giftee') === 'offline');
    expect(changes).toEqual(['offline']);
    sim.clearFaults();
    await waitFor('online again', () => monitor.state('giftee') === 'online');
    expect(changes).toEqual(['offline', 'online']);
  });

  it('real traffic counts as evidence, with the same hysteresis; checkNow probes at once', async () => {
    await monitor.stop?.(); // no timer from here on: only the evidence below
    changes.length = 0;
    monitor.report('giftee', false);
    expect(monitor.state('giftee')).toBe('online');
    monitor.report('giftee', false);
    expect(monitor.state('giftee')).toBe('offline');
    await monitor.checkNow('giftee');
    expect(monitor.state('giftee')).toBe('online');
    expect(changes).toEqual(['offline', 'online']);
  });
});
