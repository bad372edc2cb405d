import type { CouponItemRecord, CouponRecord, ProductRecord, StockRecord, StoreRecord } from '../coupons/types';
import type { Db } from '../db';

/** SQLite side of the catalog cache (tables from migration 002). Synchronous, like better-sqlite3. */

export interface CatalogRecords {
  coupons: CouponRecord[];
  products: ProductRecord[];
  stores?: StoreRecord[];
}

export interface CatalogWrite extends CatalogRecords {
  /** Replace all stores; omitted = keep the cached ones. */
  stores?: StoreRecord[];
  /** Replace the stock rows of these stores; omitted = keep. */
  stock?: { storeIds: string[]; rows: StockRecord[] };
  refreshedAt: string;
  contractId: string | null;
}

export interface CatalogMeta {
  refreshedAt: string | null;
  contractId: string | null;
}

interface CouponRow {
  coupon_id: string;
  coupon_name: string;
  coupon_division: string;
  serial_number: string;
  summary: string | null;
  award_type: CouponRecord['awardType'];
  award_value: string;
  apply_condition_division: CouponRecord['applyConditionDivision'];
  min_target_price: string | null;
  max_target_price: string | null;
  start_date: string | null;
  end_date: string | null;
  upd_date_time: string | null;
}

interface ItemRow {
  coupon_id: string;
  coupon_product_id: string | null;
  division: CouponItemRecord['division'];
  item_id: string;
  type: CouponItemRecord['type'];
  sales_price: string | null;
}

/** Everything cached, as records (used once at start: a restart without network keeps the catalog). */
export function readCatalog(db: Db): CatalogRecords & { stores: StoreRecord[]; meta: CatalogMeta } {
  const itemsByCoupon = new Map<string, CouponItemRecord[]>();
  for (const r of db.prepare('SELECT coupon_id, coupon_product_id, division, item_id, type, sales_price FROM catalog_coupon_items ORDER BY coupon_id, seq').iterate() as Iterable<ItemRow>) {
    let list = itemsByCoupon.get(r.coupon_id);
    if (!list) itemsByCoupon.set(r.coupon_id, (list = []));
    list.push({ couponProductId: r.coupon_product_id, division: r.division, itemId: r.item_id, type: r.type, salesPrice: r.sales_price });
  }
  const coupons = (db.prepare('SELECT * FROM catalog_coupons').all() as CouponRow[]).map(
    (r): CouponRecord => ({
      couponId: r.coupon_id,
      couponName: r.coupon_name,
      couponDivision: r.coupon_division,
      serialNumber: r.serial_number,
      summary: r.summary,
      awardType: r.award_type,
      awardValue: r.award_value,
      applyConditionDivision: r.apply_condition_division,
      minTargetPrice: r.min_target_price,
      maxTargetPrice: r.max_target_price,
      startDate: r.start_date,
      endDate: r.end_date,
      updDateTime: r.upd_date_time,
      items: itemsByCoupon.get(r.coupon_id) ?? [],
    }),
  );
  const products = db
    .prepare(
      `SELECT product_id AS productId, product_code AS productCode, product_name AS productName, price,
              category_id AS categoryId, group_code AS groupCode, upd_date_time AS updDateTime
       FROM catalog_products`,
    )
    .all() as ProductRecord[];
  const stores = db
    .prepare('SELECT store_id AS storeId, store_code AS storeCode, store_name AS storeName, division, upd_date_time AS updDateTime FROM catalog_stores ORDER BY store_id')
    .all() as StoreRecord[];
  return { coupons, products, stores, meta: readMeta(db) };
}

export function readMeta(db: Db): CatalogMeta {
  const rows = db.prepare('SELECT key, value FROM catalog_meta').all() as Array<{ key: string; value: string }>;
  const m = new Map(rows.map((r) => [r.key, r.value]));
  return { refreshedAt: m.get('refreshed_at') ?? null, contractId: m.get('contract_id') ?? null };
}

/** Replaces the cached catalog in ONE transaction: readers see the old catalog or the new one. */
export function writeCatalog(db: Db, w: CatalogWrite): void {
  const insCoupon = db.prepare(
    `INSERT INTO catalog_coupons (coupon_id, coupon_name, coupon_division, serial_number, summary, award_type, award_value,
       apply_condition_division, min_target_price, max_target_price, start_date, end_date, upd_date_time)
     VALUES (@couponId, @couponName, @couponDivision, @serialNumber, @summary, @awardType, @awardValue,
       @applyConditionDivision, @minTargetPrice, @maxTargetPrice, @startDate, @endDate, @updDateTime)`,
  );
  const insItem = db.prepare(
    'INSERT INTO catalog_coupon_items (coupon_id, seq, coupon_product_id, division, item_id, type, sales_price) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insProduct = db.prepare(
    `INSERT INTO catalog_products (product_id, product_code, product_name, price, category_id, group_code, upd_date_time)
     VALUES (@productId, @productCode, @productName, @price, @categoryId, @groupCode, @updDateTime)`,
  );
  const insStore = db.prepare(
    'INSERT INTO catalog_stores (store_id, store_code, store_name, division, upd_date_time) VALUES (@storeId, @storeCode, @storeName, @division, @updDateTime)',
  );
  const insStock = db.prepare(
    `INSERT INTO catalog_stock (store_id, product_id, stock_amount, layaway_stock_amount, upd_date_time)
     VALUES (@storeId, @productId, @stockAmount, @layawayStockAmount, @updDateTime)`,
  );
  const setMeta = db.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    db.prepare('DELETE FROM catalog_coupon_items').run();
    db.prepare('DELETE FROM catalog_coupons').run();
    db.prepare('DELETE FROM catalog_products').run();
    for (const c of w.coupons) {
      const { items, ...head } = c;
      insCoupon.run(head);
      items.forEach((i, seq) => insItem.run(c.couponId, seq, i.couponProductId, i.division, i.itemId, i.type, i.salesPrice));
    }
    for (const p of w.products) insProduct.run(p);
    if (w.stores) {
      db.prepare('DELETE FROM catalog_stores').run();
      for (const s of w.stores) insStore.run(s);
    }
    if (w.stock) {
      const del = db.prepare('DELETE FROM catalog_stock WHERE store_id = ?');
      for (const id of w.stock.storeIds) del.run(id);
      for (const s of w.stock.rows) insStock.run(s);
    }
    setMeta.run('refreshed_at', w.refreshedAt);
    if (w.contractId !== null) setMeta.run('contract_id', w.contractId);
  })();
}

/** Forgets the whole cache (another Smaregi contract was configured). Usage counts stay. */
export function clearCatalog(db: Db): void {
  db.transaction(() => {
    for (const t of ['catalog_coupon_items', 'catalog_coupons', 'catalog_products', 'catalog_stores', 'catalog_stock', 'catalog_meta']) {
      db.prepare(`DELETE FROM ${t}`).run();
    }
  })();
}

/** Adds to a coupon's local usage count (never below 0). Runs inside the caller's transaction if there is one. */
export function addUsage(db: Db, couponId: string, by: number, at: string): void {
  db.prepare(
    `INSERT INTO coupon_usage (coupon_id, usage_count, updated_at) VALUES (@couponId, max(0, @by), @at)
     ON CONFLICT(coupon_id) DO UPDATE SET usage_count = max(0, usage_count + @by), updated_at = @at`,
  ).run({ couponId, by, at });
}

export function usageCount(db: Db, couponId: string): number {
  const row = db.prepare('SELECT usage_count FROM coupon_usage WHERE coupon_id = ?').get(couponId) as { usage_count: number } | undefined;
  return row?.usage_count ?? 0;
}

export function stockAmount(db: Db, productId: string, storeId: string): string | null {
  const row = db.prepare('SELECT stock_amount FROM catalog_stock WHERE product_id = ? AND store_id = ?').get(productId, storeId) as { stock_amount: string } | undefined;
  return row?.stock_amount ?? null;
}
