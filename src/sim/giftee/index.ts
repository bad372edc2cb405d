import { createSimServer, type SimServer } from '../framework/server';
import { gifteeErrorStyle, gifteeRoutes } from './routes';
import { GifteeSeedSchema, type GifteeSeed, type GifteeSeedInput } from './seed';
import { buildGifteeState, type GifteeState } from './state';

export { GifteeSeedSchema, type GifteeSeed, type GifteeSeedInput } from './seed';
export type { GifteeState, ConsumptionRow, TicketRow } from './state';

/** Starts the giftee simulator (our assumed store-side protocol, docs/giftee-protocol.md). */
export function startGifteeSim(
  seed: GifteeSeedInput | GifteeSeed = {},
  opts: { port?: number } = {},
): Promise<SimServer<GifteeState>> {
  return createSimServer<GifteeState>({
    name: 'giftee',
    seed: buildGifteeState(GifteeSeedSchema.parse(seed)),
    routes: gifteeRoutes(),
    errorStyle: gifteeErrorStyle,
    port: opts.port,
  });
}
