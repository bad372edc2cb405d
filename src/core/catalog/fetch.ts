import { smaregiErrorText, type SmaregiClient } from '../channels/smaregi/client';
import { fetchCoupons, fetchProducts, fetchStock, fetchStores, type ReadOptions } from '../channels/smaregi/reads';
import { describeProblem, type RowProblem } from '../channels/smaregi/schemas';
import type { CouponRecord, ProductRecord, StockRecord, StoreRecord } from '../coupons/types';

/** A read the catalog cannot do without failed: the refresh is abandoned and the cache kept. */
export class CatalogFetchError extends Error {
  constructor(
    readonly step: 'coupons' | 'products',
    readonly error: unknown,
  ) {
    super(`reading ${step} from Smaregi failed: ${smaregiErrorText(error)}`);
    this.name = 'CatalogFetchError';
  }

  get retryAfterMs(): number | null {
    return (this.error as { retryAfterMs?: number | null })?.retryAfterMs ?? null;
  }
}

export interface FetchedCatalog {
  coupons: CouponRecord[];
  products: ProductRecord[];
  /** null when the stores could not be read (the cached ones are kept). */
  stores: StoreRecord[] | null;
  stock: { storeIds: string[]; rows: StockRecord[] } | null;
  /** Bad rows left out, each named. */
  problems: RowProblem[];
  /** Optional reads that failed (stores, stock): the rest of the refresh still counts. */
  warnings: string[];
}

/**
 * One pass over Smaregi: coupons with their items and products (both required — a failure throws
 * CatalogFetchError), then stores and the configured store's stock (optional — a failure is a warning
 * and the cached rows are kept).
 */
export async function fetchCatalog(client: SmaregiClient, opts: { storeId: string | null; read?: ReadOptions }): Promise<FetchedCatalog> {
  const read = opts.read ?? {};
  const coupons = await fetchCoupons(client, read).catch((err) => {
    throw new CatalogFetchError('coupons', err);
  });
  const products = await fetchProducts(client, read).catch((err) => {
    throw new CatalogFetchError('products', err);
  });
  const warnings: string[] = [];
  const problems = [...coupons.problems, ...products.problems];
  let stores: StoreRecord[] | null = null;
  try {
    const r = await fetchStores(client, read);
    stores = r.rows;
    problems.push(...r.problems);
  } catch (err) {
    warnings.push(`stores not refreshed: ${smaregiErrorText(err)}`);
  }
  let stock: FetchedCatalog['stock'] = null;
  if (opts.storeId) {
    try {
      const r = await fetchStock(client, { ...read, storeId: opts.storeId });
      stock = { storeIds: [opts.storeId], rows: r.rows };
      problems.push(...r.problems);
    } catch (err) {
      warnings.push(`stock of store ${opts.storeId} not refreshed: ${smaregiErrorText(err)}`);
    }
  }
  return { coupons: coupons.rows, products: products.rows, stores, stock, problems, warnings };
}

/** One line for `lastError` about what was left out or not refreshed (null when all went well). */
export function summarizeIssues(problems: RowProblem[], warnings: string[], max = 5): string | null {
  const parts: string[] = [];
  if (problems.length > 0) {
    const shown = problems.slice(0, max).map(describeProblem).join('; ');
    const more = problems.length > max ? `; and ${problems.length - max} more` : '';
    parts.push(`${problems.length} invalid row(s) from Smaregi left out of the catalog: ${shown}${more}`);
  }
  parts.push(...warnings);
  return parts.length ? parts.join(' | ') : null;
}
