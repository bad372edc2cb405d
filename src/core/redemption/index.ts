import type { EngineContext, EngineModule } from '../context';
import type { Catalog } from '../catalog';
import type { GifteeChannel } from '../channels/giftee';
import type { ConnectivityMonitor } from '../connectivity';
import type { Outbox } from '../outbox';

// PLACEHOLDER — the redemption work replaces this.
export function createRedemption(
  _ctx: EngineContext,
  _deps: { catalog: Catalog; giftee: GifteeChannel; connectivity: ConnectivityMonitor; outbox: Outbox },
): EngineModule {
  return { name: 'redemption' };
}
