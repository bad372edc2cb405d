import { parseIsoDateTime } from '../framework/time';
import { Problem } from './problem';

/** List parameters shared by every Platform API list endpoint. */
export interface ListParams {
  limit: number;
  page: number;
  sort: Array<{ field: string; desc: boolean }>;
  fields: string[] | null;
}

const WINDOW_LIMIT_MS = 31 * 24 * 3600_000;

function positiveInt(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new Problem(400, `${name}: 整数で指定してください (${raw})`);
  const n = Number(raw);
  if (n < min || n > max) throw new Problem(400, `${name}: ${min}〜${max}の範囲で指定してください (${raw})`);
  return n;
}

export function parseListParams(q: URLSearchParams, sortable: readonly string[]): ListParams {
  const limit = positiveInt(q, 'limit', 100, 1, 1000);
  const page = positiveInt(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const sort: ListParams['sort'] = [];
  const rawSort = q.get('sort');
  if (rawSort !== null) {
    for (const part of rawSort.split(',')) {
      const [field, dir, extra] = part.trim().split(':');
      if (!field || extra !== undefined || (dir !== undefined && dir !== 'desc' && dir !== 'asc')) {
        throw new Problem(400, `sort: 並び順の指定が不正です (${rawSort})`);
      }
      if (!sortable.includes(field)) throw new Problem(400, `sort: ${field} は並び替えに指定できません`);
      sort.push({ field, desc: dir === 'desc' });
    }
  }
  return { limit, page, sort, fields: fieldsParam(q) };
}

/** `fields=a,b` (single-resource GETs take only this one). */
export function fieldsParam(q: URLSearchParams): string[] | null {
  const raw = q.get('fields');
  return raw === null ? null : raw.split(',').map((f) => f.trim()).filter(Boolean);
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const sa = String(a);
  const sb = String(b);
  if (/^-?\d+(\.\d+)?$/.test(sa) && /^-?\d+(\.\d+)?$/.test(sb)) return Number(sa) - Number(sb);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Sorts (given sort, then the default key), then cuts the requested page. */
export function applyList<T extends Record<string, unknown>>(rows: T[], p: ListParams, defaultSort: string[]): T[] {
  const keys = [...p.sort, ...defaultSort.map((field) => ({ field, desc: false }))];
  const sorted = [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = compareValues(a[k.field], b[k.field]);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
  return sorted.slice((p.page - 1) * p.limit, p.page * p.limit);
}

/** `fields=a,b` keeps only those top-level fields (nested `with_*` parts are kept). */
export function pickFields<T extends Record<string, unknown>>(row: T, fields: string[] | null, keep: string[] = []): Row {
  if (!fields) return row;
  const out: Row = {};
  for (const f of [...fields, ...keep]) if (f in row) out[f] = row[f];
  return out;
}
type Row = Record<string, unknown>;

/** A datetime query parameter: ISO 8601 with offset; a raw `+` arrives as a space and is rejected. */
export function dateTimeParam(q: URLSearchParams, name: string): number | null {
  const raw = q.get(name);
  if (raw === null || raw === '') return null;
  const ms = parseIsoDateTime(raw);
  if (ms === null) {
    const hint = raw.includes(' ') ? '（「+」はURLエンコード（%2B）してください）' : '';
    throw new Problem(400, `${name}: 日時の形式が不正です。YYYY-MM-DDThh:mm:ssTZD で指定してください${hint} (${raw})`);
  }
  return ms;
}

export interface Window {
  /** Snake-case query base, e.g. `upd_date_time`. */
  param: string;
  /** camelCase row field, e.g. `updDateTime`. */
  field: string;
  from: number | null;
  to: number | null;
}

/** Reads `<param>-from` / `<param>-to`; an inverted window, or (when `limited`) one over 31 days, is a 400. */
export function readWindow(q: URLSearchParams, param: string, field: string, limited = true): Window {
  const from = dateTimeParam(q, `${param}-from`);
  const to = dateTimeParam(q, `${param}-to`);
  if (from !== null && to !== null) {
    if (to < from) throw new Problem(400, `${param}-to: ${param}-from より前の日時は指定できません`);
    if (limited && to - from > WINDOW_LIMIT_MS) {
      throw new Problem(400, `${param}-from / ${param}-to: 期間は31日以内で指定してください`);
    }
  }
  return { param, field, from, to };
}

export function inWindow(row: Record<string, unknown>, w: Window): boolean {
  if (w.from === null && w.to === null) return true;
  const v = row[w.field];
  const ms = typeof v === 'string' ? parseIsoDateTime(v) : null;
  if (ms === null) return false;
  return (w.from === null || ms >= w.from) && (w.to === null || ms <= w.to);
}
