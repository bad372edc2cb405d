/**
 * Outbox bench: commit latency of one change + its outbox row (synchronous=FULL), bulk enqueue
 * rate, drain rate against a rate-limited simulator (with a duplicate count), and the crash trials.
 * Run alone: `npx tsx bench/run.ts outbox`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB_FILE, openDatabase } from '../src/core/db';
import { createEngine } from '../src/core/engine';
import { enqueue, enqueueMany, type NewOutboxItem } from '../src/core/outbox';
import { createMemorySecretStore } from '../src/core/secrets';
import { runCrashTrials } from '../test/outbox/crash-harness';
import { applied, PRODUCT_IDS, sale, smaregiSettings, startSmaregi, stockAdd } from '../test/outbox/fixtures';

function tempDir() {
  return mkdtempSync(join(tmpdir(), 'rc-bench-'));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One sale row + its outbox row per transaction, each committed (fsync) on its own. */
function commitLatency(): number {
  const dir = tempDir();
  const db = openDatabase(join(dir, DB_FILE));
  try {
    db.exec('CREATE TABLE bench_sale (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO bench_sale (body) VALUES (?)');
    const commit = db.transaction((i: number) => {
      const item = sale(`C${i}`, PRODUCT_IDS[i % PRODUCT_IDS.length]);
      insert.run(JSON.stringify(item.payload));
      enqueue(db, item);
    });
    const times: number[] = [];
    for (let i = 0; i < 600; i++) {
      const t0 = performance.now();
      commit(i);
      if (i >= 100) times.push(performance.now() - t0); // after warm-up
    }
    return percentile(times.sort((a, b) => a - b), 99);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows per second enqueued inside one transaction (an import of many stock changes); median of 3. */
function bulkEnqueue(): number {
  const runs = [bulkEnqueueOnce(), bulkEnqueueOnce(), bulkEnqueueOnce()].sort((a, b) => a - b);
  return runs[1];
}

function bulkEnqueueOnce(): number {
  const dir = tempDir();
  const db = openDatabase(join(dir, DB_FILE));
  try {
    const n = 100_000;
    const items: NewOutboxItem[] = Array.from({ length: n }, (_, i) => stockAdd(PRODUCT_IDS[i % PRODUCT_IDS.length], 1));
    const now = new Date();
    const t0 = performance.now();
    // The bulk path (an import, a whole-catalog stock push): one transaction, chunked inserts.
    db.transaction(() => enqueueMany(db, items, now))();
    return Math.round(n / ((performance.now() - t0) / 1000));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 3,000 queued changes against a simulator limited to 100 requests/s; the app is told the same limit. */
async function drainRate(): Promise<{ ratio: number; duplicates: number; throttled: number }> {
  const limit = 100;
  const sim = await startSmaregi();
  const dir = tempDir();
  const engine = await createEngine({ dataDir: dir, demo: 'off', secrets: createMemorySecretStore() });
  try {
    await engine.call('sync.pause', {});
    await engine.call('settings.update', smaregiSettings(sim.url));
    await engine.call('sync.rateLimit', { target: 'smaregi', perSec: limit });
    const db = engine.ctx.db;
    const items: NewOutboxItem[] = [];
    for (let i = 0; i < 3_000; i++) {
      items.push(i % 3 === 0 ? sale(`R${i}`, PRODUCT_IDS[i % PRODUCT_IDS.length]) : stockAdd(PRODUCT_IDS[i % PRODUCT_IDS.length], 1));
    }
    db.transaction(() => items.forEach((it) => enqueue(db, it)))();
    sim.setConfig({ rateLimitPerSec: limit });
    sim.clearRequests();
    const t0 = performance.now();
    await engine.call('sync.resume', {});
    for (;;) {
      const p = await engine.call('sync.now', { wait: true, timeoutMs: 120_000 });
      if (p.remaining === 0 || performance.now() - t0 > 300_000) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const st = sim.state();
    const a = applied(st);
    let duplicates = 0;
    for (const n of a.sales.values()) duplicates += Math.max(0, n - 1);
    for (const memos of a.memos.values()) duplicates += memos.length - new Set(memos).size;
    const throttled = sim.requests().filter((r) => r.status === 429).length;
    return { ratio: Math.round((items.length / seconds / limit) * 1000) / 1000, duplicates, throttled };
  } finally {
    await engine.stop();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  out.outbox_commit_p99_ms = Math.round(commitLatency() * 1000) / 1000;
  out.outbox_bulk_enqueue_per_s = bulkEnqueue();
  const drain = await drainRate();
  out.drain_rate_ratio = drain.ratio;
  out.drain_duplicates = drain.duplicates;
  out.drain_throttled_429 = drain.throttled;
  const crash = await runCrashTrials({ backlog: 500, kills: 30 });
  out.crash_trials = crash.trials;
  out.crash_lost = crash.lost;
  out.crash_duplicated = crash.duplicated;
  out.crash_order_violations = crash.orderViolations;
  return out;
}

// Direct run: print the metrics.
if (process.argv[1] && /bench[\\/]outbox\.ts$/.test(process.argv[1])) {
  void run().then((r) => {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    process.exit(0);
  });
}
