import type { CouponItemRecord, CouponRecord, ProductRecord } from '../../src/core/coupons';

export function coupon(over: Partial<CouponRecord> = {}): CouponRecord {
  return {
    couponId: '1',
    couponName: 'giftee 500円券',
    couponDivision: '1',
    serialNumber: '1234567',
    summary: null,
    awardType: '1',
    awardValue: '500',
    applyConditionDivision: '0',
    minTargetPrice: null,
    maxTargetPrice: null,
    startDate: null,
    endDate: null,
    updDateTime: null,
    items: [],
    ...over,
  };
}

export function item(over: Partial<CouponItemRecord> = {}): CouponItemRecord {
  return { couponProductId: null, division: '2', itemId: '100', type: '1', salesPrice: null, ...over };
}

export function product(over: Partial<ProductRecord> = {}): ProductRecord {
  return {
    productId: '100',
    productCode: '4900000000100',
    productName: 'コーヒー豆 200g',
    price: '1200',
    categoryId: '10',
    groupCode: 'G-COFFEE',
    updDateTime: null,
    ...over,
  };
}

export const PRODUCTS: ProductRecord[] = [
  product(),
  product({ productId: '101', productCode: '4900000000101', productName: 'ドリップバッグ', price: '300', categoryId: '10', groupCode: null }),
  product({ productId: '200', productCode: '4900000000200', productName: 'マグカップ', price: '1500', categoryId: '20', groupCode: 'G-MUG' }),
  product({ productId: '300', productCode: '4900000000300', productName: 'クッキー', price: '450', categoryId: '30', groupCode: null }),
];

export const productById = (id: string): ProductRecord | null => PRODUCTS.find((p) => p.productId === id) ?? null;

/** A basket line for a catalog product. */
export function line(productId: string, quantity = 1) {
  const p = productById(productId)!;
  return { productId, productCode: p.productCode, name: p.productName, price: Number(p.price), quantity };
}

/** An instant given as JST wall-clock time. */
export function jst(text: string): Date {
  return new Date(`${text}+09:00`);
}
