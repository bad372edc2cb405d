import { z } from 'zod';
import { SystemIdSchema } from './status';

const url = z.url({ protocol: /^https?$/ });

/**
 * Where a channel's credentials come from: the OS keychain (a real store), or the simulators'
 * published test credentials (demo mode and `connect-sim`), which are not secrets at all.
 */
export const CredentialSourceSchema = z.enum(['keychain', 'simulator']);

/** Smaregi ids are strings of digits (storeId ≤ 15 digits, terminalId ≤ 9); empty = not set yet. */
const digits = (max: number) => z.string().regex(new RegExp(`^\\d{0,${max}}$`), `digits only, at most ${max}`);

export const SmaregiSettingsSchema = z.object({
  contractId: z.string().max(64).regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only').default(''),
  clientId: z.string().max(128).regex(/^[\x21-\x7e]*$/, 'no spaces').default(''),
  idBaseUrl: url.or(z.literal('')).default(''),
  apiBaseUrl: url.or(z.literal('')).default(''),
  storeId: digits(15).default(''),
  terminalId: digits(9).default(''),
  credentialSource: CredentialSourceSchema.default('keychain'),
});

export const GifteeSettingsSchema = z.object({
  baseUrl: url.or(z.literal('')).default(''),
  credentialSource: CredentialSourceSchema.default('keychain'),
});

export const WedgeSettingsSchema = z.object({
  /** A gap longer than this between two keys means a human is typing. */
  maxGapMs: z.number().int().min(5).max(500).default(30),
  minLength: z.number().int().min(1).max(100).default(8),
  terminators: z.array(z.enum(['Enter', 'Tab'])).min(1).default(['Enter', 'Tab']),
});

export type WedgeSettings = z.infer<typeof WedgeSettingsSchema>;

export const ScannerSettingsSchema = z.object({
  vendorId: z.number().int().min(0).max(0xffff).nullable().default(null),
  productId: z.number().int().min(0).max(0xffff).nullable().default(null),
  usagePage: z.number().int().min(0).max(0xffff).nullable().default(null),
  autoDetect: z.boolean().default(true),
  keyboardLayout: z.enum(['us', 'jis']).default('jis'),
  wedge: WedgeSettingsSchema.default(WedgeSettingsSchema.parse({})),
  /** Smaregi's クーポンコード接頭辞: scans starting with it are coupon codes. Empty = not used. */
  couponCodePrefix: z.string().max(20).regex(/^[0-9A-Za-z]*$/).default(''),
  doubleScanWindowMs: z.number().int().min(0).max(10_000).default(1_500),
});

export const RegisterSettingsSchema = z.object({
  rounding: z.enum(['floor', 'round', 'ceil']).default('floor'),
  language: z.enum(['ja', 'en']).default('ja'),
  /**
   * Smaregi product used for the sale line when the cashier types only an amount: Smaregi needs a
   * product on every line. Register one such product (e.g. 「ギフト券ご利用」, price 0) in Smaregi.
   */
  giftSaleProductCode: z.string().min(1).max(20).default('GIFTEE-SALE'),
});

export const SettingsSchema = z.object({
  smaregi: SmaregiSettingsSchema.default(SmaregiSettingsSchema.parse({})),
  giftee: GifteeSettingsSchema.default(GifteeSettingsSchema.parse({})),
  scanner: ScannerSettingsSchema.default(ScannerSettingsSchema.parse({})),
  register: RegisterSettingsSchema.default(RegisterSettingsSchema.parse({})),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

type Undefaulted<T> = T extends z.ZodDefault<infer I> ? I : T;
type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<Undefaulted<S[K]>> };

/**
 * A section's fields, each optional and WITHOUT its default: zod's `.partial()` keeps `.default()`,
 * which would fill every field the caller left out and so reset it.
 */
function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<PatchShape<S>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    shape[key] = (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional();
  }
  return z.object(shape).strict() as unknown as z.ZodObject<PatchShape<S>>;
}

/** A partial update: each section may be given in part; what is left out keeps its value. */
export const SettingsPatchSchema = z
  .object({
    smaregi: patchOf(SmaregiSettingsSchema).optional(),
    giftee: patchOf(GifteeSettingsSchema).optional(),
    scanner: patchOf(ScannerSettingsSchema).optional(),
    register: patchOf(RegisterSettingsSchema).optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Every secret the app knows. Values live only in the OS keychain. */
export const SecretKeySchema = z.enum(['smaregi.clientSecret', 'giftee.accessToken']);
export type SecretKey = z.infer<typeof SecretKeySchema>;

/** What the renderer may know of a secret: whether it is set, and a masked hint. */
export const SecretViewSchema = z.object({ set: z.boolean(), masked: z.string() });
export type SecretView = z.infer<typeof SecretViewSchema>;

export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  secrets: z.record(SecretKeySchema, SecretViewSchema),
  secretStore: z.object({ available: z.boolean(), message: z.string().nullable() }),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const ConnectionTestSchema = z.object({
  system: SystemIdSchema,
  ok: z.boolean(),
  latencyMs: z.number().nullable(),
  message: z.string(),
});
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>;

export const settingsMethods = {
  'settings.get': { params: z.object({}).strict(), result: SettingsViewSchema },
  'settings.update': { params: SettingsPatchSchema, result: SettingsViewSchema },
  'secrets.set': {
    params: z.object({ key: SecretKeySchema, value: z.string().min(1).max(4096) }).strict(),
    result: SettingsViewSchema,
  },
  'secrets.clear': { params: z.object({ key: SecretKeySchema }).strict(), result: SettingsViewSchema },
  'settings.testConnection': { params: z.object({ system: SystemIdSchema }).strict(), result: ConnectionTestSchema },
} as const;

export const settingsEvents = {
  settings: SettingsViewSchema,
} as const;
