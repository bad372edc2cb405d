/**
 * Settings validation problems as a store manager reads them: the field's label and what the field
 * accepts, in the current language — never zod's English text or an internal path. Pure, for tests.
 */
import type { z } from 'zod';
import {
  RegisterSettingsSchema,
  ScannerSettingsSchema,
  SmaregiSettingsSchema,
  WedgeSettingsSchema,
} from '../shared/contract/settings';
import type { FieldIssue } from './api/client';
import { translate, type Lang, type MessageKey, type Vars } from './i18n/translate';

export type Section = 'smaregi' | 'giftee' | 'scanner' | 'register';

interface FieldSpec {
  label: MessageKey;
  rule: MessageKey;
  vars?: Vars;
}

/** Bounds of a contract field (numbers: value; strings: length), read from the schema itself. */
function bounds(schema: z.ZodType): { min: number; max: number } {
  let s: unknown = schema;
  // Unwrap .default() / .nullable() / .optional() down to the number or string.
  while (s && typeof (s as { unwrap?: unknown }).unwrap === 'function') s = (s as { unwrap(): unknown }).unwrap();
  const t = s as { minValue?: number | null; maxValue?: number | null; minLength?: number | null; maxLength?: number | null };
  return { min: t.minValue ?? t.minLength ?? 0, max: t.maxValue ?? t.maxLength ?? 0 };
}

/** Keyed by the issue's path inside its section, as the engine (and the contract) name it. */
const FIELDS: Record<Section, Record<string, FieldSpec>> = {
  smaregi: {
    contractId: { label: 'settings.smaregi.contractId', rule: 'settings.rule.contractId', vars: bounds(SmaregiSettingsSchema.shape.contractId) },
    clientId: { label: 'settings.smaregi.clientId', rule: 'settings.rule.noSpaces', vars: bounds(SmaregiSettingsSchema.shape.clientId) },
    idBaseUrl: { label: 'settings.smaregi.idBaseUrl', rule: 'settings.rule.url' },
    apiBaseUrl: { label: 'settings.smaregi.apiBaseUrl', rule: 'settings.rule.url' },
    // The contract's digit counts (src/shared/contract/settings.ts: digits(15), digits(9)).
    storeId: { label: 'settings.smaregi.storeId', rule: 'settings.rule.digits', vars: { max: 15 } },
    terminalId: { label: 'settings.smaregi.terminalId', rule: 'settings.rule.digits', vars: { max: 9 } },
    credentialSource: { label: 'settings.credentialSource', rule: 'settings.rule.generic' },
  },
  giftee: {
    baseUrl: { label: 'settings.giftee.baseUrl', rule: 'settings.rule.url' },
    credentialSource: { label: 'settings.credentialSource', rule: 'settings.rule.generic' },
  },
  scanner: {
    vendorId: { label: 'settings.scanner.vendorId', rule: 'settings.hexInvalid' },
    productId: { label: 'settings.scanner.productId', rule: 'settings.hexInvalid' },
    usagePage: { label: 'settings.scanner.usagePage', rule: 'settings.hexInvalid' },
    'wedge.maxGapMs': { label: 'settings.scanner.maxGap', rule: 'settings.rule.intRange', vars: bounds(WedgeSettingsSchema.shape.maxGapMs) },
    'wedge.minLength': { label: 'settings.scanner.minLength', rule: 'settings.rule.intRange', vars: bounds(WedgeSettingsSchema.shape.minLength) },
    'wedge.terminators': { label: 'settings.scanner.terminators', rule: 'settings.rule.terminators' },
    couponCodePrefix: { label: 'settings.scanner.prefix', rule: 'settings.rule.alnum', vars: bounds(ScannerSettingsSchema.shape.couponCodePrefix) },
    doubleScanWindowMs: {
      label: 'settings.scanner.doubleScan',
      rule: 'settings.rule.intRange',
      vars: bounds(ScannerSettingsSchema.shape.doubleScanWindowMs),
    },
    keyboardLayout: { label: 'settings.scanner.layout', rule: 'settings.rule.generic' },
  },
  register: {
    giftSaleProductCode: {
      label: 'settings.register.giftSaleProductCode',
      rule: 'settings.rule.length',
      vars: bounds(RegisterSettingsSchema.shape.giftSaleProductCode),
    },
    rounding: { label: 'settings.register.rounding', rule: 'settings.rule.generic' },
    language: { label: 'settings.register.language', rule: 'settings.rule.generic' },
  },
};

/**
 * The issue path inside a section ("smaregi.apiBaseUrl" → "apiBaseUrl"; a path of another section is
 * kept whole). Issues from the engine and from the renderer's own check carry full or section paths.
 */
export function sectionPath(section: Section, path: string): string {
  return path.startsWith(`${section}.`) ? path.slice(section.length + 1) : path;
}

/** What a field accepts, for the line under the field. */
export function issueText(section: Section, path: string, lang: Lang): string {
  const spec = FIELDS[section][sectionPath(section, path)];
  return translate(lang, spec?.rule ?? 'settings.rule.generic', spec?.vars);
}

/** "APIサーバーURL: http(s):// で始まるURLを入力してください" — for the save bar. */
export function issueLine(section: Section, path: string, lang: Lang): string {
  const spec = FIELDS[section][sectionPath(section, path)];
  const text = issueText(section, path, lang);
  return spec ? `${translate(lang, spec.label)}: ${text}` : text;
}

/** The message of the issue for one field (by its path inside the section), if any. */
export function issueFor(section: Section, issues: readonly FieldIssue[], path: string, lang: Lang): string | null {
  return issues.some((i) => sectionPath(section, i.path) === path) ? issueText(section, path, lang) : null;
}

/** The save bar's list: one line per field, each field once. */
export function issueSummary(section: Section, issues: readonly FieldIssue[], lang: Lang): string {
  const paths = [...new Set(issues.map((i) => sectionPath(section, i.path)))];
  return paths.map((p) => issueLine(section, p, lang)).join(' / ');
}
