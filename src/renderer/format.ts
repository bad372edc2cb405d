import type { Benefit, CouponView, ReasonCode } from '../shared/contract';
import { REASON_MESSAGES } from '../shared/reasons';
import { translate, type Lang, type MessageKey } from './i18n/translate';

/** 1234 → "1,234円" (ja) / "¥1,234" (en). Negative amounts keep their sign in front. */
export function formatYen(n: number, lang: Lang): string {
  const abs = Math.abs(Math.trunc(n)).toLocaleString('en-US');
  const s = translate(lang, 'common.yen', { n: abs });
  return n < 0 ? `−${s}` : s;
}

/** A number given as a string by the API ("10", "10.0", "500"): shown without needless decimals. */
export function formatDecimal(value: string): string {
  const n = Number(value);
  if (!Number.isFinite(n) || value.trim() === '') return value;
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** 値引 500円 / 10%割引（−120円）/ 商品付与: name — and the English equivalents. */
export function formatBenefit(benefit: Benefit, lang: Lang): string {
  switch (benefit.awardType) {
    case '1': {
      const value = Number(benefit.awardValue);
      return translate(lang, 'benefit.amountOff', {
        value: Number.isFinite(value) ? formatYen(value, lang) : benefit.awardValue,
      });
    }
    case '2':
      return translate(lang, 'benefit.percentOff', {
        value: formatDecimal(benefit.awardValue),
        discount: formatYen(benefit.discountYen, lang),
      });
    case '3': {
      // The engine counts the given product's regular price as the discount: shown when it is known.
      const names = benefit.freeItems.map((i) => i.name).filter((n) => n !== '');
      const items = names.length > 0 ? names.join('、') : benefit.awardValue;
      return benefit.discountYen > 0
        ? translate(lang, 'benefit.freeItemDiscount', { items, discount: formatYen(benefit.discountYen, lang) })
        : translate(lang, 'benefit.freeItem', { items });
    }
  }
}

/** A coupon's nominal benefit, when no amount is known yet (値引 500円 / 10%割引 / 商品付与). */
export function formatCouponBenefit(coupon: Pick<CouponView, 'awardType' | 'awardValue'>, lang: Lang): string {
  switch (coupon.awardType) {
    case '1': {
      const value = Number(coupon.awardValue);
      return translate(lang, 'benefit.amountOff', { value: Number.isFinite(value) ? formatYen(value, lang) : coupon.awardValue });
    }
    case '2':
      return translate(lang, 'benefit.percentOffPlain', { value: formatDecimal(coupon.awardValue) });
    case '3':
      return translate(lang, 'benefit.freeItemPlain');
  }
}

/**
 * A coupon's conditions, so the cashier sees why an amount is refused: "1,000円以上・20,000円以下・
 * 2030-12-31まで" / "from ¥1,000 · up to ¥20,000 · until 2030-12-31". Empty when it has none.
 */
export function formatCouponConditions(coupon: Pick<CouponView, 'minTargetPrice' | 'maxTargetPrice' | 'endDate'>, lang: Lang): string {
  const parts: string[] = [];
  const yen = (v: string | null) => (v !== null && v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : null);
  const min = yen(coupon.minTargetPrice);
  const max = yen(coupon.maxTargetPrice);
  if (min !== null) parts.push(translate(lang, 'coupon.min', { value: formatYen(min, lang) }));
  if (max !== null) parts.push(translate(lang, 'coupon.max', { value: formatYen(max, lang) }));
  if (coupon.endDate) parts.push(translate(lang, 'coupon.until', { date: coupon.endDate.slice(0, 10) }));
  return parts.join(translate(lang, 'coupon.sep'));
}

export function reasonText(code: ReasonCode, lang: Lang): string {
  return REASON_MESSAGES[code]?.[lang] ?? code;
}

/** Seconds → "45秒" / "2分5秒" (ja) or "45 s" / "2 min 5 s" (en). */
export function formatDuration(seconds: number, lang: Lang): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return translate(lang, 'common.seconds', { n: s });
  return translate(lang, 'common.minutes', { m: Math.floor(s / 60), s: s % 60 });
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** An ISO timestamp in local time, "2025-11-23 14:05:09"; anything unparsable is shown as given. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatTime(iso: string | null | undefined): string {
  const s = formatDateTime(iso);
  return s.length === 19 ? s.slice(11) : s;
}

/** Group a 24-digit giftee code for reading aloud: "1234567 8901 2345 6789 0123". */
export function formatCode(code: string): string {
  if (!/^[0-9]{24}$/.test(code)) return code;
  return `${code.slice(0, 7)} ${code.slice(7, 11)} ${code.slice(11, 15)} ${code.slice(15, 19)} ${code.slice(19, 24)}`;
}

/** A typed amount field → yen, or null when empty; anything but digits (commas and ¥ are allowed) is invalid. */
export function parseAmount(text: string): number | null | 'invalid' {
  const cleaned = text.replace(/[,\s¥円]/g, '').replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (cleaned === '') return null;
  if (!/^[0-9]{1,8}$/.test(cleaned)) return 'invalid';
  return Number(cleaned);
}

/** "0C2E" / "0x0c2e" → 3118; "" → null; anything else → 'invalid'. */
export function parseHex(text: string): number | null | 'invalid' {
  const t = text.trim().replace(/^0x/i, '');
  if (t === '') return null;
  if (!/^[0-9a-fA-F]{1,4}$/.test(t)) return 'invalid';
  return parseInt(t, 16);
}

export function formatHex(n: number | null): string {
  return n === null ? '' : n.toString(16).toUpperCase().padStart(4, '0');
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/**
 * One language of an engine message written "日本語 / English" (the engine's convention for
 * cashier-facing errors): the Japanese part is everything before the first " / " after which no
 * Japanese is left. A message not in that form is shown as it is.
 */
export function inLanguage(message: string, lang: Lang): string {
  const parts = message.split(' / ');
  for (let k = 1; k < parts.length; k++) {
    const ja = parts.slice(0, k).join(' / ');
    const en = parts.slice(k).join(' / ');
    if (JAPANESE.test(ja) && !JAPANESE.test(en)) return (lang === 'ja' ? ja : en).trim();
  }
  return message;
}

/** A name from the dictionary under `prefix`, or null when the dictionary has none for `id`. */
function named(lang: Lang, prefix: string, id: string): string | null {
  const key = `${prefix}${id}` as MessageKey;
  const text = translate(lang, key);
  return text === key ? null : text;
}

/** "smaregi" → スマレジ / Smaregi; an id the dictionary does not know is shown as it is. */
export function systemName(id: string, lang: Lang): string {
  return named(lang, 'system.', id) ?? id;
}

/** An outbox / history kind ("smaregi.transaction.cancel") → 取引の取消 / Transaction cancellation; unknown kinds as they are. */
export function syncKindName(kind: string, lang: Lang): string {
  return named(lang, 'sync.kind.', kind) ?? kind;
}
