import { ContractError } from '../../shared/contract/envelope';
import type { SyncProgress } from '../../shared/contract/sync';
import type { Channel } from '../channels/types';
import type { ConnectivityMonitor } from '../connectivity';
import type { EngineContext, EngineModule } from '../context';
import { createInboundSync, type InboundSync, type Poller } from '../sync';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { createDrainer, type DrainerOptions } from './drainer';
import { createDrainLease } from './lease';
import { PAUSED_KEY, rateLimitKey, readMeta, writeMeta } from './meta';
import { createProgressTracker } from './progress';
import { createRateGate } from './rate-gate';
import { createOutboxStore } from './store';

export { enqueue, enqueueMany, newOutboxId, type NewOutboxItem } from './enqueue';
export { backoffCeilingMs, retryDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
export { classifyFailure, type FailureVerdict } from './classify';
export { createRateGate, type RateGate } from './rate-gate';
export { createOutboxStore, priorInLane, type OutboxRow, type OutboxStore } from './store';
export { createDrainLease, type DrainLease } from './lease';
export { rateLimitKey, PAUSED_KEY } from './meta';

export interface Outbox extends EngineModule {
  progress(): SyncProgress;
  /** Something was queued or the network came back: look for due work now. */
  kick(): void;
  /** One last bounded delivery attempt (quit). */
  flush(timeoutMs: number): Promise<{ delivered: number; pending: number }>;
  /** Inbound polling run alongside delivery (`sync.now` polls too). */
  readonly inbound: InboundSync;
}

export interface OutboxOptions extends Partial<DrainerOptions> {
  /** Emit `sync.progress` at most this often. */
  progressThrottleMs?: number;
  /** Inbound pollers; by default those the channels offer (`channel.pollers()`). */
  pollers?: Poller[];
}

function channelPollers(channels: Channel[]): Poller[] {
  // Channels offer inbound sources as an optional `pollers()` (Smaregi today; channel orders later).
  return channels.flatMap((c) => c.pollers?.() ?? []);
}

/**
 * The outbox module: the drainer, pause/resume (persisted), progress with ETA, history, resend,
 * per-target rate limits, and the inbound pollers. See docs/outbox.md.
 */
export function createOutbox(
  ctx: EngineContext,
  deps: { channels: Channel[]; connectivity: ConnectivityMonitor },
  options: OutboxOptions = {},
): Outbox {
  const store = createOutboxStore(ctx.db);
  const lease = createDrainLease(ctx.db);
  const clock = () => ctx.now().getTime();
  const progressTracker = createProgressTracker(() => store.counts(), clock);
  const inbound = createInboundSync(ctx, { pollers: options.pollers ?? channelPollers(deps.channels) });
  let paused = readMeta(ctx.db, PAUSED_KEY) === '1';
  const channelById = new Map(deps.channels.map((c) => [c.id as string, c]));

  const rateFor = (target: string): { perSec: number | null; source: 'default' | 'setting' } => {
    const set = Number(readMeta(ctx.db, rateLimitKey(target)));
    if (Number.isFinite(set) && set > 0) return { perSec: set, source: 'setting' };
    return { perSec: channelById.get(target)?.rateLimitPerSec ?? null, source: 'default' };
  };

  // ---- sync.progress events, at most every `throttle` ms, only when something changed ----
  const throttle = options.progressThrottleMs ?? 250;
  let lastEmit = 0;
  let lastJson = '';
  let trailing: NodeJS.Timeout | null = null;
  let stopped = false;
  /** Fresh counts (rows are queued by other modules without telling us). */
  function progress(): SyncProgress {
    progressTracker.invalidate();
    return progressTracker.snapshot({ paused, draining: drainer.draining() });
  }
  function notify() {
    if (stopped || trailing) return;
    const wait = lastEmit + throttle - Date.now();
    const fire = () => {
      trailing = null;
      if (stopped) return;
      lastEmit = Date.now();
      try {
        const p = progressTracker.snapshot({ paused, draining: drainer.draining() });
        const json = JSON.stringify(p);
        if (json === lastJson) return;
        lastJson = json;
        ctx.emit('sync.progress', p);
      } catch {
        /* the database is closing */
      }
    };
    if (wait <= 0) fire();
    else {
      trailing = setTimeout(fire, wait);
      trailing.unref?.();
    }
  }

  const drainer = createDrainer(
    ctx,
    {
      store,
      lease,
      channels: deps.channels,
      connectivity: deps.connectivity,
      gateFor: (ch) => createRateGate(rateFor(ch.id).perSec, clock),
      paused: () => paused,
      onDelivered: (at, ok) => {
        if (ok) progressTracker.delivered(at);
        else progressTracker.invalidate();
        notify();
      },
      onChange: () => {
        progressTracker.invalidate();
        notify();
      },
    },
    {
      concurrency: options.concurrency ?? 4,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: options.random ?? Math.random,
      tickMs: options.tickMs ?? 1_000,
      recoverGraceMs: options.recoverGraceMs ?? 1_000,
    },
  );

  let kickQueued = false;
  function kick() {
    if (kickQueued || stopped) return;
    kickQueued = true;
    setImmediate(() => {
      kickQueued = false;
      progressTracker.invalidate();
      drainer.pump();
      notify();
    });
  }

  function setPaused(p: boolean): SyncProgress {
    ctx.intake.write(() => writeMeta(ctx.db, PAUSED_KEY, p ? '1' : '0'));
    paused = p;
    ctx.log.info(p ? 'sync paused' : 'sync resumed');
    if (!p) kick();
    notify();
    return progress();
  }

  let unsubscribe: (() => void) | null = null;

  return {
    name: 'outbox',
    inbound,
    progress,
    kick,
    async flush(timeoutMs) {
      // A last attempt at quit: everything due now, waiting rows included; a manager's pause holds.
      const { delivered } = await drainer.drainOnce(timeoutMs, { force: false, resetDelays: !paused });
      return { delivered, pending: progress().remaining };
    },
    start() {
      stopped = false;
      unsubscribe = deps.connectivity.onChange((system, state) => {
        if (state === 'online') drainer.online(system);
      });
      drainer.start();
      inbound.start?.();
      notify();
    },
    async stop() {
      stopped = true;
      if (trailing) clearTimeout(trailing);
      unsubscribe?.();
      await Promise.all([drainer.stop(), inbound.stop?.()]);
    },
    handlers: {
      'outbox.list': (p) => store.list(p),
      'outbox.resend': (p) => {
        const restamp = (row: { target: string; kind: string; payload: unknown }) => channelById.get(row.target)?.restamp?.(row.kind, row.payload) ?? null;
        const { requeued, notFailed } = ctx.intake.write(() => store.resend('ids' in p ? { ids: p.ids } : { allFailed: true, target: p.target }, restamp));
        if (notFailed.length > 0) {
          // All or nothing: a mistyped id must not go unnoticed while the others are requeued.
          throw new ContractError(
            'not_found',
            `再送できるのは失敗した項目だけです。見つからないか失敗していない ID: ${notFailed.join(', ')}（何も再送していません） / not failed items (unknown, or not in the failed state): ${notFailed.join(', ')}; nothing was requeued`,
            { ids: notFailed },
          );
        }
        if (requeued > 0) ctx.log.info('failed items put back in their place', { requeued });
        kick();
        return { requeued };
      },
      'sync.progress': () => progress(),
      'sync.now': async ({ wait, timeoutMs }) => {
        // An explicit "sync now" sends even while paused, retries waiting rows at once, and polls.
        // Waiting, it returns once nothing is pending or in flight that could still go out (rows that
        // fail again are retried after their backoff, within the timeout). A one-shot engine (CLI)
        // has no background loop to carry on, so even without `wait` it finishes what is due now.
        const polls = inbound.pollNow();
        const drain = drainer.drainOnce(timeoutMs, { force: true, resetDelays: true, restartBackoff: true, untilIdle: wait });
        if (wait || !drainer.running()) {
          let timer: NodeJS.Timeout | undefined;
          try {
            await Promise.race([Promise.all([drain, polls]), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
          } finally {
            clearTimeout(timer);
          }
        } else {
          void drain.catch(() => {});
          void polls.catch(() => {});
        }
        if (drainer.halted()) throw new ContractError('storage_full', drainer.halted()!);
        return progress();
      },
      'sync.pause': () => setPaused(true),
      'sync.resume': () => setPaused(false),
      'sync.history': (p) => store.history(p),
      'sync.throughput': () => store.throughput(ctx.now()),
      'sync.rateLimit': ({ target, perSec }) => {
        if (perSec !== undefined) {
          ctx.intake.write(() => writeMeta(ctx.db, rateLimitKey(target), perSec === null ? null : String(perSec)));
          drainer.gate(target)?.setRate(rateFor(target).perSec);
        }
        return { target, ...rateFor(target) };
      },
    },
  };
}
