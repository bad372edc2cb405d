import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../src/core/engine';
import { createMemorySecretStore } from '../../src/core/secrets';
import { SIM_CREDENTIALS } from '../../src/sim/credentials';
import { DEMO_SEED, startSimulators, type RunningSimulators, type SeedObject, type SimServer } from '../../src/sim/index';
import type { GifteeState } from '../../src/sim/giftee';
import type { EventEnvelope } from '../../src/shared/contract';

/** A 24-digit code of our own for a prefix (the test seed registers these with giftee, unused). */
export const ticket = (prefix: string, n: number) => prefix + String(n).padStart(17, '0');

/** Codes by what they are for (demo seed src/sim/demo-seed.json, plus our own). */
export const T = {
  /** 4110001: 500 yen off, min 1,000 yen (ours: unused, 40 of them). */
  amountOff: Array.from({ length: 40 }, (_, i) => ticket('4110001', i + 1)),
  /** 4110002: 10 % off, 2,000–20,000 yen. */
  percentOff: '411000239453993356120852',
  /** 4110003: a free drip bag. */
  freeItem: '411000333954173459546890',
  /** 4110004: 300 yen off with a sweets item. */
  targetItem: '411000407115745344413684',
  used: '411000140481649575386351',
  expired: '411000203695263410588491',
  /** Right prefix, unknown to giftee. */
  unknownToGiftee: ticket('4110001', 99_999),
};

export const PRODUCT = { coffee: '4573580001010', dripBag: '4573580001027', cookie: '4573580001072' };
export const GIFT_SALE_CODE = 'GIFTEE-SALE';

/** The demo seed with the store's gift-sale product as 1099 (amount-only baskets are sold as it), or without any (`giftSale: false`). */
export function testSeed(opts: { giftSale?: boolean } = {}): SeedObject {
  const seed = structuredClone(DEMO_SEED) as { smaregi: { products: unknown[] } } & SeedObject;
  const products = seed.smaregi.products.filter((p) => (p as { productCode: string }).productCode !== GIFT_SALE_CODE);
  seed.smaregi.products.length = 0;
  seed.smaregi.products.push(...products);
  if (opts.giftSale !== false) seed.smaregi.products.push({ productId: '1099', productCode: GIFT_SALE_CODE, productName: 'ギフト券ご利用（金額入力）', price: '0', categoryId: '9', taxDivision: '0' });
  const g = seed.giftee as { tickets: Array<{ code: string; status: string; expiresAt: string }> };
  for (const code of T.amountOff) g.tickets.push({ code, status: 'unused', expiresAt: '2099-12-31T23:59:59+09:00' });
  return seed;
}

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Harness {
  engine: Engine;
  sims: RunningSimulators;
  giftee: SimServer<GifteeState>;
  dir: string;
  events: EventEnvelope[];
  /** A fresh engine on the same data folder (the old one must be stopped). */
  /** Opens the engine again; `oneShot` opens it as the CLI does (no background work, just settle). */
  restart(opts?: { oneShot?: boolean }): Promise<Engine>;
  consumptions(): GifteeState['consumptions'];
  consumeRequests(): number;
  table<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

async function configure(engine: Engine, urls: { smaregi: string; giftee: string }, gifteeUrl?: string) {
  await engine.call('settings.update', {
    smaregi: {
      idBaseUrl: urls.smaregi,
      apiBaseUrl: urls.smaregi,
      contractId: SIM_CREDENTIALS.smaregi.contractId,
      clientId: SIM_CREDENTIALS.smaregi.clientId,
      storeId: '1',
      terminalId: '1',
      credentialSource: 'simulator',
    },
    giftee: { baseUrl: gifteeUrl ?? urls.giftee, credentialSource: 'simulator' },
  });
}

/**
 * Real simulators + an engine on a temp SQLite folder, configured for them, with the catalog
 * loaded and giftee's state known. `gifteeUrl` overrides where the engine looks for giftee;
 * `beforeEngine` runs before the engine first starts (e.g. to make Smaregi fail from the start).
 */
export async function harness(opts: { seed?: SeedObject; gifteeUrl?: string; beforeEngine?: (sims: RunningSimulators) => void } = {}): Promise<Harness> {
  const sims = await startSimulators({ seed: opts.seed ?? testSeed() });
  opts.beforeEngine?.(sims);
  const dir = mkdtempSync(join(tmpdir(), 'rc-'));
  const secrets = createMemorySecretStore();
  const events: EventEnvelope[] = [];
  const open = async (first: boolean, oneShot = false) => {
    const e = await createEngine({ dataDir: dir, demo: 'off', secrets, owner: 'test', background: !oneShot });
    e.onEvent((ev) => events.push(ev));
    if (first) await configure(e, sims.urls, opts.gifteeUrl);
    await e.settle();
    return e;
  };
  const h: Harness = {
    engine: await open(true),
    sims,
    giftee: sims.servers.giftee as SimServer<GifteeState>,
    dir,
    events,
    async restart(o = {}) {
      h.engine = await open(false, o.oneShot ?? false);
      return h.engine;
    },
    consumptions: () => h.giftee.state().consumptions,
    consumeRequests: () => h.giftee.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/consume')).length,
    table: <R>(sql: string, ...params: unknown[]) => h.engine.ctx.db.prepare(sql).all(...params) as R[],
    async close() {
      await h.engine.stop();
      await sims.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Runs `fn` once, at the moment the attempt is committed (status pending) — i.e. just before the consume is sent. */
export function onAttemptCommitted(h: Harness, fn: () => void): () => void {
  let done = false;
  return h.engine.onEvent((ev) => {
    if (done || ev.event !== 'redemption.logged') return;
    if ((ev.data as { status?: string }).status === 'pending') {
      done = true;
      fn();
    }
  });
}
