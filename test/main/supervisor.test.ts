/**
 * The supervisor the shell uses, driving a real engine process (forked under tsx, exactly as the
 * utilityProcess runs out/main/engine.js in the app): crash → restart with backoff → answers again;
 * a fatal start → no restart loop, the reply names the problem.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src/core/db';
import { forkEngine } from '../../src/host/fork';
import { createSupervisor, type EngineProcess, type Supervisor } from '../../src/host/supervisor';
import type { EventEnvelope } from '../../src/shared/contract';
import { trayState } from '../../src/main/tray-state';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rc-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function engineAt(dataDir: string, entry = 'src/core/main.ts'): EngineProcess {
  return forkEngine({ entry, execArgv: ['--import', 'tsx'], args: ['--data-dir', dataDir, '--demo', 'off'] });
}

async function until(what: string, test: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function supervise(spawn: () => EngineProcess) {
  const events: EventEnvelope[] = [];
  const logs: string[] = [];
  const sup: Supervisor = createSupervisor({ spawn, onEvent: (e) => events.push(e), log: (m) => logs.push(m), initialBackoffMs: 10, maxBackoffMs: 1000 });
  cleanups.push(() => sup.shutdown(2000));
  const connection = () => events.filter((e) => e.event === 'engine.connection').map((e) => e.data as { state: string; attempt: number });
  return { sup, events, logs, connection };
}

const statusGet = (id: string) => ({ kind: 'request', id, method: 'status.get', params: {} });

describe('engine supervision', () => {
  it('restarts a killed engine; calls are answered again and the UI is told reconnecting, then ready', async () => {
    const dir = tempDir();
    const procs: EngineProcess[] = [];
    const { sup, connection } = supervise(() => {
      const p = engineAt(dir);
      procs.push(p);
      return p;
    });
    sup.start();
    const first = await sup.call(statusGet('a'));
    expect(first).toMatchObject({ kind: 'reply', id: 'a', ok: true, result: { dataDir: dir, schemaVersion: expect.any(Number) } });
    expect(connection()).toEqual([
      { state: 'connecting', attempt: 0 },
      { state: 'ready', attempt: 0 },
    ]);

    procs[0].kill(); // SIGKILL: no goodbye, the data-dir lock is left behind
    await until('reconnecting', () => connection().some((c) => c.state === 'reconnecting'));
    expect(sup.state()).not.toBe('ready');
    expect(trayState(null, sup.state()).state).toBe('offline');

    // A call made while the engine is down waits for the new one and is answered by it.
    const during = await sup.call(statusGet('b'));
    expect(during).toMatchObject({ id: 'b', ok: true, result: { dataDir: dir } });
    expect(procs).toHaveLength(2);
    expect(connection().slice(2)).toEqual([
      { state: 'reconnecting', attempt: 1 },
      { state: 'ready', attempt: 0 },
    ]);
    expect(sup.state()).toBe('ready');
    expect(await sup.call(statusGet('c'))).toMatchObject({ id: 'c', ok: true });
  });

  it('backs off exponentially while the engine keeps dying, and recovers once it can start', async () => {
    const dir = tempDir();
    let spawns = 0;
    // The first three starts die at once (as a crash on start would); the fourth is a real engine.
    const { sup, logs, connection } = supervise(() => (++spawns <= 3 ? engineAt(dir, join(dir, 'missing-engine.mjs')) : engineAt(dir)));
    sup.start();
    const reply = await sup.call(statusGet('x'));
    expect(reply).toMatchObject({ id: 'x', ok: true });
    expect(spawns).toBe(4);
    const delays = logs.filter((l) => l.startsWith('engine exited')).map((l) => Number(/restarting in (\d+) ms/.exec(l)?.[1]));
    expect(delays).toEqual([10, 20, 40]);
    expect(connection().map((c) => `${c.state}:${c.attempt}`)).toEqual(['connecting:0', 'reconnecting:1', 'reconnecting:2', 'reconnecting:3', 'ready:0']);
  });

  it('does not restart an engine that cannot start, and the reply says why', async () => {
    const dir = tempDir();
    const db = new Database(join(dir, DB_FILE));
    db.pragma('user_version = 999');
    db.close();
    let spawns = 0;
    let exited = false;
    const { sup, connection } = supervise(() => {
      spawns++;
      const p = engineAt(dir);
      p.onExit(() => {
        exited = true;
      });
      return p;
    });
    sup.start();
    const reply = await sup.call(statusGet('f'));
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.id).toBe('f');
      expect(reply.error.code).toBe('schema_too_new');
      expect(reply.error.message).toContain('schema 999');
    }
    await until('the engine process to exit', () => exited);
    // Ten times the first backoff: a restart would have happened by now.
    await new Promise((r) => setTimeout(r, 100));
    expect(spawns).toBe(1);
    expect(sup.state()).toBe('fatal');
    expect(sup.fatalError()?.code).toBe('schema_too_new');
    expect(connection().map((c) => c.state)).toEqual(['connecting', 'fatal']);
    expect(connection()[1]).toMatchObject({ error: { code: 'schema_too_new', message: expect.stringContaining('schema 999') } });
    expect(trayState(null, sup.state()).state).toBe('attention');
    // Later calls get the same answer at once, still without a restart.
    const again = await sup.call(statusGet('g'));
    expect(again).toMatchObject({ id: 'g', ok: false, error: { code: 'schema_too_new' } });
    expect(spawns).toBe(1);
  });
});
