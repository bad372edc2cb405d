import type { z } from 'zod';
import type { CatalogStatusSchema } from '../../shared/contract/register';
import type { SmaregiChannel } from '../channels/smaregi';
import { smaregiErrorText } from '../channels/smaregi/client';
import type { ReadOptions } from '../channels/smaregi/reads';
import type { EngineContext, EngineModule } from '../context';
import { toBasketProduct } from '../coupons/view';
import type { CouponRecord, ProductRecord, StoreRecord } from '../coupons/types';
import { buildCatalogIndex, EMPTY_INDEX, type CatalogIndex } from './catalog-index';
import { CatalogFetchError, fetchCatalog, summarizeIssues } from './fetch';
import { addUsage, clearCatalog, readCatalog, stockAmount, usageCount, writeCatalog, type CatalogRecords } from './store';

export { buildCatalogIndex, type CatalogIndex } from './catalog-index';
export type { CatalogRecords } from './store';

export type CatalogStatus = z.infer<typeof CatalogStatusSchema>;

/**
 * The cached Smaregi catalog (coupons with items, products, stores, the register's store stock).
 * Lookups are synchronous and O(1) on an in-memory index loaded from SQLite at creation, so the
 * engine is ready without the network; refreshes run in the background.
 */
export interface Catalog extends EngineModule {
  status(): CatalogStatus;
  /** Fetches everything now (joins a refresh already running). Never throws: a failure is `lastError`. */
  refresh(): Promise<CatalogStatus>;
  /**
   * Resolves once a first catalog is there: at once when one is cached; otherwise waits for (or
   * starts) a refresh — but does not retry within 30 s of a failed attempt.
   */
  ready(): Promise<CatalogStatus>;
  /** Coupons whose serialNumber is `serial` (any division), [] when none. */
  couponsBySerial(serial: string): readonly CouponRecord[];
  coupon(couponId: string): CouponRecord | null;
  /** By productCode (the JAN on the item), exact match. */
  productByCode(code: string): ProductRecord | null;
  productById(productId: string): ProductRecord | null;
  stores(): readonly StoreRecord[];
  /** Cached stock of a product in a store (Smaregi's string), null when no row. */
  stock(productId: string, storeId: string): string | null;
  /** Local 使用回数 +by (default 1; -1 for a void). Synchronous: call it inside the redemption's transaction. */
  incrementUsage(couponId: string, by?: number): void;
  usageCount(couponId: string): number;
  /** Replaces the catalog with these records (tests, bench); persisted to SQLite unless `persist: false`. */
  loadForTest(records: CatalogRecords, opts?: { persist?: boolean }): CatalogStatus;
}

export interface CatalogOptions {
  /** Between successful refreshes. */
  intervalMs?: number;
  /** First retry after a failure; doubles up to intervalMs. */
  retryBaseMs?: number;
  /** Smaregi read options (page size, 429 retries). */
  read?: ReadOptions;
}

const TEN_MINUTES = 10 * 60_000;
const READY_RETRY_GAP_MS = 30_000;

export function createCatalog(ctx: EngineContext, deps: { smaregi: SmaregiChannel }, opts: CatalogOptions = {}): Catalog {
  const intervalMs = opts.intervalMs ?? TEN_MINUTES;
  const retryBaseMs = opts.retryBaseMs ?? 30_000;
  const client = deps.smaregi.client;

  let index: CatalogIndex = EMPTY_INDEX;
  let refreshedAt: string | null = null;
  let cachedContract: string | null = null;
  let lastError: string | null = null;
  let inFlight: Promise<CatalogStatus> | null = null;
  let lastAttemptAt = 0;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let started = false;
  let stopped = false;
  let unsubscribe: (() => void) | null = null;
  let configKey = '';
  let again = false;

  // The cache survives restarts: load it now, before any network.
  try {
    const cached = readCatalog(ctx.db);
    index = buildCatalogIndex(cached);
    refreshedAt = cached.meta.refreshedAt;
    cachedContract = cached.meta.contractId;
  } catch (err) {
    lastError = `the cached catalog could not be read: ${(err as Error).message}`;
    ctx.log.error('catalog: cache unreadable', { err });
  }

  const status = (): CatalogStatus => ({
    coupons: index.counts.coupons,
    products: index.counts.products,
    refreshedAt,
    lastError,
    refreshing: inFlight !== null,
  });
  const publish = () => ctx.emit('catalog', status());

  function schedule(delayMs: number) {
    if (!started || stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), delayMs);
    timer.unref();
  }

  function swapIn(records: CatalogRecords, at: string) {
    index = buildCatalogIndex(records);
    refreshedAt = at;
  }

  async function runRefresh(): Promise<CatalogStatus> {
    lastAttemptAt = Date.now();
    const cfg = ctx.smaregiConfig();
    if (!cfg) {
      lastError = 'Smaregi is not configured (設定 → スマレジ); the catalog cannot be refreshed';
      return status();
    }
    let retryAfterMs: number | null = null;
    try {
      const fetched = await fetchCatalog(client, { storeId: cfg.storeId || null, read: opts.read });
      // Stopped, or the connection was switched to another contract meanwhile: this answer is stale.
      if (stopped || ctx.smaregiConfig()?.contractId !== cfg.contractId) return status();
      const at = ctx.now().toISOString();
      const stores = fetched.stores ?? index.stores.slice();
      ctx.intake.write(() =>
        writeCatalog(ctx.db, {
          coupons: fetched.coupons,
          products: fetched.products,
          stores: fetched.stores ?? undefined,
          stock: fetched.stock ?? undefined,
          refreshedAt: at,
          contractId: cfg.contractId,
        }),
      );
      swapIn({ coupons: fetched.coupons, products: fetched.products, stores }, at);
      cachedContract = cfg.contractId;
      lastError = summarizeIssues(fetched.problems, fetched.warnings);
      if (lastError) ctx.log.warn('catalog: refreshed with issues', { issues: lastError });
      failures = 0;
      ctx.log.info('catalog refreshed', { coupons: index.counts.coupons, products: index.counts.products });
    } catch (err) {
      failures++;
      if (err instanceof CatalogFetchError) retryAfterMs = err.retryAfterMs;
      const what = err instanceof CatalogFetchError ? err.message : `refresh failed: ${smaregiErrorText(err)}`;
      const kept = refreshedAt ? `; still using the catalog cached at ${refreshedAt}` : '; no catalog is cached yet';
      lastError = `${what}${kept}`;
      ctx.log.warn('catalog: refresh failed', { error: what });
    }
    const backoff = Math.min(intervalMs, retryBaseMs * 2 ** Math.max(0, failures - 1));
    schedule(failures === 0 ? intervalMs : Math.max(backoff, retryAfterMs ?? 0));
    return status();
  }

  function refresh(): Promise<CatalogStatus> {
    if (inFlight) return inFlight;
    if (stopped) return Promise.resolve(status());
    const p = runRefresh().finally(() => {
      inFlight = null;
      if (stopped) return;
      publish();
      if (again) {
        again = false;
        void refresh();
      }
    });
    inFlight = p.then(() => status());
    publish();
    return inFlight;
  }

  /** Connection settings changed: another contract's cache is useless, forget it; then refresh. */
  function onSettingsChanged() {
    const cfg = ctx.smaregiConfig();
    const key = cfg ? [cfg.apiBaseUrl, cfg.idBaseUrl, cfg.contractId, cfg.clientId, cfg.storeId].join('|') : '';
    if (key === configKey) return;
    configKey = key;
    if (!cfg) return;
    if (cachedContract !== null && cachedContract !== cfg.contractId) {
      ctx.intake.write(() => clearCatalog(ctx.db));
      index = EMPTY_INDEX;
      refreshedAt = null;
      cachedContract = null;
      publish();
    }
    // A refresh already running uses the old settings: run another one after it.
    if (inFlight) again = true;
    else void refresh();
  }

  const catalog: Catalog = {
    name: 'catalog',
    status,
    refresh,
    async ready() {
      if (refreshedAt !== null) return status();
      if (inFlight) return inFlight;
      if (lastAttemptAt && Date.now() - lastAttemptAt < READY_RETRY_GAP_MS) return status();
      return refresh();
    },
    couponsBySerial: (serial) => index.couponsBySerial.get(serial) ?? [],
    coupon: (id) => index.couponsById.get(id) ?? null,
    productByCode: (code) => index.productsByCode.get(code) ?? null,
    productById: (id) => index.productsById.get(id) ?? null,
    stores: () => index.stores,
    stock: (productId, storeId) => stockAmount(ctx.db, productId, storeId),
    incrementUsage(couponId, by = 1) {
      addUsage(ctx.db, couponId, by, ctx.now().toISOString());
    },
    usageCount: (couponId) => usageCount(ctx.db, couponId),
    loadForTest(records, o = {}) {
      const at = ctx.now().toISOString();
      if (o.persist !== false) {
        writeCatalog(ctx.db, { ...records, refreshedAt: at, contractId: ctx.smaregiConfig()?.contractId ?? null });
      }
      swapIn(records, at);
      lastError = null;
      publish();
      return status();
    },
    handlers: {
      'catalog.status': () => status(),
      'catalog.refresh': () => refresh(),
      'catalog.lookupProduct': async ({ code }) => {
        await catalog.ready();
        const p = index.productsByCode.get(code.trim());
        return p ? toBasketProduct(p) : null;
      },
    },
    start() {
      started = true;
      const cfg = ctx.smaregiConfig();
      configKey = cfg ? [cfg.apiBaseUrl, cfg.idBaseUrl, cfg.contractId, cfg.clientId, cfg.storeId].join('|') : '';
      unsubscribe = ctx.settings.onChange(() => onSettingsChanged());
      // Non-blocking: the engine is ready on the cached catalog; the first refresh runs right after.
      schedule(0);
    },
    stop() {
      stopped = true;
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      unsubscribe?.();
    },
  };
  return catalog;
}
