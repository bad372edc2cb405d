import type { Basket, BasketItem, ScanOutcome } from '../../shared/contract';
import { parseAmount } from '../format';

/** Pure basket operations: every function returns a new array and never throws. */

export const MAX_QTY = 9999;

export function addProduct(items: readonly BasketItem[], product: NonNullable<ScanOutcome['product']>): BasketItem[] {
  const i = items.findIndex((it) => it.productId === product.productId);
  if (i >= 0) return items.map((it, j) => (j === i ? { ...it, quantity: Math.min(MAX_QTY, it.quantity + 1) } : it));
  return [...items, { ...product, quantity: 1 }];
}

/** Change the quantity of line `index` by `delta`; a line never goes below 1 (use removeItem). */
export function changeQuantity(items: readonly BasketItem[], index: number, delta: number): BasketItem[] {
  if (index < 0 || index >= items.length) return [...items];
  return items.map((it, j) => (j === index ? { ...it, quantity: Math.max(1, Math.min(MAX_QTY, it.quantity + delta)) } : it));
}

export function removeItem(items: readonly BasketItem[], index: number): BasketItem[] {
  if (index < 0 || index >= items.length) return [...items];
  return items.filter((_, j) => j !== index);
}

export function itemsTotal(items: readonly BasketItem[]): number {
  return items.reduce((sum, it) => sum + it.price * it.quantity, 0);
}

/** The basket sent with scans: the items, and the typed amount if it is a valid number. */
export function toBasket(items: readonly BasketItem[], amountText: string): Basket {
  const amount = parseAmount(amountText);
  return { items: items.map((it) => ({ ...it })), amount: typeof amount === 'number' ? amount : null };
}

/** Keep the selected line in range after the basket changed. */
export function clampSelection(selected: number, length: number): number {
  if (length === 0) return -1;
  if (selected < 0) return 0;
  return Math.min(selected, length - 1);
}
