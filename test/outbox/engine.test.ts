import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../src/shared/contract/sync';
import { createEngine, type Engine } from '../../src/core/engine';
import { enqueue, type NewOutboxItem } from '../../src/core/outbox';
import { createMemorySecretStore } from '../../src/core/secrets';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { applied, sale, smaregiSettings, startSmaregi, stockAdd } from './fixtures';

/* The outbox as the engine wires it (createEngine, default channel, timers): what the app and CLI see. */

let sim: SimServer<SmaregiState> | null = null;
let engine: Engine | null = null;
let dir: string | null = null;
afterEach(async () => {
  await engine?.stop();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  engine = sim = dir = null;
});

const open = (d: string) => createEngine({ dataDir: d, demo: 'off', secrets: createMemorySecretStore() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function queue(e: Engine, items: NewOutboxItem[]): string[] {
  const db = e.ctx.db;
  return db.transaction(() => items.map((i) => enqueue(db, i)))();
}
async function until(fn: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(50);
  }
  throw new Error('condition not reached');
}

describe('outbox in the engine', () => {
  it('drains by itself (timer), reports progress events with ETA, and keeps pause across a restart', async () => {
    sim = await startSmaregi();
    sim.setConfig({ latencyMs: 20 });
    dir = mkdtempSync(join(tmpdir(), 'rc-'));
    engine = await open(dir);
    await engine.call('settings.update', smaregiSettings(sim.url));
    const events: SyncProgress[] = [];
    engine.onEvent((e) => e.event === 'sync.progress' && events.push(e.data as SyncProgress));
    expect(await engine.call('sync.rateLimit', { target: 'smaregi' })).toEqual({ target: 'smaregi', perSec: 20, source: 'default' });

    queue(engine, Array.from({ length: 40 }, (_, i) => stockAdd(String(101 + (i % 4)), 1)));
    // Nobody kicked it: the timer finds the work.
    await until(async () => (await engine!.call('sync.progress', {})).remaining === 0 && events.at(-1)?.remaining === 0);
    expect(events.length).toBeGreaterThan(1);
    expect(events.some((e) => e.remaining > 0 && e.etaSeconds !== null && e.draining)).toBe(true);
    expect(events.at(-1)).toMatchObject({ remaining: 0 });
    expect(Math.max(...events.map((e) => e.done))).toBe(40);
    const tp = await engine.call('sync.throughput', {});
    expect(tp.reduce((n, b) => n + b.sent, 0)).toBe(40);

    await engine.call('sync.pause', {});
    queue(engine, [sale('P1', '105')]);
    await sleep(1_500);
    expect((await engine.call('sync.progress', {})).remaining).toBe(1);
    await engine.stop();

    engine = await open(dir);
    expect((await engine.call('sync.progress', {})).paused).toBe(true);
    await sleep(1_200);
    expect(applied(sim.state()).sales.get('P1')).toBeUndefined();
    const resumed = await engine.call('sync.resume', {});
    expect(resumed.paused).toBe(false);
    await until(async () => (await engine!.call('sync.progress', {})).remaining === 0);
    expect(applied(sim.state()).sales.get('P1')).toBe(1);
  });

  it('sync.now while paused sends once without unpausing; flush at quit delivers what is due', async () => {
    sim = await startSmaregi();
    dir = mkdtempSync(join(tmpdir(), 'rc-'));
    engine = await open(dir);
    await engine.call('settings.update', smaregiSettings(sim.url));
    await engine.call('sync.pause', {});
    queue(engine, [sale('N1', '101'), stockAdd('102', 3)]);
    const p = await engine.call('sync.now', { wait: true, timeoutMs: 10_000 });
    expect(p).toMatchObject({ paused: true, remaining: 0 });
    await engine.call('sync.resume', {});
    sim.addFault({ mode: 'offline' }); // unreachable until cleared
    queue(engine, [sale('N2', '101')]);
    await sleep(300);
    sim.clearFaults();
    const f = await engine.call('engine.flush', { timeoutMs: 5_000 });
    expect(f).toEqual({ delivered: 1, pending: 0 });
    expect(applied(sim.state()).sales.get('N2')).toBe(1);
  });

  it('the rate limit is a setting per target', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-'));
    engine = await open(dir);
    expect(await engine.call('sync.rateLimit', { target: 'smaregi', perSec: 4 })).toEqual({ target: 'smaregi', perSec: 4, source: 'setting' });
    await engine.stop();
    engine = await open(dir);
    expect(await engine.call('sync.rateLimit', { target: 'smaregi' })).toMatchObject({ perSec: 4, source: 'setting' });
    expect(await engine.call('sync.rateLimit', { target: 'smaregi', perSec: null })).toMatchObject({ perSec: 20, source: 'default' });
    await expect(engine.call('sync.rateLimit', { target: 'smaregi', perSec: -1 })).rejects.toMatchObject({ code: 'invalid_params' });
  });
});
