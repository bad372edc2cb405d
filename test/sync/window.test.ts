import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/log';
import { planWindows, pollWindowed, type PollContext, type ReceivedItem, type WindowedSource } from '../../src/core/sync';

interface Row {
  id: string;
  t: number;
}

const DAY = 24 * 3600_000;
const NOW = Date.parse('2026-03-01T00:00:00Z');

/** An in-memory list API: rows in [from, to] sorted by stamp then id, cut into pages. */
function source(rows: Row[], o: { onFetch?: (n: number) => void; limit?: number; lookbackMs?: number } = {}): WindowedSource<Row> & { calls: Array<{ from: number; to: number; page: number }> } {
  const calls: Array<{ from: number; to: number; page: number }> = [];
  return {
    calls,
    cursorName: 'test.cursor',
    maxWindowMs: 31 * DAY - 1000,
    pageLimit: o.limit ?? 3,
    overlapMs: 60_000,
    settleMs: 60_000,
    initialLookbackMs: o.lookbackMs ?? 60 * DAY,
    format: (ms) => new Date(ms).toISOString(),
    async fetch(from, to, page, limit) {
      o.onFetch?.(calls.length);
      calls.push({ from, to, page });
      expect(to - from).toBeLessThanOrEqual(31 * DAY);
      const inWin = rows.filter((r) => r.t >= from && r.t <= to).sort((a, b) => a.t - b.t || a.id.localeCompare(b.id));
      return inWin.slice((page - 1) * limit, page * limit).map((r) => ({ ...r }));
    },
    stamp: (r) => r.t,
    toItem: (r): ReceivedItem => ({ key: `${r.id}@${r.t}`, target: 't', kind: 'row', summary: r.id, payload: r }),
  };
}

function memoryContext(now: number, o: { failOnCommit?: number } = {}) {
  const cursors = new Map<string, string>();
  const seen = new Set<string>();
  let commits = 0;
  const pc: PollContext & { seen: Set<string>; cursors: Map<string, string> } = {
    seen,
    cursors,
    now: () => new Date(now),
    log: memoryLogger(),
    cursor: (n) => cursors.get(n) ?? null,
    commit(items, cursor) {
      if (items.length) commits += 1;
      if (items.length && commits === o.failOnCommit) throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
      // One "transaction": items and cursor together.
      let fresh = 0;
      for (const i of items) if (!seen.has(i.key)) (seen.add(i.key), (fresh += 1));
      if (cursor) cursors.set(cursor.name, cursor.value);
      return fresh;
    },
  };
  return pc;
}

describe('window planning', () => {
  it('covers [from, now] with contiguous windows no longer than the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * DAY }), fc.integer({ min: 3600_000, max: 40 * DAY }), (back, max) => {
        const w = planWindows(NOW - back, NOW, max);
        expect(w[0].from).toBe(NOW - back);
        expect(w.at(-1)!.to).toBe(NOW);
        for (let i = 0; i < w.length; i++) {
          expect(w[i].to - w[i].from).toBeLessThanOrEqual(max);
          if (i > 0) expect(w[i].from).toBe(w[i - 1].to);
        }
      }),
    );
  });
});

describe('windowed keyset polling', () => {
  it('reads every row once across several windows, small pages and many rows on one timestamp', async () => {
    const rows: Row[] = [];
    for (let i = 0; i < 30; i++) rows.push({ id: `a${i}`, t: NOW - 50 * DAY + Math.round(i * 1.6 * DAY) });
    for (let i = 0; i < 8; i++) rows.push({ id: `same${i}`, t: NOW - 5 * DAY }); // more than a page on one second
    const src = source(rows);
    const pc = memoryContext(NOW);
    expect(await pollWindowed(src, pc)).toEqual({ received: rows.length });
    expect(pc.seen.size).toBe(rows.length);
    expect(src.calls.some((c) => c.page > 1)).toBe(true);
    // A second poll repeats nothing.
    expect(await pollWindowed(src, pc)).toEqual({ received: 0 });
    // A row changed later is received again, as a new version.
    rows[0].t = NOW - 10_000;
    const later = memoryContext(NOW);
    later.cursors.set('test.cursor', pc.cursors.get('test.cursor')!);
    for (const k of pc.seen) later.seen.add(k);
    expect(await pollWindowed(source(rows), later)).toEqual({ received: 1 });
  });

  it('does not skip a row when an earlier one changes while paging (page numbers would)', async () => {
    const rows: Row[] = Array.from({ length: 9 }, (_, i) => ({ id: `r${i}`, t: NOW - DAY + i * 60_000 }));
    const original = rows.map((r) => `${r.id}@${r.t}`);
    // After the first page, the first row is edited: it moves to the end of the list.
    const src = source(rows, { lookbackMs: 2 * DAY, onFetch: (n) => n === 1 && (rows[0].t = NOW - 30_000) });
    const pc = memoryContext(NOW);
    await pollWindowed(src, pc);
    for (const k of original) expect(pc.seen.has(k)).toBe(true);
    expect(pc.seen.has(`r0@${NOW - 30_000}`)).toBe(true);
  });

  it('a failure mid-way keeps the cursor of the last committed page; the next poll has no gap and no repeat', async () => {
    const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, t: NOW - DAY + i * 60_000 }));
    const pc = memoryContext(NOW, { failOnCommit: 2 });
    await expect(pollWindowed(source(rows), pc)).rejects.toThrow('disk full');
    expect(pc.seen.size).toBe(3);
    expect(Date.parse(pc.cursors.get('test.cursor')!)).toBe(rows[2].t);
    const r = await pollWindowed(source(rows), pc);
    expect(r.received).toBe(7);
    expect(pc.seen.size).toBe(10);
  });

  it('an empty stretch moves the cursor only up to now minus the settle time', async () => {
    const pc = memoryContext(NOW);
    await pollWindowed(source([]), pc);
    expect(Date.parse(pc.cursors.get('test.cursor')!)).toBe(NOW - 60_000);
  });
});
