import { z } from 'zod';

/** Every reason a scan is refused. Messages in both languages live in ../reasons.ts. */
export const ReasonCodeSchema = z.enum([
  'not_gift_ticket',
  'unknown_prefix',
  'not_giftee_coupon',
  'coupon_not_started',
  'coupon_expired',
  'below_min_amount',
  'above_max_amount',
  'no_target_item',
  'ticket_used',
  'ticket_expired',
  'ticket_unknown',
  'offline',
]);
export type ReasonCode = z.infer<typeof ReasonCodeSchema>;

export const ScanSourceSchema = z.enum(['hid-pos', 'hid-keyboard', 'wedge', 'manual', 'cli']);
export type ScanSource = z.infer<typeof ScanSourceSchema>;

/** What a normalised scan is: a 24-digit giftee code, a code with the store's coupon prefix, a product, or nothing known. */
export const ScanKindSchema = z.enum(['giftee', 'coupon', 'product', 'unknown']);
export type ScanKind = z.infer<typeof ScanKindSchema>;

export const BasketItemSchema = z.object({
  productId: z.string(),
  productCode: z.string(),
  name: z.string(),
  /** Unit price in yen (tax-inclusive, as Smaregi's `price`). */
  price: z.number().int().min(0),
  quantity: z.number().int().min(1).max(9999),
});
export type BasketItem = z.infer<typeof BasketItemSchema>;

export const BasketSchema = z.object({
  items: z.array(BasketItemSchema).max(500).default([]),
  /** Typed by the cashier when products are not scanned; overrides the item sum for amount checks. */
  amount: z.number().int().min(0).max(99_999_999).nullable().default(null),
});
export type Basket = z.infer<typeof BasketSchema>;

/** Smaregi awardType: 1 amount off (値引), 2 percent off (割引), 3 free item (商品付与). */
export const AwardTypeSchema = z.enum(['1', '2', '3']);

export const BenefitSchema = z.object({
  awardType: AwardTypeSchema,
  awardValue: z.string(),
  discountYen: z.number().int().min(0),
  /** For 商品付与: the products given. */
  freeItems: z.array(z.object({ productId: z.string(), name: z.string(), price: z.number().int() })).default([]),
});
export type Benefit = z.infer<typeof BenefitSchema>;

export const CouponViewSchema = z.object({
  couponId: z.string(),
  couponName: z.string(),
  couponDivision: z.string(),
  serialNumber: z.string(),
  summary: z.string().nullable(),
  awardType: AwardTypeSchema,
  awardValue: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  minTargetPrice: z.string().nullable(),
  maxTargetPrice: z.string().nullable(),
});
export type CouponView = z.infer<typeof CouponViewSchema>;

export const VerdictSchema = z.enum(['ok', 'rejected', 'blocked']);

/** The answer to a scan: what it is, and for a gift ticket whether it can be redeemed with this basket. */
export const ScanOutcomeSchema = z.object({
  raw: z.string(),
  normalized: z.string(),
  kind: ScanKindSchema,
  prefix: z.string().nullable(),
  couponId: z.string().nullable(),
  coupon: CouponViewSchema.nullable(),
  verdict: VerdictSchema,
  reason: ReasonCodeSchema.nullable(),
  message: z.object({ ja: z.string(), en: z.string() }).nullable(),
  benefit: BenefitSchema.nullable(),
  /** When the scan is a product barcode found in the catalog. */
  product: BasketItemSchema.omit({ quantity: true }).nullable(),
  /** True when the same code was scanned again within the double-scan window and collapsed. */
  duplicate: z.boolean().default(false),
});
export type ScanOutcome = z.infer<typeof ScanOutcomeSchema>;

export const RedemptionStatusSchema = z.enum(['pending', 'redeemed', 'rejected', 'blocked', 'voided', 'unresolved']);

export const RedemptionResultSchema = ScanOutcomeSchema.extend({
  redemptionId: z.string().nullable(),
  status: RedemptionStatusSchema,
  saleId: z.string().nullable(),
});
export type RedemptionResult = z.infer<typeof RedemptionResultSchema>;

export const RedemptionLogEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  source: ScanSourceSchema,
  raw: z.string(),
  normalized: z.string(),
  kind: ScanKindSchema,
  couponId: z.string().nullable(),
  couponName: z.string().nullable(),
  verdict: VerdictSchema,
  reason: ReasonCodeSchema.nullable(),
  status: RedemptionStatusSchema.nullable(),
  redemptionId: z.string().nullable(),
  discountYen: z.number().int().nullable(),
  amountYen: z.number().int().nullable(),
});
export type RedemptionLogEntry = z.infer<typeof RedemptionLogEntrySchema>;

export const LogQuerySchema = z
  .object({
    text: z.string().max(100).default(''),
    verdict: VerdictSchema.nullable().default(null),
    from: z.string().nullable().default(null),
    to: z.string().nullable().default(null),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

export const HidDeviceSchema = z.object({
  path: z.string(),
  vendorId: z.number().int(),
  productId: z.number().int(),
  usagePage: z.number().int(),
  usage: z.number().int(),
  product: z.string().nullable(),
  manufacturer: z.string().nullable(),
  /** Why auto-detect thinks it is a scanner: HID POS usage page, keyboard interface, or the configured ids. */
  likelyScanner: z.boolean(),
  mode: z.enum(['hid-pos', 'hid-keyboard', 'other']),
});
export type HidDevice = z.infer<typeof HidDeviceSchema>;

export const CatalogStatusSchema = z.object({
  coupons: z.number().int(),
  products: z.number().int(),
  refreshedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  refreshing: z.boolean(),
});

export const registerMethods = {
  /**
   * Dry run: classify and evaluate a scan against the basket; nothing is consumed. Local (no network)
   * unless `online`: then a giftee ticket the local rules accept is also verified with giftee
   * (used / expired / unknown → rejected; giftee unreachable → blocked / offline).
   */
  'scan.evaluate': {
    params: z
      .object({
        raw: z.string().max(1000),
        source: ScanSourceSchema.default('manual'),
        basket: BasketSchema.default({ items: [], amount: null }),
        online: z.boolean().default(false),
      })
      .strict(),
    result: ScanOutcomeSchema,
  },
  /** Redeem a gift ticket online: verify, consume (idempotent), record the sale and its outbox row. */
  'redemption.redeem': {
    params: z
      .object({ raw: z.string().max(1000), source: ScanSourceSchema.default('manual'), basket: BasketSchema.default({ items: [], amount: null }) })
      .strict(),
    result: RedemptionResultSchema,
  },
  'redemption.void': { params: z.object({ redemptionId: z.string() }).strict(), result: RedemptionResultSchema },
  'redemption.recent': {
    params: z.object({ limit: z.number().int().min(1).max(50).default(10) }).strict(),
    result: z.array(RedemptionLogEntrySchema),
  },
  'redemption.log': { params: LogQuerySchema, result: z.object({ total: z.number().int(), rows: z.array(RedemptionLogEntrySchema) }) },
  /** CSV (UTF-8 with BOM) of the log rows matching the query. */
  'redemption.exportCsv': { params: LogQuerySchema, result: z.object({ filename: z.string(), csv: z.string() }) },
  'catalog.lookupProduct': {
    params: z.object({ code: z.string().max(100) }).strict(),
    result: BasketItemSchema.omit({ quantity: true }).nullable(),
  },
  'catalog.refresh': { params: z.object({}).strict(), result: CatalogStatusSchema },
  'catalog.status': { params: z.object({}).strict(), result: CatalogStatusSchema },
  'scanner.devices': { params: z.object({}).strict(), result: z.array(HidDeviceSchema) },
} as const;

export const registerEvents = {
  /** A scan decoded from a HID scanner (the renderer evaluates it with its current basket). */
  'scan.received': z.object({ raw: z.string(), source: ScanSourceSchema }),
  'redemption.logged': RedemptionLogEntrySchema,
  catalog: CatalogStatusSchema,
} as const;
