import type { Channel, ProbeResult } from '../types';
import type { EngineContext } from '../../context';
import { createSmaregiClient, smaregiErrorText, type SmaregiClient } from './client';

export { createSmaregiClient, smaregiErrorText, type SmaregiClient } from './client';

export interface SmaregiChannel extends Channel {
  readonly client: SmaregiClient;
}

// PLACEHOLDER deliver — the outbox work adds delivery of smaregi.* outbox kinds.
export function createSmaregiChannel(ctx: EngineContext): SmaregiChannel {
  const client = createSmaregiClient(() => ctx.smaregiConfig());
  return {
    id: 'smaregi',
    client,
    configured: () => ctx.smaregiConfig() !== null,
    async probe(): Promise<ProbeResult> {
      const t0 = Date.now();
      try {
        await client.request('GET', '/stores', { query: { limit: 1 }, timeoutMs: 5_000 });
        return { ok: true, latencyMs: Date.now() - t0, message: 'OK' };
      } catch (err) {
        return { ok: false, latencyMs: null, message: smaregiErrorText(err) };
      }
    },
  };
}
