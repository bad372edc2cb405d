import type { Basket, ReasonCode, ScanOutcome } from '../../shared/contract/register';
import { reasonMessage } from '../../shared/reasons';
import type { CatalogStatus } from '../catalog';
import { evaluateCoupon, toBasketProduct, toCouponView, type CouponRecord, type CouponVerdict, type ProductRecord, type Rounding } from '../coupons';
import { classifyScan, type ScanClass } from '../scan/classify';
import { normalizeScan } from '../scan/normalize';

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
}

export interface EvaluateEnv {
  catalog: RedemptionCatalog;
  now: Date;
  rounding: Rounding;
  couponCodePrefix: string;
  /** A giftee ticket cannot be checked now (giftee offline or not configured). */
  gifteeBlocked: boolean;
  /** This code was already redeemed here (the local ledger). */
  redeemedHere(code: string): boolean;
}

const BASKET_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>(['below_min_amount', 'above_max_amount', 'no_target_item']);

function refusal(base: ScanOutcome, verdict: 'rejected' | 'blocked', reason: ReasonCode): ScanOutcome {
  return { ...base, verdict, reason, message: reasonMessage(reason) };
}

/**
 * Raw scan → verdict, locally (no network): normalise, classify, then for a gift ticket the coupon
 * rules against the basket, the local ledger and the connectivity state; for anything else a
 * product lookup. Every refusal carries its reason code and message.
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

  if (scan.kind === 'other') {
    const p = normalized ? env.catalog.productByCode(normalized) : null;
    if (p) return { scan, verdict: null, outcome: { ...base, kind: 'product', product: toBasketProduct(p) } };
    return { scan, verdict: null, outcome: refusal(base, 'rejected', 'not_gift_ticket') };
  }

  // A giftee code's prefix, or a coupon code's serial: both name a coupon by its serial number.
  const serial = scan.kind === 'giftee' ? scan.prefix : scan.serial;
  const verdict = evaluateCoupon({
    prefix: serial,
    coupons: env.catalog.couponsBySerial(serial),
    basket,
    now: env.now,
    rounding: env.rounding,
    productById: (id) => env.catalog.productById(id),
  });
  const coupon = verdict.coupon;
  const described: ScanOutcome = {
    ...base,
    kind: scan.kind,
    prefix: serial,
    couponId: coupon?.couponId ?? null,
    coupon: coupon ? toCouponView(coupon) : null,
  };
  if (!verdict.ok) {
    // While giftee is unreachable the cashier must first hear "offline": a basket-dependent refusal
    // (amount, target item) can be fixed at the counter, the network cannot. Refusals about the
    // coupon itself stay, they hold whatever the network does.
    if (scan.kind === 'giftee' && env.gifteeBlocked && BASKET_REASONS.has(verdict.reason)) {
      return { scan, verdict, outcome: refusal(described, 'blocked', 'offline') };
    }
    return { scan, verdict, outcome: refusal(described, 'rejected', verdict.reason) };
  }
  const ok: ScanOutcome = { ...described, benefit: verdict.benefit };
  if (scan.kind === 'giftee') {
    if (env.redeemedHere(scan.code)) return { scan, verdict, outcome: refusal(ok, 'rejected', 'ticket_used') };
    if (env.gifteeBlocked) return { scan, verdict, outcome: refusal(ok, 'blocked', 'offline') };
  }
  return { scan, verdict, outcome: ok };
}
