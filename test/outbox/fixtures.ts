import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnState, SystemId } from '../../src/shared/contract/status';
import { createSmaregiChannel, smaregiStockAddItem, smaregiStockSetItem, smaregiTransactionItem, type SmaregiChannelOptions } from '../../src/core/channels/smaregi';
import type { Channel } from '../../src/core/channels/types';
import type { ConnectivityMonitor } from '../../src/core/connectivity';
import { createEngine, type Engine } from '../../src/core/engine';
import { createOutbox, type NewOutboxItem, type Outbox, type OutboxOptions } from '../../src/core/outbox';
import { createMemorySecretStore } from '../../src/core/secrets';
import { SIM_CREDENTIALS } from '../../src/sim/credentials';
import { startSmaregiSim, type SmaregiSeedInput, type SmaregiState } from '../../src/sim/smaregi';
import type { SimServer } from '../../src/sim/framework/server';

/** Shared by the outbox tests, the crash harness and the bench. */

export const PRODUCT_IDS = Array.from({ length: 12 }, (_, i) => String(101 + i));

export const SEED: SmaregiSeedInput = {
  stores: [{ storeId: '1', storeName: 'テスト店' }],
  products: PRODUCT_IDS.map((id) => ({ productId: id, productCode: `49000000${id}`, productName: `商品${id}`, price: '500' })),
  stock: PRODUCT_IDS.map((id) => ({ storeId: '1', productId: id, stockAmount: '1000' })),
};

export function startSmaregi(seed: SmaregiSeedInput = SEED): Promise<SimServer<SmaregiState>> {
  return startSmaregiSim(seed);
}

/** Settings that point the engine at a running Smaregi simulator with its published credentials. */
export function smaregiSettings(url: string) {
  return {
    smaregi: {
      idBaseUrl: url,
      apiBaseUrl: url,
      contractId: SIM_CREDENTIALS.smaregi.contractId,
      clientId: SIM_CREDENTIALS.smaregi.clientId,
      storeId: '1',
      terminalId: '7',
      credentialSource: 'simulator' as const,
    },
  };
}

const BASE_TIME = Date.parse('2026-03-01T10:00:00+09:00');

/** A valid sale of `qty` × product at 500 yen, our reference terminal 7 / tranId. */
export function sale(tranId: string, productId: string, qty = 1, minute = 0): NewOutboxItem {
  const at = new Date(BASE_TIME + minute * 60_000 + 9 * 3600_000).toISOString().slice(0, 19) + '+09:00';
  return smaregiTransactionItem({
    transactionHeadDivision: '1',
    storeId: '1',
    terminalId: '7',
    terminalTranId: tranId,
    terminalTranDateTime: at,
    subtotal: String(500 * qty),
    total: String(500 * qty),
    details: [{ transactionDetailId: '1', transactionDetailDivision: '1', productId, salesPrice: '500', quantity: String(qty) }],
  });
}

export const stockSet = (productId: string, amount: number) => smaregiStockSetItem({ storeId: '1', productId, stockAmount: amount });
export const stockAdd = (productId: string, delta: number) => smaregiStockAddItem({ storeId: '1', productId, stockAmount: delta });

/** A connectivity monitor the test drives: `set(system, state)` fires onChange like the real one. */
export function manualConnectivity(): ConnectivityMonitor & { set(system: SystemId, s: ConnState): void; reports: Array<[SystemId, boolean]> } {
  const states = new Map<SystemId, ConnState>();
  const listeners = new Set<(s: SystemId, c: ConnState) => void>();
  const reports: Array<[SystemId, boolean]> = [];
  return {
    name: 'connectivity',
    reports,
    state: (s) => states.get(s) ?? 'unknown',
    snapshot: () => Object.fromEntries(states),
    isOnline: (s) => states.get(s) === 'online',
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    report: (s, ok) => void reports.push([s, ok]),
    checkNow: async () => {},
    set(system, s) {
      states.set(system, s);
      for (const l of listeners) l(system, s);
    },
  };
}

export interface Rig {
  engine: Engine;
  outbox: Outbox;
  connectivity: ReturnType<typeof manualConnectivity>;
  dir: string;
  enqueueAll(items: NewOutboxItem[]): string[];
  call<K extends keyof NonNullable<Outbox['handlers']>>(m: K, p: unknown): Promise<any>;
  /** Stops everything; the data folder is removed unless `keepDir` (a restart on the same folder). */
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

/**
 * A real engine context (SQLite file, settings, intake guard) with the engine's own background
 * modules off, and an outbox + Smaregi channel built on it with test timings (short client timeout,
 * fast backoff) so fault scenarios run in seconds.
 */
export async function outboxRig(
  smaregiUrl: string,
  o: { outbox?: OutboxOptions; channel?: SmaregiChannelOptions; dir?: string; start?: boolean; extraChannels?: Channel[] } = {},
): Promise<Rig> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'rc-'));
  const engine = await createEngine({ dataDir: dir, demo: 'off', secrets: createMemorySecretStore(), background: false, logToStderr: false });
  await engine.call('settings.update', smaregiSettings(smaregiUrl));
  const channel = createSmaregiChannel(engine.ctx, { timeoutMs: 400, rateLimitPerSec: 500, ...o.channel });
  const connectivity = manualConnectivity();
  const outbox = createOutbox(engine.ctx, { channels: [channel, ...(o.extraChannels ?? [])], connectivity }, {
    backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 2_000 },
    tickMs: 100,
    recoverGraceMs: 0,
    pollers: [],
    ...o.outbox,
  });
  if (o.start !== false) await outbox.start?.();
  const { enqueue } = await import('../../src/core/outbox');
  return {
    engine,
    outbox,
    connectivity,
    dir,
    enqueueAll(items) {
      const db = engine.ctx.db;
      const ids = db.transaction(() => items.map((it) => enqueue(db, it)))();
      outbox.kick();
      return ids;
    },
    call: async (m, p) => {
      const h = outbox.handlers![m] as (x: unknown) => unknown;
      const { methods } = await import('../../src/shared/contract');
      return h((methods as Record<string, { params: { parse(x: unknown): unknown } }>)[m as string].params.parse(p));
    },
    async close(c = {}) {
      await outbox.stop?.();
      await engine.stop();
      if (!o.dir && !c.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What the simulator holds: sales by our reference, stock changes by our memo (in the order applied). */
export function applied(state: SmaregiState) {
  const sales = new Map<string, number>();
  for (const t of state.transactions) {
    const k = String(t.terminalTranId);
    sales.set(k, (sales.get(k) ?? 0) + 1);
  }
  const memos = new Map<string, string[]>(); // product → memos in history order
  for (const h of [...state.stockHistory].sort((a, b) => Number(a.id) - Number(b.id))) {
    if (!h.memo) continue;
    const list = memos.get(h.productId) ?? [];
    list.push(h.memo);
    memos.set(h.productId, list);
  }
  return { sales, memos };
}
