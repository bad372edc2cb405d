import { z } from 'zod';
import { SIM_CREDENTIALS } from '../credentials';
import { parseIsoDate, parseIsoDateTime } from '../framework/time';

/*
 * The Smaregi part of a seed file: Smaregi's own field names, numbers and ids as strings, exactly
 * as the Platform API sends them. Extra fields on stores, products, coupons and transactions are
 * kept and returned as they are.
 */

const idString = (what: string) =>
  z.string({ error: `${what} must be a string of digits` }).regex(/^\d{1,15}$/, `${what} must be a string of 1–15 digits`);
const intString = z
  .string({ error: 'must be an integer written as a string (Smaregi sends numbers as strings)' })
  .regex(/^-?\d{1,12}$/, 'must be an integer written as a string, e.g. "1200"');
const numString = z
  .string({ error: 'must be a number written as a string' })
  .regex(/^\d{1,12}(\.\d{1,4})?$/, 'must be a non-negative number written as a string, e.g. "10"');
const dateTime = z
  .string()
  .refine((s) => parseIsoDateTime(s) !== null, 'must be an ISO 8601 date-time with offset, e.g. 2026-01-01T10:00:00+09:00');
const date = z.string().refine((s) => parseIsoDate(s) !== null, 'must be a date YYYY-MM-DD');

export const SmaregiStoreSeedSchema = z.looseObject({
  storeId: idString('storeId'),
  storeName: z.string().min(1),
  storeCode: z.string().max(20).optional(),
  storeAbbr: z.string().optional(),
  division: z.enum(['1', '2']).default('1'),
});

export const SmaregiProductSeedSchema = z.looseObject({
  productId: idString('productId'),
  productCode: z.string().min(1).max(20),
  productName: z.string().min(1).max(85),
  price: intString,
  categoryId: idString('categoryId').optional(),
  taxDivision: z.enum(['0', '1', '2']).default('0'),
});

export const SmaregiCouponItemSeedSchema = z
  .strictObject({
    couponProductId: idString('couponProductId').optional(),
    /** 1 category, 2 product, 3 group code. */
    division: z.enum(['1', '2', '3']),
    itemId: z.string().min(1),
    /** 1 condition (target product), 2 granted (free item). */
    type: z.enum(['1', '2']),
    salesPrice: intString.nullable().optional(),
  })
  .refine((i) => i.type !== '2' || (i.salesPrice !== undefined && i.salesPrice !== null), {
    message: 'salesPrice is required when type is "2" (granted product)',
    path: ['salesPrice'],
  });

export const SmaregiCouponSeedSchema = z.looseObject({
  couponId: idString('couponId'),
  couponName: z.string().min(1),
  /** "0" 通常, "1" giftee. */
  couponDivision: z.enum(['0', '1']),
  serialNumber: z.string().min(1).max(24),
  summary: z.string().default(''),
  /** "1" amount off, "2" percent off, "3" free product. */
  awardType: z.enum(['1', '2', '3']),
  awardValue: numString,
  /** "0" always, "1" a target product must be in the basket. */
  applyConditionDivision: z.enum(['0', '1']),
  minTargetPrice: intString.nullable().default(null),
  maxTargetPrice: intString.nullable().default(null),
  startDate: date.nullable().default(null),
  endDate: date.nullable().default(null),
  insDateTime: dateTime.optional(),
  updDateTime: dateTime.optional(),
  items: z.array(SmaregiCouponItemSeedSchema).default([]),
});

export const SmaregiStockSeedSchema = z.strictObject({
  storeId: idString('storeId'),
  productId: idString('productId'),
  stockAmount: intString,
  updDateTime: dateTime.optional(),
});

export const SmaregiTransactionSeedSchema = z.looseObject({
  transactionHeadId: idString('transactionHeadId'),
  transactionDateTime: dateTime,
  transactionHeadDivision: z.string().default('1'),
  storeId: idString('storeId'),
  terminalId: z.string().min(1),
  terminalTranId: z.string().min(1).max(10),
  terminalTranDateTime: dateTime,
  subtotal: intString,
  total: intString,
  updDateTime: dateTime.optional(),
  details: z
    .array(
      z.looseObject({
        transactionDetailId: z.string().min(1),
        productId: idString('productId').optional(),
        salesPrice: intString,
        quantity: intString,
      }),
    )
    .default([]),
});

export const SmaregiSeedSchema = z
  .strictObject({
    contractId: z.string().min(1).max(64).default(SIM_CREDENTIALS.smaregi.contractId),
    clientId: z.string().min(1).default(SIM_CREDENTIALS.smaregi.clientId),
    clientSecret: z.string().min(1).default(SIM_CREDENTIALS.smaregi.clientSecret),
    tokenTtlSeconds: z.number().int().positive().max(86_400 * 30).default(3600),
    stores: z.array(SmaregiStoreSeedSchema).default([]),
    products: z.array(SmaregiProductSeedSchema).default([]),
    coupons: z.array(SmaregiCouponSeedSchema).default([]),
    stock: z.array(SmaregiStockSeedSchema).default([]),
    transactions: z.array(SmaregiTransactionSeedSchema).default([]),
  })
  .superRefine((seed, ctx) => {
    const unique = (list: Array<Record<string, unknown>>, key: string, at: string) => {
      const seen = new Set<unknown>();
      list.forEach((row, i) => {
        if (seen.has(row[key])) {
          ctx.addIssue({ code: 'custom', path: [at, i, key], message: `duplicate ${key} "${String(row[key])}"` });
        }
        seen.add(row[key]);
      });
    };
    unique(seed.stores, 'storeId', 'stores');
    unique(seed.products, 'productId', 'products');
    unique(seed.coupons, 'couponId', 'coupons');
    unique(seed.transactions, 'transactionHeadId', 'transactions');
    const stores = new Set(seed.stores.map((s) => s.storeId));
    const products = new Set(seed.products.map((p) => p.productId));
    const pairs = new Set<string>();
    seed.stock.forEach((row, i) => {
      if (!stores.has(row.storeId)) {
        ctx.addIssue({ code: 'custom', path: ['stock', i, 'storeId'], message: `unknown storeId "${row.storeId}"` });
      }
      if (!products.has(row.productId)) {
        ctx.addIssue({ code: 'custom', path: ['stock', i, 'productId'], message: `unknown productId "${row.productId}"` });
      }
      const pair = `${row.storeId}/${row.productId}`;
      if (pairs.has(pair)) {
        ctx.addIssue({ code: 'custom', path: ['stock', i], message: `duplicate stock row for store/product ${pair}` });
      }
      pairs.add(pair);
    });
    seed.coupons.forEach((c, i) => {
      c.items.forEach((item, j) => {
        if (item.division === '2' && !products.has(item.itemId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['coupons', i, 'items', j, 'itemId'],
            message: `unknown productId "${item.itemId}" (division "2" = product)`,
          });
        }
      });
      if (c.startDate && c.endDate && c.startDate > c.endDate) {
        ctx.addIssue({ code: 'custom', path: ['coupons', i, 'endDate'], message: 'endDate is before startDate' });
      }
    });
    seed.transactions.forEach((t, i) => {
      if (!stores.has(t.storeId)) {
        ctx.addIssue({ code: 'custom', path: ['transactions', i, 'storeId'], message: `unknown storeId "${t.storeId}"` });
      }
    });
  });

export type SmaregiSeedInput = z.input<typeof SmaregiSeedSchema>;
export type SmaregiSeed = z.output<typeof SmaregiSeedSchema>;
