import type { RedemptionLogEntry } from '../../shared/contract/register';
import { reasonMessage } from '../../shared/reasons';
import { displayJst, jstCompactDate } from './jst';

/*
 * The redemption log as a CSV a store opens in Excel: UTF-8 with a BOM (without it Excel reads
 * Shift_JIS and garbles the Japanese), CRLF line ends, RFC 4180 quoting, Japanese headers.
 */

export const CSV_BOM = '\uFEFF';

/**
 * One RFC 4180 field: quoted when it holds a quote, comma, CR or LF (quotes doubled). A text that
 * Excel would run as a formula (= + - @ at the start, e.g. from a crafted barcode) gets a leading
 * apostrophe so it shows as text.
 */
export function csvField(value: string | number | null | undefined, opts: { text?: boolean } = {}): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (opts.text !== false && typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A long digit string (a 24-digit ticket code, a 13-digit JAN) that Excel would turn into a number
 * and round to 15 digits (4.11E+23): written as ="..." so it opens as the exact text.
 */
export function csvCode(value: string | null): string | null {
  if (value === null || !/^\d{12,}$/.test(value)) return value;
  return `"=""${value}"""`;
}

type Cell = string | number | null | { raw: string };

/** Rows → CSV text (BOM first, CRLF after every record). A `{raw}` cell is written as it is. */
export function toCsv(header: string[], rows: Array<Array<Cell>>): string {
  const line = (cells: Array<Cell>) => cells.map((c) => (c !== null && typeof c === 'object' ? c.raw : csvField(c))).join(',');
  return CSV_BOM + [line(header), ...rows.map(line)].map((l) => `${l}\r\n`).join('');
}

const KIND_JA: Record<RedemptionLogEntry['kind'], string> = { giftee: 'giftee券', coupon: 'クーポン', product: '商品', unknown: '不明' };
const VERDICT_JA: Record<RedemptionLogEntry['verdict'], string> = { ok: '利用可', rejected: '利用不可', blocked: '保留' };
const STATUS_JA: Record<NonNullable<RedemptionLogEntry['status']>, string> = {
  pending: '処理中',
  redeemed: '利用済み',
  rejected: '利用不可',
  blocked: '保留',
  voided: '取消済み',
  unresolved: '確認中',
};
const SOURCE_JA: Record<RedemptionLogEntry['source'], string> = {
  'hid-pos': 'スキャナ(HID POS)',
  'hid-keyboard': 'スキャナ(キーボード)',
  wedge: 'スキャナ(ウェッジ)',
  manual: '手入力',
  cli: 'CLI',
};

export const LOG_CSV_HEADER = [
  '日時',
  '入力元',
  '読取データ',
  'コード',
  '種別',
  'クーポンID',
  'クーポン名',
  '判定',
  '理由コード',
  '理由',
  '状態',
  '利用ID',
  '割引額(円)',
  '会計金額(円)',
];

function codeCell(value: string): Cell {
  const code = csvCode(value);
  return code !== value && code !== null ? { raw: code } : value;
}

export function logCsv(entries: RedemptionLogEntry[]): string {
  return toCsv(
    LOG_CSV_HEADER,
    entries.map((e) => [
      displayJst(Date.parse(e.at)),
      SOURCE_JA[e.source] ?? e.source,
      codeCell(e.raw),
      codeCell(e.normalized),
      KIND_JA[e.kind] ?? e.kind,
      e.couponId,
      e.couponName,
      VERDICT_JA[e.verdict] ?? e.verdict,
      e.reason,
      e.reason ? reasonMessage(e.reason).ja : null,
      e.status ? (STATUS_JA[e.status] ?? e.status) : null,
      e.redemptionId,
      e.discountYen,
      e.amountYen,
    ]),
  );
}

/** `redemptions-YYYYMMDD.csv` (the JST day of the export). */
export function logCsvFilename(now: Date): string {
  return `redemptions-${jstCompactDate(now.getTime())}.csv`;
}
