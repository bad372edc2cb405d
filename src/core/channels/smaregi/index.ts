import type { Channel, ProbeResult } from '../types';
import type { EngineContext } from '../../context';
import { smaregiStockPoller, smaregiTransactionsPoller, type SmaregiPollerOptions } from '../../sync/smaregi';
import type { Poller } from '../../sync/types';
import { createSmaregiClient, smaregiErrorText, type SmaregiClient } from './client';
import { priorInLane } from '../../outbox/store';
import { createSmaregiDeliver, restampSmaregiPayload, SMAREGI_KINDS } from './deliver';

export { createSmaregiClient, smaregiErrorText, type SmaregiClient } from './client';
export {
  SMAREGI_KINDS,
  smaregiCancelItem,
  smaregiStockAddItem,
  smaregiStockSetItem,
  smaregiTransactionItem,
  stockKey,
  stockMemo,
  restampSmaregiPayload,
  isOurTransaction,
  saleIdentity,
  type SaleIdentity,
  type SmaregiTransactionLookup,
} from './deliver';

export interface SmaregiChannel extends Channel {
  readonly client: SmaregiClient;
  /** Inbound sources: transactions and stock changed in Smaregi. */
  pollers(): Poller[];
}

export interface SmaregiChannelOptions {
  /** Per-request timeout of the client (ms). */
  timeoutMs?: number;
  /**
   * Requests per second the outbox sends. Smaregi limits per contract; the published figures are
   * third-party (sandbox 4 writes/s, production 20). A store can change it (sync.rateLimit).
   */
  rateLimitPerSec?: number;
  poll?: SmaregiPollerOptions;
}

export function createSmaregiChannel(ctx: EngineContext, opts: SmaregiChannelOptions = {}): SmaregiChannel {
  const config = () => ctx.smaregiConfig();
  const client = createSmaregiClient(config, { timeoutMs: opts.timeoutMs });
  const deliver = createSmaregiDeliver(client, {
    // A cancel voids the sale queued before it in its lane: the id Smaregi gave that sale is ours for sure.
    laneSale: (item) => priorInLane(ctx.db, item.id, SMAREGI_KINDS.transaction),
  });
  return {
    id: 'smaregi',
    client,
    rateLimitPerSec: opts.rateLimitPerSec ?? 20,
    configured: () => config() !== null,
    async probe(): Promise<ProbeResult> {
      const t0 = Date.now();
      try {
        await client.request('GET', '/stores', { query: { limit: 1 }, timeoutMs: 5_000 });
        return { ok: true, latencyMs: Date.now() - t0, message: 'OK' };
      } catch (err) {
        return { ok: false, latencyMs: null, message: smaregiErrorText(err) };
      }
    },
    deliver,
    restamp: (kind, payload) => {
      const c = config();
      return c ? restampSmaregiPayload(kind, payload, c.storeId) : null;
    },
    pollers: () => [smaregiTransactionsPoller(client, config, opts.poll), smaregiStockPoller(client, config, opts.poll)],
  };
}
