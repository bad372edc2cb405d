/**
 * The crash machinery shared by test/outbox/crash.test.ts and bench/outbox.ts: a real engine
 * process (src/core/main.ts) drains a backlog to the Smaregi simulator and is killed with SIGKILL
 * at random moments, again and again; then the simulator's state is checked against the queue.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DB_FILE, openDatabase, type Db } from '../../src/core/db';
import { enqueue, rateLimitKey, type NewOutboxItem } from '../../src/core/outbox';
import { writeMeta } from '../../src/core/outbox/meta';
import { createSettingsStore } from '../../src/core/settings';
import { forkEngine } from '../../src/host/fork';
import type { EngineProcess } from '../../src/host/supervisor';
import { applied, PRODUCT_IDS, sale, smaregiSettings, startSmaregi, stockAdd, stockSet } from './fixtures';

export interface CrashOptions {
  /** Rows queued before the first start (after coalescing). */
  backlog?: number;
  /** SIGKILLs before the final, clean run. */
  kills?: number;
  /** More changes queued while the engine is down, per kill (the register keeps selling). */
  perKill?: number;
  /** Simulator latency, so kills land while requests are on the wire. */
  latencyMs?: number;
  random?: () => number;
}

export interface CrashReport {
  trials: number;
  changes: number;
  /** Queued changes the simulator never got. */
  lost: number;
  /** Changes the simulator applied more than once (sales by terminalTranId, stock adds by memo). */
  duplicated: number;
  /** Stock lanes whose changes the simulator applied in another order than queued. */
  orderViolations: number;
  /** Rows not in state "sent" at the end. */
  unsent: number;
  killedBeforeReady: number;
  /** Rows already sent when the clean run began (the backlog was still draining during the kills). */
  sentBeforeFinal: number;
  /** Rows that had to be checked with the target because an attempt was interrupted. */
  maybeApplied: number;
  /** Check-then-act look-ups the simulator answered (sales by reference, stock changes by memo). */
  lookups: number;
  elapsedMs: number;
  /** The first difference of each lane out of order (diagnostics). */
  detail?: unknown[];
}

const ROOT = resolve(import.meta.dirname, '../..');

function startEngine(dir: string): EngineProcess & { ready: Promise<boolean>; exited: Promise<void>; stderr: string[] } {
  const stderr: string[] = [];
  const p = forkEngine({
    entry: join(ROOT, 'src/core/main.ts'),
    args: ['--data-dir', dir, '--demo', 'off', '--owner', 'crash-test'],
    execArgv: ['--import', 'tsx'],
    stderr: (c) => {
      stderr.push(c);
      if (stderr.length > 50) stderr.shift();
    },
  });
  const ready = new Promise<boolean>((res) => {
    p.onMessage((m) => {
      const k = (m as { kind?: string }).kind;
      if (k === 'ready') res(true);
      if (k === 'fatal') {
        stderr.push(JSON.stringify(m));
        res(false);
      }
    });
    p.onExit(() => res(false));
  });
  const exited = new Promise<void>((res) => p.onExit(() => res()));
  return Object.assign(p, { ready, exited, stderr });
}

function call(p: EngineProcess, method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: unknown }> {
  const id = randomUUID();
  return new Promise((res) => {
    p.onMessage((m) => {
      const r = m as { kind?: string; id?: string; ok: boolean; result?: unknown; error?: unknown };
      if (r.kind === 'reply' && r.id === id) res(r);
    });
    p.onExit(() => res({ ok: false, error: 'engine exited' }));
    p.send({ kind: 'request', id, method, params });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mix of sales (one lane each) and stock set/add across the products (one lane per product). */
function makeChanges(n: number, tag: string, rnd: () => number): NewOutboxItem[] {
  const out: NewOutboxItem[] = [];
  for (let i = 0; i < n; i++) {
    const product = PRODUCT_IDS[Math.floor(rnd() * PRODUCT_IDS.length)];
    const r = rnd();
    if (r < 0.45) out.push(sale(`${tag}${i}`.slice(0, 10), product, 1 + Math.floor(rnd() * 3), i));
    else if (r < 0.85) out.push(stockAdd(product, Math.floor(rnd() * 20) - 10 || 1));
    else out.push(stockSet(product, 500 + Math.floor(rnd() * 500)));
  }
  return out;
}

function queue(db: Db, items: NewOutboxItem[]) {
  db.transaction(() => items.forEach((it) => enqueue(db, it)))();
}

export async function runCrashTrials(o: CrashOptions = {}): Promise<CrashReport> {
  const t0 = Date.now();
  const rnd = o.random ?? Math.random;
  const kills = o.kills ?? 30;
  const sim = await startSmaregi();
  sim.setConfig({ latencyMs: o.latencyMs ?? 40 });
  const dir = mkdtempSync(join(tmpdir(), 'rc-crash-'));
  try {
    let db = openDatabase(join(dir, DB_FILE));
    createSettingsStore(db).update(smaregiSettings(sim.url));
    writeMeta(db, rateLimitKey('smaregi'), '1000'); // the simulator has no limit here; pacing is the bench's concern
    let batch = 0;
    const count = () => (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    while (count() < (o.backlog ?? 500)) queue(db, makeChanges(50, `B${batch++}-`, rnd));
    db.close();

    let killedBeforeReady = 0;
    for (let k = 0; k < kills; k++) {
      const p = startEngine(dir);
      if (rnd() < 0.15) {
        // Die during start-up (migrations, recovery, first requests).
        await sleep(100 + rnd() * 500);
        killedBeforeReady += 1;
      } else {
        const ok = await p.ready;
        if (!ok) throw new Error(`engine did not start: ${p.stderr.join('')}`);
        await sleep(30 + rnd() * 600);
      }
      p.kill();
      await p.exited;
      if (o.perKill ?? 4) {
        db = openDatabase(join(dir, DB_FILE));
        queue(db, makeChanges(o.perKill ?? 4, `K${k}-`, rnd));
        db.close();
      }
    }

    db = openDatabase(join(dir, DB_FILE));
    const sentBeforeFinal = (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'").get() as { n: number }).n;
    db.close();

    // The last, clean run drains everything.
    const p = startEngine(dir);
    if (!(await p.ready)) throw new Error(`engine did not start: ${p.stderr.join('')}`);
    for (let round = 0; round < 5; round++) {
      const r = await call(p, 'sync.now', { wait: true, timeoutMs: 30_000 });
      if (!r.ok) throw new Error(`sync.now failed: ${JSON.stringify(r.error)}`);
      if ((r.result as { remaining: number }).remaining === 0) break;
    }
    p.send({ kind: 'shutdown', timeoutMs: 0 });
    await Promise.race([p.exited, sleep(5_000).then(() => p.kill())]);

    // Compare the queue with what the simulator applied.
    db = openDatabase(join(dir, DB_FILE));
    const rows = db.prepare('SELECT id, kind, ordering_key, payload, state, maybe_applied FROM outbox ORDER BY seq').all() as Array<{
      id: string;
      kind: string;
      ordering_key: string;
      payload: string;
      state: string;
      maybe_applied: number;
    }>;
    db.close();
    const { sales, memos } = applied(sim.state());
    let lost = 0;
    let duplicated = 0;
    let orderViolations = 0;
    const detail: unknown[] = [];
    const lanes = new Map<string, typeof rows>();
    for (const r of rows) {
      if (r.kind === 'smaregi.transaction') {
        const n = sales.get(JSON.parse(r.payload).lookup.terminalTranId) ?? 0;
        if (n === 0) lost += 1;
        if (n > 1) duplicated += n - 1;
        continue;
      }
      const productId = JSON.parse(r.payload).productId as string;
      const seen = (memos.get(productId) ?? []).filter((m) => m === `rc:${r.id}`).length;
      if (seen === 0) lost += 1;
      // A repeated absolute value is harmless (idempotent); a repeated delta is a duplicate.
      if (seen > 1 && r.kind === 'smaregi.stock.add') duplicated += seen - 1;
      lanes.set(productId, [...(lanes.get(productId) ?? []), r]);
    }
    for (const [productId, laneRows] of lanes) {
      const expected = laneRows.map((r) => `rc:${r.id}`);
      const got = (memos.get(productId) ?? []).filter((m, i, all) => i === 0 || m !== all[i - 1]);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        orderViolations += 1;
        const i = got.findIndex((m, j) => m !== expected[j]);
        detail.push({ productId, at: i, expected: expected.slice(Math.max(0, i - 1), i + 2), got: got.slice(Math.max(0, i - 1), i + 2) });
      }
    }
    return {
      trials: kills,
      changes: rows.length,
      lost,
      duplicated,
      orderViolations,
      unsent: rows.filter((r) => r.state !== 'sent').length,
      killedBeforeReady,
      sentBeforeFinal,
      maybeApplied: rows.filter((r) => r.maybe_applied === 1).length,
      lookups: sim
        .requests()
        .filter((q) => q.method === 'GET' && (q.path.includes('/stock/changes/') || (q.path.endsWith('/transactions') && 'terminal_tran_date_time-from' in q.query))).length,
      elapsedMs: Date.now() - t0,
      ...(detail.length ? { detail } : {}),
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
