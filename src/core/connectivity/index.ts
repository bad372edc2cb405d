import type { ConnState, SystemId } from '../../shared/contract/status';
import type { Channel } from '../channels/types';
import type { EngineContext, EngineModule } from '../context';
import { applyEvidence, DEFAULT_HYSTERESIS, UNKNOWN_LINK, type Hysteresis, type LinkState } from './hysteresis';

export { applyEvidence, DEFAULT_HYSTERESIS, type Hysteresis, type LinkState } from './hysteresis';

export interface ConnectivityMonitor extends EngineModule {
  state(system: SystemId): ConnState;
  snapshot(): Partial<Record<SystemId, ConnState>>;
  isOnline(system: SystemId): boolean;
  onChange(listener: (system: SystemId, state: ConnState) => void): () => void;
  /** Real traffic is evidence too: a success or a network failure seen by a channel. */
  report(system: SystemId, ok: boolean): void;
  /** Probe now (all systems, or one) and resolve once the state is updated. */
  checkNow(system?: SystemId): Promise<void>;
}

export interface ConnectivityOptions extends Partial<Hysteresis> {
  /** Probe period while online. Default: env REGISTER_COMPANION_PROBE_ONLINE_MS, else 15 s. */
  onlineIntervalMs?: number;
  /** Probe period while offline or unknown (recovery is noticed quickly). Default: env REGISTER_COMPANION_PROBE_OFFLINE_MS, else 5 s. */
  offlineIntervalMs?: number;
}

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

interface Link {
  channel: Channel;
  link: LinkState;
  timer: NodeJS.Timeout | null;
  inFlight: Promise<void> | null;
}

/**
 * Judges whether each external system is reachable by probing its real endpoint on a timer
 * (faster while offline, so recovery is noticed by itself) and by counting real traffic as
 * evidence, with hysteresis so one lost packet does not flip the state.
 */
export function createConnectivityMonitor(ctx: EngineContext, channels: Channel[], opts: ConnectivityOptions = {}): ConnectivityMonitor {
  const hysteresis: Hysteresis = {
    failuresToOffline: opts.failuresToOffline ?? DEFAULT_HYSTERESIS.failuresToOffline,
    successesToOnline: opts.successesToOnline ?? DEFAULT_HYSTERESIS.successesToOnline,
  };
  const onlineMs = opts.onlineIntervalMs ?? envMs('REGISTER_COMPANION_PROBE_ONLINE_MS', 15_000);
  const offlineMs = opts.offlineIntervalMs ?? envMs('REGISTER_COMPANION_PROBE_OFFLINE_MS', 5_000);
  const log = ctx.log.child('connectivity');
  const links = new Map<SystemId, Link>(channels.map((c) => [c.id, { channel: c, link: UNKNOWN_LINK, timer: null, inFlight: null }]));
  const listeners = new Set<(system: SystemId, state: ConnState) => void>();
  let running = false;
  let unsubscribeSettings: (() => void) | null = null;

  function set(system: SystemId, l: Link, next: LinkState) {
    const before = l.link.state;
    l.link = next;
    if (next.state === before) return;
    log.info('state changed', { system, from: before, to: next.state });
    for (const fn of listeners) {
      try {
        fn(system, next.state);
      } catch (err) {
        log.warn('listener failed', { err });
      }
    }
  }

  function evidence(system: SystemId, ok: boolean) {
    const l = links.get(system);
    if (l) set(system, l, applyEvidence(l.link, ok, hysteresis));
  }

  /** Waits for the next probe of this system according to its state (evidence postpones it). */
  function schedule(system: SystemId) {
    const l = links.get(system);
    if (!l || !running) return;
    if (l.timer) clearTimeout(l.timer);
    l.timer = setTimeout(() => void probe(system).finally(() => schedule(system)), l.link.state === 'online' ? onlineMs : offlineMs);
    l.timer.unref();
  }

  function probe(system: SystemId): Promise<void> {
    const l = links.get(system);
    if (!l) return Promise.resolve();
    // One probe at a time per system: concurrent checks share it.
    if (l.inFlight) return l.inFlight;
    const p = (async () => {
      try {
        if (!l.channel.configured()) {
          set(system, l, UNKNOWN_LINK);
          return;
        }
        const r = await l.channel.probe();
        evidence(system, r.ok);
        if (!r.ok) log.debug('probe failed', { system, message: r.message });
      } catch (err) {
        evidence(system, false);
        log.debug('probe threw', { system, err });
      }
    })();
    l.inFlight = p;
    void p.finally(() => {
      if (l.inFlight === p) l.inFlight = null;
    });
    return l.inFlight;
  }

  return {
    name: 'connectivity',
    state: (s) => links.get(s)?.link.state ?? 'unknown',
    snapshot: () => Object.fromEntries([...links].map(([id, l]) => [id, l.link.state])),
    isOnline: (s) => links.get(s)?.link.state === 'online',
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report(system, ok) {
      evidence(system, ok);
      schedule(system);
    },
    async checkNow(system) {
      const ids = system ? [system] : [...links.keys()];
      await Promise.all(
        ids.map(async (id) => {
          await probe(id);
          schedule(id);
        }),
      );
    },
    start() {
      running = true;
      // First probes run in the background: the engine does not wait for the network to start.
      for (const id of links.keys()) void probe(id).finally(() => schedule(id));
      // New URLs or credentials: judge again from scratch.
      const connectionKey = () => JSON.stringify([ctx.settings.get().smaregi, ctx.settings.get().giftee]);
      let lastKey = connectionKey();
      unsubscribeSettings = ctx.settings.onChange(() => {
        const key = connectionKey();
        if (key === lastKey) return;
        lastKey = key;
        for (const [id, l] of links) {
          set(id, l, UNKNOWN_LINK);
          void probe(id).finally(() => schedule(id));
        }
      });
    },
    stop() {
      running = false;
      unsubscribeSettings?.();
      for (const l of links.values()) if (l.timer) clearTimeout(l.timer);
    },
  };
}
