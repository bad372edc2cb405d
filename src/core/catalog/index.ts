import type { CatalogStatusSchema } from '../../shared/contract/register';
import type { z } from 'zod';
import type { EngineContext, EngineModule } from '../context';
import type { SmaregiChannel } from '../channels/smaregi';

// PLACEHOLDER — the catalog work replaces this (coupon + product cache in SQLite).
export type CatalogStatus = z.infer<typeof CatalogStatusSchema>;

export interface Catalog extends EngineModule {
  status(): CatalogStatus;
  refresh(): Promise<CatalogStatus>;
}

export function createCatalog(_ctx: EngineContext, _deps: { smaregi: SmaregiChannel }): Catalog {
  const status: CatalogStatus = { coupons: 0, products: 0, refreshedAt: null, lastError: null, refreshing: false };
  return { name: 'catalog', status: () => status, refresh: async () => status };
}
