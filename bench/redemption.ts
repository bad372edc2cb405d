/**
 * Scan → verdict: raw scanner text through the engine's `scan.evaluate` handler (normalise,
 * double-scan filter, classify, coupon rules against the basket, local ledger, product lookup,
 * redemption log) with 10,000 coupons and 50,000 products cached. Network excluded: giftee is
 * taken as online and evaluate never calls it. Metric: p99 milliseconds per scan.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalog } from '../src/core/catalog';
import { createGifteeChannel } from '../src/core/channels/giftee';
import { createSmaregiChannel } from '../src/core/channels/smaregi';
import type { ConnectivityMonitor } from '../src/core/connectivity';
import type { CouponRecord, ProductRecord } from '../src/core/coupons';
import { createEngine } from '../src/core/engine';
import { createRedemption } from '../src/core/redemption';
import { createMemorySecretStore } from '../src/core/secrets';
import type { Basket } from '../src/shared/contract/register';

const COUPONS = 10_000;
const PRODUCTS = 50_000;
const WARMUP = 2_000;
const SCANS = 30_000;

function records(): { coupons: CouponRecord[]; products: ProductRecord[] } {
  const products: ProductRecord[] = Array.from({ length: PRODUCTS }, (_, i) => ({
    productId: String(100_000 + i),
    productCode: `45${String(i).padStart(11, '0')}`,
    productName: `商品 ${i}`,
    price: String(100 + (i % 5_000)),
    categoryId: String(i % 50),
    groupCode: i % 7 === 0 ? `G${i % 13}` : null,
    updDateTime: null,
  }));
  const coupons: CouponRecord[] = Array.from({ length: COUPONS }, (_, i) => ({
    couponId: String(1 + i),
    couponName: `giftee クーポン ${i}`,
    couponDivision: i % 10 === 9 ? '0' : '1',
    serialNumber: String(3_000_000 + i),
    summary: null,
    awardType: (['1', '2', '3'] as const)[i % 3],
    awardValue: i % 3 === 1 ? '10' : '500',
    applyConditionDivision: i % 4 === 0 ? '1' : '0',
    minTargetPrice: i % 5 === 0 ? '1000' : null,
    maxTargetPrice: i % 6 === 0 ? '50000' : null,
    startDate: '2024-01-01',
    endDate: '2099-12-31',
    updDateTime: null,
    items: [
      { couponProductId: null, division: '1', itemId: String(i % 50), type: '1', salesPrice: null },
      { couponProductId: null, division: '2', itemId: String(100_000 + (i % PRODUCTS)), type: i % 3 === 2 ? '2' : '1', salesPrice: null },
    ],
  }));
  // Amount-only baskets are sold as the store's gift-sale product: the catalog must have it.
  products.push({ productId: '999999', productCode: 'GIFTEE-SALE', productName: 'ギフト券ご利用（金額入力）', price: '0', categoryId: null, groupCode: null, updDateTime: null });
  return { coupons, products };
}

function onlineMonitor(): ConnectivityMonitor {
  return {
    name: 'connectivity',
    state: () => 'online',
    snapshot: () => ({ giftee: 'online' }),
    isOnline: () => true,
    onChange: () => () => {},
    report: () => {},
    checkNow: async () => {},
  };
}

export async function run(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const engine = await createEngine({ dataDir: dir, demo: 'off', background: false, secrets: createMemorySecretStore(), owner: 'bench' });
  try {
    // giftee "configured" (at a closed port): evaluate must not need it.
    await engine.call('settings.update', { giftee: { baseUrl: 'http://127.0.0.1:9', credentialSource: 'simulator' }, scanner: { doubleScanWindowMs: 0 } });
    const ctx = engine.ctx;
    const catalog = createCatalog(ctx, { smaregi: createSmaregiChannel(ctx) });
    const data = records();
    catalog.loadForTest(data, { persist: false });
    const redemption = createRedemption(ctx, { catalog, giftee: createGifteeChannel(ctx), connectivity: onlineMonitor(), outbox: { kick() {} } });
    const evaluate = redemption.handlers!['scan.evaluate']!;

    // A register's mix: gift tickets (known and unknown prefixes, with scanner noise), product barcodes, junk.
    const basketFor = (i: number): Basket =>
      i % 2 === 0
        ? { items: [], amount: 500 + (i % 4_000) }
        : { items: [0, 1, 2].map((k) => ({ productId: String(100_000 + ((i * 7 + k) % PRODUCTS)), productCode: 'x', name: 'x', price: 300 + k, quantity: 1 + k })), amount: null };
    const rawFor = (i: number): string => {
      switch (i % 5) {
        case 0:
        case 1:
          return `${3_000_000 + (i % COUPONS)}${String(i).padStart(17, '0')}\r\n`;
        case 2:
          return `]C0${String(3_000_000 + ((i * 13) % COUPONS))}${String(i).padStart(17, '0')}`;
        case 3:
          return data.products[(i * 31) % PRODUCTS].productCode;
        default:
          return i % 2 ? `${9_000_000 + i}${'0'.repeat(17)}` : `JUNK-${i}`;
      }
    };

    const times: number[] = [];
    for (let i = 0; i < WARMUP + SCANS; i++) {
      const raw = rawFor(i);
      const basket = basketFor(i);
      const t0 = process.hrtime.bigint();
      await evaluate({ raw, source: 'hid-pos', basket, online: false });
      const dt = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= WARMUP) times.push(dt);
      // Let the buffered log writes run between scans, as they do at a real register.
      if (i % 200 === 199) await new Promise((r) => setImmediate(r));
    }
    redemption.flushLog();
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    return { scan_to_verdict_p99_ms: Number(p(0.99).toFixed(4)), scan_to_verdict_p50_ms: Number(p(0.5).toFixed(4)) };
  } finally {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /bench[\\/]redemption\.ts$/.test(process.argv[1])) {
  void run().then((r) => console.log(r));
}
