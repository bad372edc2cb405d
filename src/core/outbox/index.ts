import type { SyncProgress } from '../../shared/contract/sync';
import type { Channel } from '../channels/types';
import type { ConnectivityMonitor } from '../connectivity';
import type { EngineContext, EngineModule } from '../context';

export { enqueue, type NewOutboxItem } from './enqueue';

// PLACEHOLDER — the outbox work replaces this with the drainer.
export interface Outbox extends EngineModule {
  progress(): SyncProgress;
  /** Something was queued or the network came back: look for due work now. */
  kick(): void;
  /** One last bounded delivery attempt (quit). */
  flush(timeoutMs: number): Promise<{ delivered: number; pending: number }>;
}

export function createOutbox(_ctx: EngineContext, _deps: { channels: Channel[]; connectivity: ConnectivityMonitor }): Outbox {
  const progress: SyncProgress = { paused: false, draining: false, remaining: 0, done: 0, etaSeconds: null, perTarget: [] };
  return { name: 'outbox', progress: () => progress, kick: () => {}, flush: async () => ({ delivered: 0, pending: 0 }) };
}
