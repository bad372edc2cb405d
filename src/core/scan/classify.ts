/** giftee code for Smaregi: 7-digit ticket-type prefix (= the coupon's serial number) + 17 generated digits. */
export const GIFTEE_CODE_LENGTH = 24;
export const GIFTEE_PREFIX_LENGTH = 7;

export type ScanClass =
  | { kind: 'giftee'; code: string; prefix: string }
  | { kind: 'coupon'; code: string; serial: string }
  | { kind: 'other'; code: string };

/**
 * Classifies a normalised scan. A giftee code is exactly 24 ASCII digits. With the store's
 * coupon-code prefix (クーポンコード接頭辞) set, a scan starting with it is a coupon code whose
 * remainder is the serial number. Everything else is "other" (a product barcode, or nothing).
 */
export function classifyScan(code: string, opts: { couponCodePrefix?: string } = {}): ScanClass {
  if (code.length === GIFTEE_CODE_LENGTH && /^[0-9]+$/.test(code)) {
    return { kind: 'giftee', code, prefix: code.slice(0, GIFTEE_PREFIX_LENGTH) };
  }
  const p = opts.couponCodePrefix ?? '';
  if (p && code.length > p.length && code.startsWith(p)) return { kind: 'coupon', code, serial: code.slice(p.length) };
  return { kind: 'other', code };
}
