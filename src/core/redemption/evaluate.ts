import { ContractError } from '../../shared/contract/envelope';
import type { Basket, ReasonCode, ScanOutcome } from '../../shared/contract/register';
import { reasonMessage } from '../../shared/reasons';
import type { CatalogStatus } from '../catalog';
import { evaluateCoupon, toBasketProduct, toCouponView, type CouponRecord, type CouponVerdict, type ProductRecord, type Rounding } from '../coupons';
import { classifyScan, type ScanClass } from '../scan/classify';
import { normalizeScan } from '../scan/normalize';
import { basketProblemMessage, resolveBasket, type SaleBasket } from './basket';

/** What redemption needs of the catalog (the catalog module provides it; the bench an in-memory one). */
export interface RedemptionCatalog {
  couponsBySerial(serial: string): readonly CouponRecord[];
  coupon(couponId: string): CouponRecord | null;
  productByCode(code: string): ProductRecord | null;
  productById(productId: string): ProductRecord | null;
  /** Local usage count +by (−1 for a void); synchronous, called inside the sale's transaction. */
  incrementUsage(couponId: string, by?: number): void;
  status(): CatalogStatus;
  /** Resolves once a first catalog is there (waits for a refresh only when nothing is cached). */
  ready(): Promise<CatalogStatus>;
}

export interface Evaluation {
  outcome: ScanOutcome;
  scan: ScanClass;
  /** The coupon rules' verdict for a giftee / coupon-code scan. */
  verdict: CouponVerdict | null;
  /** The basket as the sale would record it (`resolveBasket`), for a giftee / coupon-code scan. */
  basket: SaleBasket | null;
}

export interface EvaluateEnv {
  catalog: RedemptionCatalog;
  now: Date;
  rounding: Rounding;
  couponCodePrefix: string;
  /** settings.register.giftSaleProductCode: the product an amount's uncovered part is sold as. */
  giftSaleProductCode: string;
  /** A giftee ticket cannot be checked now (giftee offline or not configured). */
  gifteeBlocked: boolean;
  /** This code was already redeemed here (the local ledger). */
  redeemedHere(code: string): boolean;
}

/** The catalog has never loaded (Smaregi failing on a fresh data folder): nothing can be looked up yet. */
export const NO_CATALOG_TICKET_MESSAGE = {
  ja: 'スマレジからクーポン情報をまだ取得できていないため、このギフト券を確認できません（券は消費されていません）。スマレジの接続を確認し、取得できてから再度スキャンしてください',
  en: 'The coupon catalog has not been loaded from Smaregi yet, so this ticket cannot be checked (it was not used). Check the Smaregi connection and scan again once the catalog is loaded.',
};
export const NO_CATALOG_PRODUCT_MESSAGE = {
  ja: 'スマレジから商品マスタをまだ取得できていないため、この商品を確認できません。スマレジの接続を確認してください',
  en: 'The product catalog has not been loaded from Smaregi yet, so this code cannot be looked up. Check the Smaregi connection.',
};

const BASKET_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>(['below_min_amount', 'above_max_amount', 'no_target_item']);

function refusal(base: ScanOutcome, verdict: 'rejected' | 'blocked', reason: ReasonCode): ScanOutcome {
  return { ...base, verdict, reason, message: reasonMessage(reason) };
}

/**
 * Raw scan → verdict, locally (no network): normalise, classify, then for a gift ticket the coupon
 * rules against the basket, the local ledger and the connectivity state; for anything else a
 * product lookup. Every refusal carries its reason code and message. Without any catalog yet,
 * nothing can be said about a code: `blocked` / `offline`, never a refusal that calls it invalid.
 * A basket that cannot be sold (`resolveBasket`) throws `invalid_params` — the same error redeem
 * gives — unless the coupon itself refuses the ticket or giftee is unreachable (said first).
 */
export function evaluateScan(raw: string, basket: Basket, env: EvaluateEnv): Evaluation {
  const normalized = normalizeScan(raw);
  const scan = classifyScan(normalized, { couponCodePrefix: env.couponCodePrefix });
  const base: ScanOutcome = {
    raw,
    normalized,
    kind: 'unknown',
    prefix: null,
    couponId: null,
    coupon: null,
    verdict: 'ok',
    reason: null,
    message: null,
    benefit: null,
    product: null,
    duplicate: false,
  };
  const catalogLoaded = env.catalog.status().refreshedAt !== null;

  if (scan.kind === 'other') {
    const p = normalized ? env.catalog.productByCode(normalized) : null;
    if (p) return { scan, verdict: null, basket: null, outcome: { ...base, kind: 'product', product: toBasketProduct(p) } };
    if (!catalogLoaded && normalized) {
      return { scan, verdict: null, basket: null, outcome: { ...refusal(base, 'blocked', 'offline'), message: NO_CATALOG_PRODUCT_MESSAGE } };
    }
    return { scan, verdict: null, basket: null, outcome: refusal(base, 'rejected', 'not_gift_ticket') };
  }

  // A giftee code's prefix, or a coupon code's serial: both name a coupon by its serial number.
  const serial = scan.kind === 'giftee' ? scan.prefix : scan.serial;
  const located: ScanOutcome = { ...base, kind: scan.kind, prefix: serial };
  if (!catalogLoaded) {
    return { scan, verdict: null, basket: null, outcome: { ...refusal(located, 'blocked', 'offline'), message: NO_CATALOG_TICKET_MESSAGE } };
  }

  const giftSale = env.catalog.productByCode(env.giftSaleProductCode);
  const sale = resolveBasket(basket, {
    productCode: env.giftSaleProductCode,
    product: giftSale ? { productId: giftSale.productId, productCode: giftSale.productCode, name: giftSale.productName } : null,
  });
  const verdict = evaluateCoupon({
    prefix: serial,
    coupons: env.catalog.couponsBySerial(serial),
    // The sale's own amount; a basket that cannot be sold is still checked for refusals about the coupon itself.
    basket: { items: basket.items, amount: sale.ok ? sale.amount : null },
    now: env.now,
    rounding: env.rounding,
    productById: (id) => env.catalog.productById(id),
  });
  const coupon = verdict.coupon;
  const described: ScanOutcome = {
    ...located,
    couponId: coupon?.couponId ?? null,
    coupon: coupon ? toCouponView(coupon) : null,
  };
  const saleBasket = sale.ok ? { lines: sale.lines, amount: sale.amount } : null;
  const couponRefusal = !verdict.ok && !BASKET_REASONS.has(verdict.reason);
  if (couponRefusal) return { scan, verdict, basket: saleBasket, outcome: refusal(described, 'rejected', verdict.reason) };
  // While giftee is unreachable the cashier must first hear "offline": a basket (amount, target
  // item, an amount that cannot be sold) can be fixed at the counter, the network cannot.
  // Refusals about the coupon itself (above) stay, they hold whatever the network does.
  if (scan.kind === 'giftee' && env.gifteeBlocked && (!verdict.ok || !sale.ok)) {
    return { scan, verdict, basket: saleBasket, outcome: refusal(described, 'blocked', 'offline') };
  }
  if (!sale.ok) throw new ContractError('invalid_params', basketProblemMessage(sale), { problem: sale.problem });
  if (!verdict.ok) return { scan, verdict, basket: saleBasket, outcome: refusal(described, 'rejected', verdict.reason) };
  const ok: ScanOutcome = { ...described, benefit: verdict.benefit };
  if (scan.kind === 'giftee') {
    if (env.redeemedHere(scan.code)) return { scan, verdict, basket: saleBasket, outcome: refusal(ok, 'rejected', 'ticket_used') };
    if (env.gifteeBlocked) return { scan, verdict, basket: saleBasket, outcome: refusal(ok, 'blocked', 'offline') };
  }
  return { scan, verdict, basket: saleBasket, outcome: ok };
}
