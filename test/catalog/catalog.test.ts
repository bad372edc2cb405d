import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, type Catalog } from '../../src/core/catalog';
import { createSmaregiChannel } from '../../src/core/channels/smaregi';
import { evaluateCoupon } from '../../src/core/coupons';
import { createEngine, type Engine } from '../../src/core/engine';
import { memoryLogger } from '../../src/core/log';
import { createMemorySecretStore } from '../../src/core/secrets';
import { SIM_CREDENTIALS, startSimulators, type RunningSimulators } from '../../src/sim';
import type { EventEnvelope } from '../../src/shared/contract';

/* The catalog against the Smaregi simulator: real HTTP, a real SQLite file per engine. */

const PRODUCT_COUNT = 1_205; // more than one page of 1,000

function seed(opts: { extraCoupon?: boolean; dropCoupon?: string } = {}) {
  const products = Array.from({ length: PRODUCT_COUNT }, (_, i) => ({
    productId: String(i + 1),
    productCode: `49000000${String(i + 1).padStart(5, '0')}`,
    productName: `商品 ${i + 1}`,
    price: String(100 + i),
    categoryId: String(1 + (i % 5)),
  }));
  const coupons = [
    { couponId: '1', couponName: '通常 500円引', couponDivision: '0', serialNumber: '1111111', awardType: '1', awardValue: '500', applyConditionDivision: '0' },
    { couponId: '2', couponName: 'giftee 500円券', couponDivision: '1', serialNumber: '1111111', awardType: '1', awardValue: '500', applyConditionDivision: '0', endDate: '2099-12-31' },
    {
      couponId: '3',
      couponName: 'giftee 部門10%',
      couponDivision: '1',
      serialNumber: '2222222',
      awardType: '2',
      awardValue: '10',
      applyConditionDivision: '1',
      minTargetPrice: '1000',
      items: [
        { division: '1', itemId: '3', type: '1' },
        { division: '2', itemId: '7', type: '1' },
      ],
    },
    {
      couponId: '4',
      couponName: 'giftee クッキー付与',
      couponDivision: '1',
      serialNumber: '3333333',
      awardType: '3',
      awardValue: '0',
      applyConditionDivision: '0',
      items: [{ division: '2', itemId: '10', type: '2', salesPrice: '0' }],
    },
    ...(opts.extraCoupon
      ? [{ couponId: '5', couponName: 'giftee 新券', couponDivision: '1', serialNumber: '5555555', awardType: '1', awardValue: '1000', applyConditionDivision: '0' }]
      : []),
  ].filter((c) => c.couponId !== opts.dropCoupon);
  return {
    smaregi: {
      stores: [{ storeId: '1', storeName: '本店' }, { storeId: '2', storeName: '倉庫', division: '2' }],
      products,
      coupons,
      stock: [
        { storeId: '1', productId: '1', stockAmount: '12' },
        { storeId: '2', productId: '1', stockAmount: '99' },
      ],
    },
  };
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'rc-'));
  dirs.push(d);
  return d;
};

async function openEngine(dataDir: string, sims: RunningSimulators | null): Promise<Engine> {
  const engine = await createEngine({ dataDir, demo: 'off', secrets: createMemorySecretStore(), log: memoryLogger(), background: false });
  if (sims) {
    await engine.call('settings.update', {
      smaregi: {
        idBaseUrl: sims.urls.smaregi,
        apiBaseUrl: sims.urls.smaregi,
        contractId: SIM_CREDENTIALS.smaregi.contractId,
        clientId: SIM_CREDENTIALS.smaregi.clientId,
        storeId: '1',
        terminalId: '1',
        credentialSource: 'simulator',
      },
    });
  }
  return engine;
}

/** A catalog of our own on the engine's context (the engine's module is not reachable from outside). */
function catalogOf(engine: Engine): Catalog {
  return createCatalog(engine.ctx, { smaregi: createSmaregiChannel(engine.ctx) }, { read: { retry: { retries: 0 } } });
}

async function fault(sims: RunningSimulators, body: Record<string, unknown>) {
  const res = await fetch(`${sims.urls.smaregi}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
}
async function clearFaults(sims: RunningSimulators) {
  await fetch(`${sims.urls.smaregi}/__sim/faults`, { method: 'DELETE' });
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('catalog refresh from Smaregi', () => {
  let sims: RunningSimulators;
  let engine: Engine;
  let catalog: Catalog;
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    sims = await startSimulators({ seed: seed() as never });
    engine = await openEngine(tempDir(), sims);
    engine.onEvent((e) => events.push(e));
    catalog = catalogOf(engine);
  });
  afterAll(async () => {
    await engine?.stop();
    await sims?.close();
  });
  afterEach(() => clearFaults(sims));

  it('pulls coupons with their items and every page of products, stores and the store stock', async () => {
    const before = catalog.status();
    expect(before).toMatchObject({ coupons: 0, products: 0, refreshedAt: null });
    const s = await catalog.refresh();
    expect(s).toMatchObject({ coupons: 4, products: PRODUCT_COUNT, lastError: null, refreshing: false });
    expect(s.refreshedAt).not.toBeNull();

    // Two coupons share serial 1111111: a 通常 and a giftee one.
    expect(catalog.couponsBySerial('1111111').map((c) => [c.couponId, c.couponDivision]).sort()).toEqual([
      ['1', '0'],
      ['2', '1'],
    ]);
    expect(catalog.coupon('3')).toMatchObject({
      awardType: '2',
      awardValue: '10',
      applyConditionDivision: '1',
      minTargetPrice: '1000',
      items: [
        { division: '1', itemId: '3', type: '1', salesPrice: null },
        { division: '2', itemId: '7', type: '1', salesPrice: null },
      ],
    });
    expect(catalog.coupon('4')?.items).toEqual([expect.objectContaining({ division: '2', itemId: '10', type: '2', salesPrice: '0' })]);
    expect(catalog.productById('1205')).toMatchObject({ productCode: '4900000001205', price: '1304', categoryId: '5' });
    expect(catalog.productByCode('4900000000007')?.productId).toBe('7');
    expect(catalog.stores().map((x) => x.storeName)).toEqual(['本店', '倉庫']);
    expect(catalog.stock('1', '1')).toBe('12');
    expect(catalog.stock('1', '2')).toBeNull(); // only the register's store is cached

    const productPages = sims.servers.smaregi
      .requests()
      .filter((r) => r.path.endsWith('/pos/products'))
      .map((r) => r.query.page);
    expect(productPages).toEqual(['1', '2']);
  });

  it('the cached coupons drive the rules: giftee chosen over 通常, category target, free item', async () => {
    const now = new Date();
    const run = (prefix: string, basket: { items?: Array<{ productId: string; price: number; quantity: number }>; amount?: number | null }) =>
      evaluateCoupon({ prefix, coupons: catalog.couponsBySerial(prefix), basket, now, rounding: 'floor', productById: catalog.productById });
    expect(run('1111111', { amount: 3000 })).toMatchObject({ ok: true, coupon: { couponId: '2' }, benefit: { discountYen: 500 } });
    // product 3 is in category 3 (1 + (2 % 5)); 3 × 102 yen + 1 × 1000 typed... use items only
    expect(run('2222222', { items: [{ productId: '3', price: 102, quantity: 10 }] })).toMatchObject({ ok: true, benefit: { discountYen: 102 } });
    expect(run('2222222', { items: [{ productId: '1', price: 100, quantity: 20 }] })).toMatchObject({ ok: false, reason: 'no_target_item' });
    // 商品付与: the granted product (price 109) sold at 0, so the benefit is its price.
    expect(run('3333333', { amount: 0 })).toMatchObject({ ok: true, benefit: { discountYen: 109, freeItems: [{ productId: '10', name: '商品 10', price: 109 }] } });
    expect(run('9999999', { amount: 0 })).toMatchObject({ ok: false, reason: 'unknown_prefix' });
  });

  it('catalog.lookupProduct finds a product by its JAN through the engine, null when unknown', async () => {
    await engine.call('catalog.refresh', {});
    expect(await engine.call('catalog.lookupProduct', { code: '4900000000042' })).toEqual({
      productId: '42',
      productCode: '4900000000042',
      name: '商品 42',
      price: 141,
    });
    expect(await engine.call('catalog.lookupProduct', { code: ' 4900000000042\n' })).toMatchObject({ productId: '42' });
    expect(await engine.call('catalog.lookupProduct', { code: '4999999999999' })).toBeNull();
    const st = await engine.call('catalog.status', {});
    expect(st).toMatchObject({ coupons: 4, products: PRODUCT_COUNT, lastError: null, refreshing: false });
    const catalogEvents = events.filter((e) => e.event === 'catalog').map((e) => (e.data as { refreshing: boolean }).refreshing);
    expect(catalogEvents).toContain(true);
    expect(catalogEvents.at(-1)).toBe(false);
  });

  it.each([
    ['429', { mode: '429', retryAfter: 0 }, /reading coupons from Smaregi failed: Smaregi 429/],
    ['500', { mode: '500' }, /reading coupons from Smaregi failed: Smaregi 500/],
    ['offline', { mode: 'offline' }, /reading coupons from Smaregi failed: connection to 127\.0\.0\.1:\d+ failed/],
    ['bad JSON', { mode: 'badjson' }, /reading coupons from Smaregi failed: unreadable answer/],
  ])('a %s on the coupon fetch keeps the cached catalog and records lastError', async (_, body, message) => {
    const good = await catalog.refresh();
    expect(good.lastError).toBeNull();
    await fault(sims, body);
    const s = await catalog.refresh();
    expect(s.lastError).toMatch(message);
    expect(s.lastError).toContain(`still using the catalog cached at ${good.refreshedAt}`);
    expect(s).toMatchObject({ coupons: 4, products: PRODUCT_COUNT, refreshedAt: good.refreshedAt, refreshing: false });
    expect(catalog.couponsBySerial('1111111')).toHaveLength(2);
    expect(catalog.productByCode('4900000000007')?.productId).toBe('7');
    // The SQLite cache was not touched either.
    expect(engine.ctx.db.prepare('SELECT count(*) AS n FROM catalog_products').get()).toEqual({ n: PRODUCT_COUNT });
    await clearFaults(sims);
    expect((await catalog.refresh()).lastError).toBeNull();
  });

  it('one 429 is waited out (Retry-After) within the same refresh with the default read options', async () => {
    const own = createCatalog(engine.ctx, { smaregi: createSmaregiChannel(engine.ctx) });
    await own.refresh(); // token cached
    await fault(sims, { mode: '429', count: 1, retryAfter: 0 });
    expect(await own.refresh()).toMatchObject({ lastError: null, coupons: 4 });
  });

  it('the usage count is local, goes up only with the transaction that counts it, and survives refreshes', async () => {
    const db = engine.ctx.db;
    expect(() =>
      db.transaction(() => {
        catalog.incrementUsage('2');
        throw new Error('sale failed');
      })(),
    ).toThrow('sale failed');
    expect(catalog.usageCount('2')).toBe(0);
    db.transaction(() => catalog.incrementUsage('2'))();
    db.transaction(() => catalog.incrementUsage('2'))();
    await catalog.refresh();
    expect(catalog.usageCount('2')).toBe(2);
    catalog.incrementUsage('2', -5); // a void never goes below zero
    expect(catalog.usageCount('2')).toBe(0);
  });
});

describe('catalog across restarts and catalog changes', () => {
  it('a restart without network has the catalog; the next refresh replaces it whole', async () => {
    const dataDir = tempDir();
    let sims = await startSimulators({ seed: seed() as never });
    let engine = await openEngine(dataDir, sims);
    expect((await engine.call('catalog.refresh', {})).lastError).toBeNull();
    await engine.stop();
    await sims.close();

    // No simulator running: the cache comes from SQLite.
    engine = await openEngine(dataDir, null);
    const offline = catalogOf(engine);
    expect(offline.status()).toMatchObject({ coupons: 4, products: PRODUCT_COUNT, lastError: null });
    expect(offline.coupon('3')?.items).toHaveLength(2);
    expect(await engine.call('catalog.lookupProduct', { code: '4900000000100' })).toMatchObject({ productId: '100', price: 199 });
    const failed = await offline.refresh();
    expect(failed.lastError).toMatch(/reading coupons from Smaregi failed/);
    expect(failed.coupons).toBe(4);
    await engine.stop();

    // Smaregi changed: coupon 1 deleted, coupon 5 added.
    sims = await startSimulators({ seed: seed({ extraCoupon: true, dropCoupon: '1' }) as never });
    engine = await openEngine(dataDir, sims);
    const fresh = catalogOf(engine);
    expect(await fresh.refresh()).toMatchObject({ coupons: 4, lastError: null });
    expect(fresh.coupon('1')).toBeNull();
    expect(fresh.couponsBySerial('1111111').map((c) => c.couponId)).toEqual(['2']);
    expect(fresh.coupon('5')).toMatchObject({ serialNumber: '5555555', awardValue: '1000' });
    const rows = engine.ctx.db.prepare('SELECT coupon_id FROM catalog_coupons ORDER BY coupon_id').all();
    expect(rows).toEqual([{ coupon_id: '2' }, { coupon_id: '3' }, { coupon_id: '4' }, { coupon_id: '5' }]);
    await engine.stop();
    await sims.close();
  });

  it('with nothing configured, refresh reports it and the engine still answers from the (empty) cache', async () => {
    const engine = await openEngine(tempDir(), null);
    const s = await engine.call('catalog.refresh', {});
    expect(s).toMatchObject({ coupons: 0, products: 0, refreshedAt: null, refreshing: false });
    expect(s.lastError).toMatch(/not configured/);
    expect(await engine.call('catalog.lookupProduct', { code: '4900000000001' })).toBeNull();
    await engine.stop();
  });

  it('switching to another Smaregi contract forgets the old catalog and loads the new one', async () => {
    const simsA = await startSimulators({ seed: seed() as never });
    const otherSeed = seed();
    const simsB = await startSimulators({
      seed: { smaregi: { ...otherSeed.smaregi, contractId: 'sb_other01', coupons: otherSeed.smaregi.coupons.slice(0, 1), products: otherSeed.smaregi.products.slice(0, 3) } } as never,
    });
    const engine = await createEngine({ dataDir: tempDir(), demo: 'off', secrets: createMemorySecretStore(), log: memoryLogger() });
    const statuses: Array<{ coupons: number; refreshing: boolean; refreshedAt: string | null }> = [];
    engine.onEvent((e) => {
      if (e.event === 'catalog') statuses.push(e.data as (typeof statuses)[number]);
    });
    const settled = (coupons: number) =>
      new Promise<void>((resolve) => {
        const check = () => (statuses.some((s) => !s.refreshing && s.coupons === coupons && s.refreshedAt) ? resolve() : setTimeout(check, 20));
        check();
      });
    try {
      const base = { idBaseUrl: simsA.urls.smaregi, apiBaseUrl: simsA.urls.smaregi, clientId: SIM_CREDENTIALS.smaregi.clientId, storeId: '1', credentialSource: 'simulator' as const };
      // Configuring the connection refreshes by itself.
      await engine.call('settings.update', { smaregi: { ...base, contractId: SIM_CREDENTIALS.smaregi.contractId } });
      await settled(4);
      statuses.length = 0;
      await engine.call('settings.update', { smaregi: { ...base, idBaseUrl: simsB.urls.smaregi, apiBaseUrl: simsB.urls.smaregi, contractId: 'sb_other01' } });
      await settled(1);
      // The old contract's catalog was dropped before the new one arrived.
      expect(statuses[0]).toMatchObject({ coupons: 0, refreshedAt: null });
      expect(await engine.call('catalog.status', {})).toMatchObject({ coupons: 1, products: 3, lastError: null });
      expect(await engine.call('catalog.lookupProduct', { code: '4900000000100' })).toBeNull();
    } finally {
      await engine.stop();
      await simsA.close();
      await simsB.close();
    }
  });

  it('started in the background, the engine is ready at once and the first refresh follows by itself', async () => {
    const sims = await startSimulators({ seed: seed() as never });
    const dataDir = tempDir();
    const first = await openEngine(dataDir, sims);
    await first.stop();
    const engine = await createEngine({ dataDir, demo: 'off', secrets: createMemorySecretStore(), log: memoryLogger() });
    try {
      const done = new Promise<void>((resolve) =>
        engine.onEvent((e) => {
          const d = e.data as { refreshing?: boolean; refreshedAt?: string | null };
          if (e.event === 'catalog' && d.refreshing === false && d.refreshedAt) resolve();
        }),
      );
      await done;
      expect(await engine.call('catalog.status', {})).toMatchObject({ coupons: 4, products: PRODUCT_COUNT, lastError: null });
    } finally {
      await engine.stop();
      await sims.close();
    }
  });
});
