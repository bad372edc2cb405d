import type { EngineContext, EngineModule } from '../context';
import { readCursor, writeCursor } from './cursors';
import type { PollContext, Poller, ReceivedItem, ReceivedListener } from './types';

export type { Poller, PollContext, ReceivedItem, ReceivedListener } from './types';
export { pollWindowed, planWindows, SMAREGI_MAX_WINDOW_MS, type WindowedSource } from './window';
export { smaregiStockPoller, smaregiTransactionsPoller, type SmaregiPollerOptions } from './smaregi';
export { listCursors, readCursor, writeCursor } from './cursors';

export interface PollResult {
  poller: string;
  received: number;
  error: string | null;
}

export interface InboundSync extends EngineModule {
  /** Runs every configured poller once (one already running is awaited, not doubled). */
  pollNow(): Promise<PollResult[]>;
  /** Called for each newly received item, inside the transaction that records it. */
  onReceived(listener: ReceivedListener): () => void;
  pollers(): readonly Poller[];
}

/**
 * Inbound sync: each poller runs on its own timer, reads what changed since its cursor and commits
 * the received items (history rows, plus whatever listeners derive) together with the new cursor.
 */
export function createInboundSync(ctx: EngineContext, deps: { pollers: Poller[] }): InboundSync {
  const log = ctx.log.child('sync');
  const listeners = new Set<ReceivedListener>();
  const running = new Map<string, Promise<PollResult>>();
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = true;

  const insert = ctx.db.prepare(
    `INSERT OR IGNORE INTO sync_history (id, at, direction, target, kind, outbox_id, summary, payload, ok, error)
     VALUES (?, ?, 'received', ?, ?, NULL, ?, ?, 1, NULL)`,
  );

  function commit(items: ReceivedItem[], cursor: { name: string; value: string } | null): number {
    return ctx.intake.write(() =>
      ctx.db.transaction(() => {
        const at = ctx.now().toISOString();
        let fresh = 0;
        for (const item of items) {
          const r = insert.run(`recv:${item.key}`, at, item.target, item.kind, item.summary, JSON.stringify(item.payload));
          if (r.changes === 0) continue; // already recorded: a re-read of the overlap
          fresh += 1;
          for (const l of listeners) l(item, ctx.db);
        }
        if (cursor) writeCursor(ctx.db, cursor.name, cursor.value, ctx.now());
        return fresh;
      })(),
    );
  }

  const pc: PollContext = {
    now: () => ctx.now(),
    log,
    cursor: (name) => readCursor(ctx.db, name),
    commit,
  };

  function runOne(p: Poller): Promise<PollResult> {
    const busy = running.get(p.name);
    if (busy) return busy;
    const job = (async (): Promise<PollResult> => {
      if (!p.configured()) return { poller: p.name, received: 0, error: null };
      try {
        const { received } = await p.poll(pc);
        if (received > 0) log.info('received', { poller: p.name, received });
        return { poller: p.name, received, error: null };
      } catch (err) {
        const message = (err as Error)?.message ?? String(err);
        log.warn('poll failed; the cursor stays where it was', { poller: p.name, err: message });
        return { poller: p.name, received: 0, error: message };
      }
    })().finally(() => running.delete(p.name));
    running.set(p.name, job);
    return job;
  }

  function schedule(p: Poller, delayMs: number) {
    if (stopped) return;
    const t = setTimeout(() => {
      void runOne(p).finally(() => schedule(p, p.intervalMs));
    }, delayMs);
    t.unref?.();
    timers.set(p.name, t);
  }

  return {
    name: 'sync',
    pollers: () => deps.pollers,
    start() {
      stopped = false;
      deps.pollers.forEach((p, i) => schedule(p, 2_000 + i * 500));
    },
    async stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await Promise.race([Promise.allSettled([...running.values()]), new Promise((r) => setTimeout(r, 1_000))]);
    },
    pollNow: () => Promise.all(deps.pollers.map(runOne)),
    onReceived(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
