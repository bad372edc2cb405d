import { ContractError } from '../../shared/contract/envelope';
import { SystemIdSchema } from '../../shared/contract/status';
import type { Channel, OutboxDelivery } from '../channels/types';
import type { ConnectivityMonitor } from '../connectivity';
import type { EngineContext } from '../context';
import { isStorageError } from '../db';
import { retryDelayMs, type BackoffPolicy } from './backoff';
import { classifyFailure } from './classify';
import type { DrainLease } from './lease';
import type { RateGate } from './rate-gate';
import type { OutboxRow, OutboxStore } from './store';

/**
 * Delivers due outbox rows. Per target, up to `concurrency` lanes run at once; a lane (one
 * ordering key) is strictly sequential in `seq` order, and its head — pending, in flight or failed —
 * blocks only that lane. Targets are independent: each has its own gate (rate limit, Retry-After
 * hold) and its own workers, so a slow or broken target holds nobody else up.
 */

export interface DrainerOptions {
  /** Lanes of one target in flight at once. */
  concurrency: number;
  backoff: BackoffPolicy;
  random: () => number;
  /** The timer that looks for due work even when no event says so. */
  tickMs: number;
  /**
   * A row found in flight at start may still be applied by the target after we died; its lane waits
   * this long before checking the target and (if absent) sending again.
   */
  recoverGraceMs: number;
}

export interface Drainer {
  start(): void;
  stop(): Promise<void>;
  /** Look for due work on every target (or one) now. */
  pump(target?: string): void;
  /**
   * Deliver what is due until nothing is left to do now or the time is up. With `untilIdle`, also
   * wait for rows whose retry comes due before the time is up (backoff, Retry-After, the grace of a
   * recovered row): return only when nothing is pending or in flight that could still go out.
   */
  drainOnce(
    timeoutMs: number,
    opts: { force: boolean; resetDelays: boolean; restartBackoff?: boolean; untilIdle?: boolean },
  ): Promise<{ delivered: number }>;
  /** Whether the background loop runs (start() was called): a one-shot engine has none. */
  running(): boolean;
  /** The network came back for this target: retry waiting rows at once. */
  online(target: string): void;
  active(): number;
  draining(): boolean;
  /** Why delivery stopped (storage trouble), or null. */
  halted(): string | null;
  gate(target: string): RateGate | null;
}

class Halted extends Error {}

interface TargetRun {
  channel: Channel;
  gate: RateGate;
  lanes: Set<string>;
  candidates: Array<{ id: string; ordering_key: string }>;
  wake: NodeJS.Timeout | null;
}

export function createDrainer(
  ctx: EngineContext,
  deps: {
    store: OutboxStore;
    lease: DrainLease;
    channels: Channel[];
    connectivity: ConnectivityMonitor;
    gateFor(channel: Channel): RateGate;
    paused(): boolean;
    onDelivered(at: number, ok: boolean): void;
    onChange(): void;
  },
  opts: DrainerOptions,
): Drainer {
  const { store, lease } = deps;
  const log = ctx.log.child('outbox');
  const clock = () => ctx.now().getTime();
  const runs = new Map<string, TargetRun>();
  for (const ch of deps.channels) {
    if (!ch.deliver) continue;
    runs.set(ch.id, { channel: ch, gate: deps.gateFor(ch), lanes: new Set(), candidates: [], wake: null });
  }
  let active = 0;
  let forced = 0;
  let stopping = false;
  let started = false;
  let recovered = false;
  /** drainOnce passes running: they deliver even when the background loop was never started (CLI). */
  let passes = 0;
  let haltedWhy: string | null = null;
  let lastActivity = 0;
  let tick: NodeJS.Timeout | null = null;
  let delivered = 0;

  const mayRun = () => !stopping && haltedWhy === null && (forced > 0 || !deps.paused());
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  function report(target: string, ok: boolean) {
    const sys = SystemIdSchema.safeParse(target);
    if (sys.success) deps.connectivity.report(sys.data, ok);
  }

  function halt(err: unknown) {
    const msg = ctx.intake.stopped()?.message ?? (err as Error)?.message ?? String(err);
    if (haltedWhy === null) log.error('delivery stopped: the data folder cannot be written', { err: (err as Error)?.message });
    haltedWhy = msg;
    for (const r of runs.values()) r.candidates = [];
    deps.onChange();
  }

  /** A state change, through the intake guard: storage trouble stops intake and halts delivery. */
  function write<T>(fn: () => T): T {
    try {
      return ctx.intake.write(fn);
    } catch (err) {
      if ((err instanceof ContractError && err.code === 'storage_full') || isStorageError(err)) {
        halt(err);
        throw new Halted();
      }
      throw err;
    }
  }

  function recover(): boolean {
    try {
      const n = write(() => store.recoverInterrupted(clock() + opts.recoverGraceMs));
      if (n > 0) log.info('interrupted deliveries will be checked before resending', { rows: n });
      haltedWhy = null;
      recovered = true;
      return true;
    } catch (err) {
      if (!(err instanceof Halted)) log.error('recovery failed', { err });
      return false;
    }
  }

  function nextCandidate(t: TargetRun, now: number): { id: string; ordering_key: string } | null {
    while (t.candidates.length) {
      const c = t.candidates.shift()!;
      if (!t.lanes.has(c.ordering_key)) return c;
    }
    const due = store.nextDueAt(t.channel.id);
    if (due === null || due > now) return null;
    t.candidates = store.dueHeads(t.channel.id, now, 64 + t.lanes.size).filter((c) => !t.lanes.has(c.ordering_key));
    return t.candidates.shift() ?? null;
  }

  function scheduleWake(t: TargetRun, now: number) {
    if (t.wake) clearTimeout(t.wake);
    t.wake = null;
    if (t.lanes.size >= opts.concurrency) return;
    const due = store.nextDueAt(t.channel.id);
    if (due === null || due <= now) return; // nothing waiting, or blocked lanes: a worker or the tick resumes them
    const at = Math.max(due, t.gate.heldUntil());
    if (at - now >= opts.tickMs) return;
    t.wake = setTimeout(() => pumpTarget(t), Math.max(5, at - now));
  }

  function pumpTarget(t: TargetRun) {
    if ((!started && passes === 0) || !mayRun()) return;
    // Rows left in flight by a previous process must be marked maybe-applied before anything else.
    if (!recovered && !recover()) return;
    try {
      if (!t.channel.configured()) return;
      if (!lease.ensure()) return;
      const now = clock();
      while (t.lanes.size < opts.concurrency) {
        const c = nextCandidate(t, now);
        if (!c) break;
        const key = c.ordering_key;
        t.lanes.add(key);
        active += 1;
        void runLane(t, c.id, key)
          .catch((err) => {
            if (!(err instanceof Halted) && !stopping) log.error('lane failed', { err: (err as Error)?.message, target: t.channel.id });
          })
          .finally(() => {
            t.lanes.delete(key);
            active -= 1;
            lastActivity = clock();
            if (!stopping) setImmediate(() => pumpTarget(t));
          });
      }
      scheduleWake(t, now);
    } catch (err) {
      if (!stopping) log.error('pump failed', { err: (err as Error)?.message, target: t.channel.id });
    }
  }

  async function runLane(t: TargetRun, firstId: string, key: string): Promise<void> {
    let id = firstId;
    for (;;) {
      // Pace before committing in_flight: a row waiting here is still plainly pending.
      for (;;) {
        if (!mayRun()) return;
        const wait = t.gate.take();
        if (wait <= 0) break;
        await sleep(Math.min(wait, 500));
      }
      const row = write(() => store.begin(id, ctx.now()));
      if (!row) return;
      lastActivity = clock();
      await attempt(t, row);
      if (!mayRun()) return;
      const next = store.laneHead(t.channel.id, key);
      if (!next || next.state !== 'pending' || next.next_attempt_at > clock()) return;
      id = next.id;
    }
  }

  async function attempt(t: TargetRun, row: OutboxRow): Promise<void> {
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      payload = null;
    }
    const delivery: OutboxDelivery = {
      id: row.id,
      kind: row.kind,
      orderingKey: row.ordering_key,
      payload,
      attempt: row.attempts,
      maybeApplied: row.maybe_applied === 1,
    };
    let outcome: Awaited<ReturnType<NonNullable<Channel['deliver']>>> | null = null;
    let error: unknown = null;
    try {
      outcome = await t.channel.deliver!(delivery);
    } catch (err) {
      error = err;
    }
    if (stopping && !ctx.db.open) return; // the engine closed under us: the row stays in flight, recovered next start
    const at = ctx.now();
    if (outcome) {
      write(() => store.markSent(row, { at, remoteRef: outcome.remoteRef ?? null, summary: outcome.summary ?? `${row.kind} ${row.ordering_key}` }));
      delivered += 1;
      report(t.channel.id, true);
      deps.onDelivered(at.getTime(), true);
      return;
    }
    const v = classifyFailure(error);
    if (v.retryAfterMs) t.gate.hold(v.retryAfterMs);
    if (v.unreachable) report(t.channel.id, false);
    if (v.disposition === 'retry') {
      const delay = retryDelayMs(row.failures + 1, v.retryAfterMs, opts.backoff, opts.random);
      write(() => store.markRetry(row, { nextAt: at.getTime() + delay, error: v.message, maybeApplied: v.maybeApplied }));
      log.info('delivery will be retried', { id: row.id, kind: row.kind, error: v.message, inMs: delay });
    } else {
      write(() =>
        store.markFailed(row, { at, error: v.message, maybeApplied: v.maybeApplied, summary: `${row.kind} ${row.ordering_key}` }),
      );
      log.warn('delivery failed permanently', { id: row.id, kind: row.kind, error: v.message });
      deps.onDelivered(at.getTime(), false);
    }
    deps.onChange();
  }

  function pumpAll() {
    for (const t of runs.values()) pumpTarget(t);
  }

  /**
   * Whether a pending lane head of a configured target comes due by `by` (rows behind a failed
   * head cannot go out, so they do not count).
   */
  function workDueBy(by: number): boolean {
    for (const t of runs.values()) {
      if (!t.channel.configured()) continue;
      const due = store.nextDueAt(t.channel.id);
      if (due !== null && due <= by && store.dueHeads(t.channel.id, by, 1).length > 0) return true;
    }
    return false;
  }

  return {
    start() {
      if (started) return;
      started = true;
      recover();
      tick = setInterval(() => {
        if (haltedWhy !== null && active === 0) recover();
        pumpAll();
        deps.onChange();
      }, opts.tickMs);
      tick.unref?.();
      pumpAll();
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      if (tick) clearInterval(tick);
      for (const t of runs.values()) if (t.wake) clearTimeout(t.wake);
      // Let requests already on the wire finish briefly; what does not finish stays in flight and
      // is checked with the target at the next start.
      const deadline = Date.now() + 1_500;
      while (active > 0 && Date.now() < deadline) await sleep(20);
      lease.release();
    },
    pump(target) {
      if (target) {
        const t = runs.get(target);
        if (t) pumpTarget(t);
      } else pumpAll();
    },
    async drainOnce(timeoutMs, o) {
      const before = delivered;
      const deadline = clock() + timeoutMs;
      if (o.resetDelays) {
        try {
          write(() => store.resetDelays(null, clock(), { restart: o.restartBackoff }));
        } catch {
          /* halted: reported through progress */
        }
      }
      if (o.force) forced += 1;
      passes += 1;
      try {
        // Rows a killed process left in flight become pending (maybe applied) before anything is
        // sent — here too, for a one-shot engine whose background loop never started.
        if (!recovered && mayRun()) recover();
        pumpAll();
        while (clock() < deadline && mayRun()) {
          // Idle: nothing in flight, and nothing that can start now (or, waiting, before the deadline).
          if (active === 0 && !workDueBy(o.untilIdle ? deadline : clock())) break;
          await sleep(Math.max(1, Math.min(50, deadline - clock())));
          pumpAll();
        }
      } finally {
        if (o.force) forced -= 1;
        passes -= 1;
      }
      return { delivered: delivered - before };
    },
    online(target) {
      const t = runs.get(target);
      if (!t) return;
      try {
        write(() => store.resetDelays(target, clock()));
      } catch {
        return;
      }
      pumpTarget(t);
    },
    running: () => started && !stopping,
    active: () => active,
    // Recent activity counts (rows between retries) only while something can still go out: a
    // drained or fully blocked queue is not "draining".
    draining: () => active > 0 || (clock() - lastActivity < 2_000 && workDueBy(Number.MAX_SAFE_INTEGER)),
    halted: () => haltedWhy,
    gate: (target) => runs.get(target)?.gate ?? null,
  };
}
