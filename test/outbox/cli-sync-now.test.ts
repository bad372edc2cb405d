import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase, type Db } from '../../src/core/db';
import { enqueue } from '../../src/core/outbox';
import { createSettingsStore } from '../../src/core/settings';
import { SIM_CREDENTIALS } from '../../src/sim/credentials';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { applied, sale, smaregiSettings, startSmaregi, stockAdd } from './fixtures';

/*
 * `sync now --wait` in the one-shot CLI engine (no background timers): it waits out retries instead
 * of returning while rows wait on backoff, and it recovers rows a killed process left in flight
 * (check with Smaregi first, then send: exactly once).
 */

const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);

let sim: SimServer<SmaregiState> | null = null;
let dir: string | null = null;
afterEach(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = dir = null;
});

async function cli(args: string[]): Promise<{ code: number; json: any }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args, '--data-dir', dir!], { cwd: root, encoding: 'utf8' });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, json: JSON.parse(e.stdout) };
  }
}

/** A data folder set up for the simulator, with rows queued by `fill` (the engine is not running). */
function folder(fill: (db: Db) => void) {
  dir = mkdtempSync(join(tmpdir(), 'rc-cli-'));
  const db = openDatabase(join(dir, DB_FILE));
  createSettingsStore(db).update(smaregiSettings(sim!.url));
  db.transaction(() => fill(db))();
  db.close();
}
const outboxRows = (ids: string[]) => {
  const db = openDatabase(join(dir!, DB_FILE));
  try {
    return ids.map((id) => db.prepare('SELECT state, attempts, remote_ref FROM outbox WHERE id = ?').get(id) as { state: string; attempts: number; remote_ref: string | null });
  } finally {
    db.close();
  }
};
const tokenRequests = () => sim!.requests().filter((r) => r.method === 'POST' && r.path === `/app/${SIM_CREDENTIALS.smaregi.contractId}/token`);

describe('CLI sync now --wait', () => {
  it('waits while rows wait on backoff: returns idle (draining false) with everything sent once', async () => {
    sim = await startSmaregi();
    let ids: string[] = [];
    folder((db) => {
      ids = [enqueue(db, sale('W1', '101')), enqueue(db, stockAdd('102', 3)), enqueue(db, sale('W2', '103'))];
      // As an earlier run left them: failed a few times, next try minutes away.
      db.prepare(`UPDATE outbox SET attempts = 3, failures = 3, next_attempt_at = ?, last_error = 'Smaregi 503'`).run(Date.now() + 10 * 60_000);
    });
    // Smaregi still fails the first requests of this run: rows fall back into backoff during the wait.
    sim.addFault({ mode: '500', count: 3 });
    const r = await cli(['sync', 'now', '--wait']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ draining: false, remaining: 0, perTarget: [{ target: 'smaregi', pending: 0, inFlight: 0, failed: 0, sent: 3 }] });
    expect(sim.requests().filter((q) => q.fault === '500')).toHaveLength(3);
    const a = applied(sim.state());
    expect(a.sales.get('W1')).toBe(1);
    expect(a.sales.get('W2')).toBe(1);
    expect(a.memos.get('102')).toEqual([`rc:${ids[1]}`]);
  }, 30_000);

  it('recovers rows a killed process left in flight: checks Smaregi first, sends each change exactly once', async () => {
    sim = await startSmaregi();
    let reached = '';
    let lost: string[] = [];
    let body: unknown;
    folder((db) => {
      reached = enqueue(db, sale('K1', '101'));
      lost = [enqueue(db, sale('K2', '102')), enqueue(db, stockAdd('103', 2))];
      body = JSON.parse((db.prepare('SELECT payload FROM outbox WHERE id = ?').get(reached) as { payload: string }).payload).transaction;
      // What a SIGKILL mid-request leaves: attempted, in flight, never marked sent.
      db.prepare("UPDATE outbox SET state = 'in_flight', attempts = 1, last_attempt_at = ?").run(new Date().toISOString());
    });
    // K1 had reached Smaregi before the kill; K2 and the stock change had not.
    const basic = Buffer.from(`${SIM_CREDENTIALS.smaregi.clientId}:${SIM_CREDENTIALS.smaregi.clientSecret}`).toString('base64');
    const token = await fetch(`${sim.url}/app/${SIM_CREDENTIALS.smaregi.contractId}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=pos.transactions:write',
    }).then((x) => x.json() as Promise<{ access_token: string }>);
    const posted = await fetch(`${sim.url}/${SIM_CREDENTIALS.smaregi.contractId}/pos/transactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(posted.status).toBe(200);
    sim.clearRequests();

    const r = await cli(['sync', 'now', '--wait']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ draining: false, remaining: 0, perTarget: [{ target: 'smaregi', sent: 3, inFlight: 0, pending: 0 }] });

    const st = sim.state();
    const a = applied(st);
    expect(a.sales.get('K1')).toBe(1);
    expect(a.sales.get('K2')).toBe(1);
    expect(a.memos.get('103')).toEqual([`rc:${lost[1]}`]);
    const [k1, k2, stock] = outboxRows([reached, ...lost]);
    expect(k1).toMatchObject({ state: 'sent', attempts: 2, remote_ref: st.transactions.find((t) => t.terminalTranId === 'K1')!.transactionHeadId });
    expect(k2).toMatchObject({ state: 'sent', attempts: 2 });
    expect(stock).toMatchObject({ state: 'sent', attempts: 2 });
    // Check, then act: each interrupted change was looked up before anything was written.
    const log = sim.requests();
    const firstWrite = log.findIndex((q) => q.method === 'POST' && q.path.endsWith('/pos/transactions'));
    const saleChecks = log.filter((q) => q.method === 'GET' && q.path.endsWith('/pos/transactions') && 'terminal_tran_date_time-from' in q.query);
    expect(saleChecks.length).toBeGreaterThanOrEqual(2);
    expect(saleChecks[0].seq).toBeLessThan(log[firstWrite].seq);
    expect(log.some((q) => q.method === 'GET' && q.path.includes('/pos/stock/changes/103/1'))).toBe(true);
    expect(log.filter((q) => q.method === 'POST' && q.path.endsWith('/pos/transactions'))).toHaveLength(1); // K2 only
    // One token for the whole run, though delivery and both pollers start at once.
    expect(tokenRequests()).toHaveLength(1);
  }, 30_000);
});
