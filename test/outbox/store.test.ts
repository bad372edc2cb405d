import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase, type Db } from '../../src/core/db';
import { createDrainLease, createOutboxStore, enqueue } from '../../src/core/outbox';
import { sale, stockAdd, stockSet } from './fixtures';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rc-'));
  db = openDatabase(join(dir, DB_FILE));
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const states = () => db.prepare('SELECT id, state, ordering_key FROM outbox ORDER BY seq').all() as Array<{ id: string; state: string; ordering_key: string }>;

describe('enqueue', () => {
  it('commits with the local change or not at all', () => {
    db.exec('CREATE TABLE sale_local (n INTEGER)');
    const change = db.transaction((fail: boolean) => {
      db.prepare('INSERT INTO sale_local VALUES (1)').run();
      enqueue(db, sale('A1', '101'));
      if (fail) throw new Error('printer jammed');
    });
    expect(() => change(true)).toThrow('printer jammed');
    expect(states()).toHaveLength(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sale_local').get()).toEqual({ n: 0 });
    change(false);
    expect(states()).toHaveLength(1);
  });

  it('collapses pending absolute stock values for one product to the newest, leaving others alone', () => {
    const store = createOutboxStore(db);
    const first = enqueue(db, stockSet('101', 1));
    // The first one was handed to the target once (it may have been applied): it stays, in order.
    store.markRetry(store.begin(first, new Date())!, { nextAt: 0, error: 'timeout', maybeApplied: true });
    const second = enqueue(db, stockSet('101', 2));
    expect(store.begin(second, new Date())).toBeNull(); // not the lane head
    expect(store.begin(first, new Date())).not.toBeNull();
    const add = enqueue(db, stockAdd('101', 5));
    enqueue(db, stockSet('101', 3));
    const last = enqueue(db, stockSet('101', 4));
    enqueue(db, stockSet('102', 9));
    const rows = db.prepare("SELECT id, kind, payload, state FROM outbox WHERE ordering_key = 'stock:1:101' ORDER BY seq").all() as Array<{ id: string; kind: string; payload: string; state: string }>;
    expect(rows.map((r) => [r.id, r.state])).toEqual([
      [first, 'in_flight'],
      [add, 'pending'],
      [last, 'pending'],
    ]);
    expect(JSON.parse(rows[2].payload).stockAmount).toBe('4');
    expect(db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE ordering_key = 'stock:1:102'").get()).toEqual({ n: 1 });
  });
});

describe('lanes', () => {
  it('hands out only lane heads; a failed head blocks its own lane only; resend keeps the original place', () => {
    const store = createOutboxStore(db);
    const a1 = enqueue(db, stockAdd('101', 1));
    const a2 = enqueue(db, stockAdd('101', 2));
    const b1 = enqueue(db, stockAdd('102', 1));
    const c1 = enqueue(db, sale('C1', '103'));
    const now = Date.now();
    expect(store.dueHeads('smaregi', now, 10).map((h) => h.id)).toEqual([a1, b1, c1]);
    expect(store.begin(a2, new Date())).toBeNull(); // not the head of its lane

    const r = store.begin(a1, new Date())!;
    expect(r.attempts).toBe(1);
    store.markFailed(r, { at: new Date(), error: 'Smaregi 400: bad', maybeApplied: false, summary: 's' });
    // a2 waits behind the failed a1; other lanes go on.
    expect(store.dueHeads('smaregi', now, 10).map((h) => h.id)).toEqual([b1, c1]);
    expect(store.list({ state: 'failed', target: null, limit: 10, offset: 0 }).items[0]).toMatchObject({ id: a1, lastError: 'Smaregi 400: bad', attempts: 1 });

    // All or nothing: an id that is not a failed row (a2 is pending, the other unknown) requeues nothing.
    expect(store.resend({ ids: [a1, a2, 'no-such-id'] })).toEqual({ requeued: 0, notFailed: [a2, 'no-such-id'] });
    expect(store.get(a1)?.state).toBe('failed');
    expect(store.resend({ ids: [a1] })).toEqual({ requeued: 1, notFailed: [] });
    expect(store.dueHeads('smaregi', now, 10).map((h) => h.id)).toEqual([a1, b1, c1]);
    expect(store.laneHead('smaregi', 'stock:1:101')?.id).toBe(a1);
  });

  it('a retry waits until its time; in-flight rows found at start are marked maybe-applied', () => {
    const store = createOutboxStore(db);
    const a = enqueue(db, stockAdd('101', 1));
    const b = enqueue(db, stockAdd('102', 1));
    const ra = store.begin(a, new Date())!;
    store.markRetry(ra, { nextAt: Date.now() + 60_000, error: 'HTTP 500', maybeApplied: true });
    expect(store.dueHeads('smaregi', Date.now(), 10).map((h) => h.id)).toEqual([b]);
    expect(store.nextDueAt('smaregi')).toBe(0);
    store.begin(b, new Date());
    // A second connection sees "in flight" committed before any request would go out.
    const other = new Database(join(dir, DB_FILE), { readonly: true });
    expect(other.prepare('SELECT state, attempts FROM outbox WHERE id = ?').get(b)).toEqual({ state: 'in_flight', attempts: 1 });
    other.close();

    expect(store.recoverInterrupted(0)).toBe(1);
    expect(store.get(b)).toMatchObject({ state: 'pending', maybe_applied: 1, attempts: 1 });
    expect(store.get(a)).toMatchObject({ state: 'pending', maybe_applied: 1, failures: 1 });
    expect(store.resetDelays(null, Date.now())).toBe(1);
    expect(store.dueHeads('smaregi', Date.now(), 10).map((h) => h.id)).toEqual([a, b]);
  });

  it('sent rows record the remote reference and a history entry', () => {
    const store = createOutboxStore(db);
    const a = enqueue(db, sale('S1', '101'));
    const r = store.begin(a, new Date())!;
    store.markSent(r, { at: new Date(), remoteRef: '12345', summary: '取引 7/S1 → 12345' });
    expect(store.get(a)).toMatchObject({ state: 'sent', remote_ref: '12345' });
    const h = store.history({ text: 'S1', direction: null, target: null, limit: 10, offset: 0 });
    expect(h.total).toBe(1);
    expect(h.rows[0]).toMatchObject({ direction: 'sent', outboxId: a, ok: true, summary: '取引 7/S1 → 12345' });
    expect(store.counts()).toEqual([{ target: 'smaregi', pending: 0, inFlight: 0, failed: 0, sent: 1 }]);
    const t = store.throughput(new Date());
    expect(t).toHaveLength(60);
    expect(t.reduce((n, b) => n + b.sent, 0)).toBe(1);
  });

  it('uses the lane indexes (no full scans for heads)', () => {
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan("SELECT * FROM outbox WHERE target = 'x' AND ordering_key = 'k' AND state IN ('pending', 'in_flight', 'failed') ORDER BY seq LIMIT 1")).toContain('outbox_open');
    expect(plan("SELECT MIN(next_attempt_at) FROM outbox WHERE target = 'x' AND state = 'pending'")).toContain('outbox_state');
  });
});

describe('drain lease', () => {
  it('one holder at a time; a dead holder on this machine is taken over at once; an expired one too', () => {
    let now = 1_000_000;
    const a = createDrainLease(db, { ttlMs: 10_000, clock: () => now });
    const b = createDrainLease(db, { ttlMs: 10_000, clock: () => now });
    expect(a.ensure()).toBe(true);
    expect(b.ensure()).toBe(false); // a is alive (this very process)
    now += 11_000;
    expect(b.ensure()).toBe(true); // a's lease expired without renewal
    a.release(); // not a's any more: nothing happens
    expect(db.prepare('SELECT owner FROM drain_lease').get()).toEqual({ owner: b.owner });

    // A holder whose process is gone (SIGKILL) does not make the next engine wait.
    const dead = JSON.stringify({ host: hostname(), pid: 2 ** 22 + 12345, token: 'x' });
    db.prepare('UPDATE drain_lease SET owner = ?, expires_at = ?').run(dead, now + 60_000);
    const c = createDrainLease(db, { ttlMs: 10_000, clock: () => now });
    expect(c.ensure()).toBe(true);
    c.release();
    expect(db.prepare('SELECT COUNT(*) AS n FROM drain_lease').get()).toEqual({ n: 0 });
  });
});
