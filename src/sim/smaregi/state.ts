import { formatJst } from '../framework/time';
import type { SmaregiSeed } from './seed';

type Row = Record<string, unknown>;

export interface StoreRow extends Row {
  storeId: string;
  storeName: string;
}

export interface ProductRow extends Row {
  productId: string;
  productCode: string;
  productName: string;
  price: string;
}

/** A coupon as stored; `usageCount` is simulator bookkeeping, not part of API answers. */
export interface CouponRow extends Row {
  couponId: string;
  couponName: string;
  couponDivision: string;
  serialNumber: string;
  usageCount: number;
}

export interface CouponItemRow extends Row {
  couponProductId: string;
  couponId: string;
  division: string;
  itemId: string;
  type: string;
  salesPrice: string | null;
}

export interface StockRow extends Row {
  storeId: string;
  productId: string;
  stockAmount: string;
  layawayStockAmount: string;
  updDateTime: string;
}

export interface StockHistoryRow extends Row {
  id: string;
  productId: string;
  storeId: string;
  amount: string;
  stockAmount: string;
  stockDivision: string;
  memo: string | null;
  updDateTime: string;
}

export interface TransactionRow extends Row {
  transactionHeadId: string;
  transactionDateTime: string;
  terminalTranDateTime: string;
  updDateTime: string;
  storeId: string;
  terminalId: string;
  details: Row[];
  coupons: Row[];
}

export interface TokenRow {
  accessToken: string;
  scopes: string[];
  /** Epoch ms (simulator clock). */
  expiresAt: number;
}

export interface SmaregiState {
  contractId: string;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  stores: StoreRow[];
  products: ProductRow[];
  coupons: CouponRow[];
  couponItems: CouponItemRow[];
  stock: StockRow[];
  stockHistory: StockHistoryRow[];
  transactions: TransactionRow[];
  tokens: TokenRow[];
  next: { transactionHeadId: number; stockHistoryId: number; couponProductId: number; transactionCouponId: number };
}

/** Turns a validated seed into the simulator's initial data. */
export function buildSmaregiState(seed: SmaregiSeed, nowMs: number = Date.now()): SmaregiState {
  const stamp = formatJst(nowMs);
  const couponItems: CouponItemRow[] = [];
  let couponProductId = 0;
  const coupons: CouponRow[] = seed.coupons.map(({ items, ...c }) => {
    for (const item of items) {
      const id = item.couponProductId ?? String(++couponProductId);
      couponProductId = Math.max(couponProductId, Number(id));
      couponItems.push({
        couponProductId: id,
        couponId: c.couponId,
        division: item.division,
        itemId: item.itemId,
        type: item.type,
        salesPrice: item.salesPrice ?? null,
      });
    }
    return { ...c, insDateTime: c.insDateTime ?? stamp, updDateTime: c.updDateTime ?? stamp, usageCount: 0 };
  });
  const transactions: TransactionRow[] = seed.transactions.map((t) => ({
    cancelDivision: '0',
    ...t,
    updDateTime: t.updDateTime ?? t.transactionDateTime,
    details: t.details.map((d) => ({ transactionHeadId: t.transactionHeadId, ...d })),
    coupons: [],
  }));
  const maxId = transactions.reduce((m, t) => Math.max(m, Number(t.transactionHeadId)), 0);
  return {
    contractId: seed.contractId,
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    tokenTtlSeconds: seed.tokenTtlSeconds,
    stores: seed.stores.map((s) => ({
      storeCode: s.storeId,
      storeAbbr: s.storeName,
      ...s,
      insDateTime: stamp,
      updDateTime: stamp,
    })),
    products: seed.products.map((p) => ({ ...p, insDateTime: stamp, updDateTime: stamp })),
    coupons,
    couponItems,
    stock: seed.stock.map((s) => ({
      storeId: s.storeId,
      productId: s.productId,
      stockAmount: s.stockAmount,
      layawayStockAmount: '0',
      updDateTime: s.updDateTime ?? stamp,
    })),
    stockHistory: [],
    transactions,
    tokens: [],
    next: { transactionHeadId: maxId + 1, stockHistoryId: 1, couponProductId: couponProductId + 1, transactionCouponId: 1 },
  };
}
