import type { Migration } from './index';

/**
 * The cached Smaregi catalog. A refresh replaces these tables in one transaction (readers never see
 * half a catalog). Values keep Smaregi's string form. The local coupon usage count lives apart in
 * `coupon_usage`, so replacing the catalog never resets it.
 */
export const catalog: Migration = {
  version: 2,
  name: 'catalog',
  up: `
    CREATE TABLE catalog_coupons (
      coupon_id TEXT PRIMARY KEY,
      coupon_name TEXT NOT NULL,
      coupon_division TEXT NOT NULL,
      serial_number TEXT NOT NULL,
      summary TEXT,
      award_type TEXT NOT NULL,
      award_value TEXT NOT NULL,
      apply_condition_division TEXT NOT NULL,
      min_target_price TEXT,
      max_target_price TEXT,
      start_date TEXT,
      end_date TEXT,
      upd_date_time TEXT
    );
    CREATE INDEX catalog_coupons_serial ON catalog_coupons(serial_number);

    CREATE TABLE catalog_coupon_items (
      coupon_id TEXT NOT NULL REFERENCES catalog_coupons(coupon_id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      coupon_product_id TEXT,
      division TEXT NOT NULL,
      item_id TEXT NOT NULL,
      type TEXT NOT NULL,
      sales_price TEXT,
      PRIMARY KEY (coupon_id, seq)
    );

    CREATE TABLE catalog_products (
      product_id TEXT PRIMARY KEY,
      product_code TEXT NOT NULL,
      product_name TEXT NOT NULL,
      price TEXT NOT NULL,
      category_id TEXT,
      group_code TEXT,
      upd_date_time TEXT
    );
    CREATE INDEX catalog_products_code ON catalog_products(product_code);

    CREATE TABLE catalog_stores (
      store_id TEXT PRIMARY KEY,
      store_code TEXT,
      store_name TEXT NOT NULL,
      division TEXT,
      upd_date_time TEXT
    );

    CREATE TABLE catalog_stock (
      store_id TEXT NOT NULL,
      product_id TEXT NOT NULL,
      stock_amount TEXT NOT NULL,
      layaway_stock_amount TEXT,
      upd_date_time TEXT,
      PRIMARY KEY (store_id, product_id)
    );

    -- refreshed_at, contract_id of the cached data, ...
    CREATE TABLE catalog_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    -- Redemptions counted here (使用回数), in the same transaction as the sale.
    CREATE TABLE coupon_usage (
      coupon_id TEXT PRIMARY KEY,
      usage_count INTEGER NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
      updated_at TEXT NOT NULL
    );
  `,
};
