import type { Channel } from '../types';
import type { EngineContext } from '../../context';

// PLACEHOLDER — the redemption work writes the giftee adapter (docs/giftee-protocol.md).
export interface GifteeChannel extends Channel {}

export function createGifteeChannel(ctx: EngineContext): GifteeChannel {
  return {
    id: 'giftee',
    configured: () => ctx.gifteeConfig() !== null,
    probe: async () => ({ ok: false, latencyMs: null, message: 'not implemented' }),
  };
}
