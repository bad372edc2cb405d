import type { ConnState, SystemId } from '../../shared/contract/status';
import type { Channel } from '../channels/types';
import type { EngineContext, EngineModule } from '../context';

// PLACEHOLDER — the redemption work replaces this with the real monitor (probes, hysteresis).
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

export function createConnectivityMonitor(_ctx: EngineContext, channels: Channel[]): ConnectivityMonitor {
  const states = new Map<SystemId, ConnState>(channels.map((c) => [c.id, 'unknown']));
  return {
    name: 'connectivity',
    state: (s) => states.get(s) ?? 'unknown',
    snapshot: () => Object.fromEntries(states),
    isOnline: (s) => states.get(s) === 'online',
    onChange: () => () => {},
    report: () => {},
    checkNow: async () => {},
  };
}
