import { createSimServer, type SimServer } from '../framework/server';
import { tokenRoute } from './auth';
import { catalogRoutes } from './catalog';
import { smaregiErrorStyle } from './problem';
import { SmaregiSeedSchema, type SmaregiSeed, type SmaregiSeedInput } from './seed';
import { buildSmaregiState, type SmaregiState } from './state';
import { stockRoutes } from './stock';
import { transactionRoutes } from './transactions';

export { SmaregiSeedSchema, type SmaregiSeed, type SmaregiSeedInput } from './seed';
export type { SmaregiState } from './state';

/**
 * Starts the Smaregi Platform API simulator. One server answers both the ID host path
 * (`POST /app/{contractId}/token`) and the API host paths (`/{contractId}/pos/...`).
 */
export function startSmaregiSim(
  seed: SmaregiSeedInput | SmaregiSeed = {},
  opts: { port?: number } = {},
): Promise<SimServer<SmaregiState>> {
  const parsed = SmaregiSeedSchema.parse(seed);
  return createSimServer<SmaregiState>({
    name: 'smaregi',
    seed: buildSmaregiState(parsed),
    routes: [tokenRoute(), ...catalogRoutes(), ...stockRoutes(), ...transactionRoutes()],
    errorStyle: smaregiErrorStyle,
    port: opts.port,
  });
}
