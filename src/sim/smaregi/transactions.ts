import type { SimReply, SimRequest, SimRoute } from '../framework/types';
import { formatJst, parseIsoDateTime } from '../framework/time';
import { api } from './auth';
import { Problem } from './problem';
import { applyList, fieldsParam, inWindow, parseListParams, pickFields, readWindow, type Window } from './query';
import { changeStock, STOCK_DIVISION } from './stock';
import type { SmaregiState, TransactionRow } from './state';

/*
 * POST /transactions (validated like the real API, no idempotency: a repeated POST is a second sale)
 * and the read side (GET list with a mandatory ≤ 31-day window, GET one).
 */

type Obj = Record<string, unknown>;

const HEAD_DIVISIONS = ['1', '2', '3', '4', '5', '6', '7', '13', '14'];
const DETAIL_DIVISIONS = ['1', '2', '3'];
const INT = /^-?\d{1,12}$/;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const SUMMARY_DETAIL_FIELDS = [
  'transactionHeadId',
  'transactionDetailId',
  'transactionDetailDivision',
  'productId',
  'productCode',
  'productName',
  'salesPrice',
  'quantity',
  'unitDiscountedSum',
];

const HEAD_SORT = [
  'transactionHeadId',
  'transactionDateTime',
  'terminalTranDateTime',
  'updDateTime',
  'storeId',
  'terminalId',
  'terminalTranId',
  'transactionHeadDivision',
  'total',
  'subtotal',
] as const;

/** Windows GET /transactions accepts: query base → row field. */
const WINDOWS: Array<[string, string]> = [
  ['transaction_date_time', 'transactionDateTime'],
  ['terminal_tran_date_time', 'terminalTranDateTime'],
  ['upd_date_time', 'updDateTime'],
];

interface ValidSale {
  body: Obj;
  details: Obj[];
  coupons: Obj[];
}

function validateSale(body: unknown, state: SmaregiState): ValidSale {
  if (!isObj(body)) throw new Problem(400, 'リクエストボディはJSONオブジェクトで指定してください');
  const errors: string[] = [];
  const need = (field: string, v: unknown): v is string => {
    if (v === undefined || v === null || v === '') {
      errors.push(`${field}: 必須項目です`);
      return false;
    }
    if (typeof v !== 'string') {
      errors.push(`${field}: 文字列で指定してください`);
      return false;
    }
    return true;
  };
  const intField = (field: string, v: unknown, required: boolean): number | null => {
    if (v === undefined || v === null) {
      if (required) errors.push(`${field}: 必須項目です`);
      return required ? null : 0;
    }
    if (typeof v !== 'string' || !INT.test(v)) {
      errors.push(`${field}: 整数の文字列で指定してください`);
      return null;
    }
    return Number(v);
  };

  if (need('transactionHeadDivision', body.transactionHeadDivision) && !HEAD_DIVISIONS.includes(body.transactionHeadDivision)) {
    errors.push(`transactionHeadDivision: ${HEAD_DIVISIONS.join(',')} のいずれかを指定してください`);
  }
  if (need('storeId', body.storeId) && !state.stores.some((s) => s.storeId === body.storeId)) {
    errors.push('storeId: 指定された店舗IDのリソースが見つかりません');
  }
  if (need('terminalId', body.terminalId) && !/^\d{1,9}$/.test(body.terminalId)) {
    errors.push('terminalId: 9桁以内の数字で指定してください');
  }
  if (need('terminalTranId', body.terminalTranId) && body.terminalTranId.length > 10) {
    errors.push('terminalTranId: 10文字以内で指定してください');
  }
  if (need('terminalTranDateTime', body.terminalTranDateTime) && parseIsoDateTime(body.terminalTranDateTime) === null) {
    errors.push('terminalTranDateTime: YYYY-MM-DDThh:mm:ssTZD 形式で指定してください');
  }
  if (body.memo !== undefined && body.memo !== null && (typeof body.memo !== 'string' || body.memo.length > 1000)) {
    errors.push('memo: 1000文字以内の文字列で指定してください');
  }
  const subtotal = intField('subtotal', body.subtotal, true);
  const total = intField('total', body.total, true);
  const subtotalDiscount = intField('subtotalDiscountPrice', body.subtotalDiscountPrice, false);
  const pointDiscount = intField('pointDiscount', body.pointDiscount, false);
  const couponDiscount = intField('couponDiscount', body.couponDiscount, false);

  let lineSum: number | null = 0;
  const details: Obj[] = [];
  if (!Array.isArray(body.details) || body.details.length === 0) {
    errors.push('details: 1件以上の明細を指定してください');
    lineSum = null;
  } else {
    const ids = new Set<string>();
    body.details.forEach((d: unknown, i: number) => {
      const at = `details[${i}]`;
      if (!isObj(d)) {
        errors.push(`${at}: オブジェクトで指定してください`);
        lineSum = null;
        return;
      }
      if (need(`${at}.transactionDetailId`, d.transactionDetailId)) {
        if (ids.has(d.transactionDetailId)) errors.push(`${at}.transactionDetailId: 重複しています`);
        ids.add(d.transactionDetailId);
      }
      if (need(`${at}.transactionDetailDivision`, d.transactionDetailDivision) && !DETAIL_DIVISIONS.includes(d.transactionDetailDivision)) {
        errors.push(`${at}.transactionDetailDivision: 1,2,3 のいずれかを指定してください`);
      }
      if (need(`${at}.productId`, d.productId) && !state.products.some((p) => p.productId === d.productId)) {
        errors.push(`${at}.productId: 指定された商品IDのリソースが見つかりません`);
      }
      const price = intField(`${at}.salesPrice`, d.salesPrice, true);
      const qty = intField(`${at}.quantity`, d.quantity, true);
      const disc = intField(`${at}.unitDiscountPrice`, d.unitDiscountPrice, false);
      if (price === null || qty === null || disc === null || lineSum === null) lineSum = null;
      else lineSum += (price - disc) * qty;
      details.push(d);
    });
  }
  if (subtotal !== null && lineSum !== null && subtotal !== lineSum) {
    errors.push(`subtotal: 明細の合計金額 (${lineSum}) と一致しません (${subtotal})`);
  }
  if (subtotal !== null && total !== null && subtotalDiscount !== null && pointDiscount !== null && couponDiscount !== null) {
    const expected = subtotal - subtotalDiscount - pointDiscount - couponDiscount;
    if (total !== expected) {
      errors.push(`total: 小計 - 小計値引 - ポイント値引 - クーポン値引 (${expected}) と一致しません (${total})`);
    }
  }

  const coupons: Obj[] = [];
  if (body.coupons !== undefined && body.coupons !== null) {
    if (!Array.isArray(body.coupons)) errors.push('coupons: 配列で指定してください');
    else {
      body.coupons.forEach((c: unknown, i: number) => {
        const at = `coupons[${i}]`;
        if (!isObj(c)) {
          errors.push(`${at}: オブジェクトで指定してください`);
          return;
        }
        if (need(`${at}.couponId`, c.couponId) && !state.coupons.some((x) => x.couponId === c.couponId)) {
          errors.push(`${at}.couponId: 指定されたクーポンIDのリソースが見つかりません`);
        }
        intField(`${at}.discountPrice`, c.discountPrice, true);
        coupons.push(c);
      });
    }
  }
  if (errors.length) throw new Problem(400, errors.join(' / '));
  return { body, details, coupons };
}

function createSale(state: SmaregiState, sale: ValidSale, at: number): TransactionRow {
  const { body } = sale;
  const id = String(state.next.transactionHeadId++);
  const stamp = formatJst(at);
  const store = state.stores.find((s) => s.storeId === body.storeId)!;
  let nonDiscount = 0;
  let unitDiscount = 0;
  let amount = 0;
  const details = sale.details.map((d): Obj => {
    const product = state.products.find((p) => p.productId === d.productId)!;
    const price = Number(d.salesPrice);
    const qty = Number(d.quantity);
    const disc = Number(d.unitDiscountPrice ?? 0);
    nonDiscount += price * qty;
    unitDiscount += disc * qty;
    amount += qty;
    return {
      ...d,
      transactionHeadId: id,
      parentTransactionDetailId: d.parentTransactionDetailId ?? null,
      productCode: product.productCode,
      productName: product.productName,
      taxDivision: d.taxDivision ?? product.taxDivision ?? '0',
      price: d.price ?? product.price,
      unitDiscountPrice: String(disc),
      unitNonDiscountSum: String(price * qty),
      unitDiscountSum: String(disc * qty),
      unitDiscountedSum: String((price - disc) * qty),
      categoryId: d.categoryId ?? product.categoryId ?? null,
    };
  });
  const coupons = sale.coupons.map((c) => {
    const coupon = state.coupons.find((x) => x.couponId === c.couponId)!;
    coupon.usageCount += 1;
    return {
      transactionCouponId: String(state.next.transactionCouponId++),
      couponId: coupon.couponId,
      couponName: coupon.couponName,
      couponDivision: coupon.couponDivision,
      serialNumber: coupon.serialNumber,
      awardType: coupon.awardType,
      awardValue: coupon.awardValue,
      discountPrice: c.discountPrice,
    };
  });
  // Server-assigned fields can't be set by the client.
  const { details: _d, coupons: _c, transactionHeadId: _i, transactionDateTime: _t, updDateTime: _u, ...rest } = body;
  const head: TransactionRow = {
    transactionHeadId: id,
    transactionDateTime: stamp,
    ...rest,
    transactionHeadDivision: body.transactionHeadDivision,
    cancelDivision: body.cancelDivision ?? '0',
    unitNonDiscountsubtotal: String(nonDiscount),
    unitDiscountsubtotal: String(unitDiscount),
    subtotal: body.subtotal,
    subtotalDiscountPrice: body.subtotalDiscountPrice ?? '0',
    pointDiscount: body.pointDiscount ?? '0',
    couponDiscount: body.couponDiscount ?? '0',
    total: body.total,
    amount: String(amount),
    storeId: store.storeId,
    storeCode: store.storeCode ?? null,
    terminalId: body.terminalId as string,
    terminalTranId: body.terminalTranId,
    terminalTranDateTime: body.terminalTranDateTime as string,
    memo: body.memo ?? null,
    returnSales: '0',
    disposeDivision: '0',
    disposeServerTransactionHeadId: null,
    updDateTime: stamp,
    details,
    coupons,
  };
  state.transactions.push(head);

  // A sale moves stock: each line's quantity leaves the store (a return line comes back).
  if (head.transactionHeadDivision === '1') {
    const deltas = new Map<string, number>();
    for (const d of details) {
      const qty = Number(d.quantity);
      const delta = d.transactionDetailDivision === '2' ? Math.abs(qty) : -qty;
      deltas.set(String(d.productId), (deltas.get(String(d.productId)) ?? 0) + delta);
    }
    for (const [productId, delta] of deltas) {
      if (delta === 0) continue;
      changeStock(state, {
        productId,
        storeId: store.storeId,
        delta,
        division: delta < 0 ? STOCK_DIVISION.sale : STOCK_DIVISION.return,
        memo: null,
        at,
      });
    }
  }
  return head;
}

function withParam(q: URLSearchParams, name: string, allowed: string[]): string {
  const v = q.get(name) ?? 'none';
  if (!allowed.includes(v)) throw new Problem(400, `${name}: ${allowed.join(', ')} のいずれかを指定してください (${v})`);
  return v;
}

export function renderTransaction(
  t: TransactionRow,
  opts: { details: string; coupons: boolean; fields: string[] | null },
): Obj {
  const { details, coupons, ...head } = t;
  const out: Obj = pickFields(head, opts.fields);
  if (opts.details === 'all') out.details = details;
  else if (opts.details === 'summary') out.details = details.map((d) => pickFields(d, SUMMARY_DETAIL_FIELDS));
  if (opts.coupons) out.coupons = coupons;
  return out;
}

function listTransactions(req: SimRequest, state: SmaregiState): SimReply {
  const q = req.query;
  const windows: Window[] = [];
  for (const [param, field] of WINDOWS) {
    const hasFrom = q.has(`${param}-from`);
    const hasTo = q.has(`${param}-to`);
    if (hasFrom !== hasTo) {
      throw new Problem(400, `${param}-from と ${param}-to は両方指定してください`);
    }
    if (hasFrom) windows.push(readWindow(q, param, field));
  }
  if (windows.length === 0) {
    throw new Problem(
      400,
      '期間（transaction_date_time-from/-to、terminal_tran_date_time-from/-to、upd_date_time-from/-to のいずれか）を指定してください',
    );
  }
  const p = parseListParams(q, HEAD_SORT);
  const details = withParam(q, 'with_details', ['none', 'summary', 'all']);
  const coupons = withParam(q, 'with_coupons', ['none', 'all']) === 'all';
  const idFrom = q.get('transaction_head_id-from');
  const idTo = q.get('transaction_head_id-to');
  for (const [name, v] of [['transaction_head_id-from', idFrom], ['transaction_head_id-to', idTo]] as const) {
    if (v !== null && !/^\d{1,15}$/.test(v)) throw new Problem(400, `${name}: 数字で指定してください (${v})`);
  }
  const eq: Array<[string, string]> = [
    ['store_id', 'storeId'],
    ['terminal_id', 'terminalId'],
    ['transaction_head_division', 'transactionHeadDivision'],
    ['customer_code', 'customerCode'],
  ];
  const rows = state.transactions.filter((t) => {
    if (!windows.every((w) => inWindow(t, w))) return false;
    if (idFrom !== null && Number(t.transactionHeadId) < Number(idFrom)) return false;
    if (idTo !== null && Number(t.transactionHeadId) > Number(idTo)) return false;
    return eq.every(([param, field]) => !q.has(param) || t[field] === q.get(param));
  });
  return {
    status: 200,
    body: applyList(rows, p, ['transactionHeadId']).map((t) => renderTransaction(t, { details, coupons, fields: p.fields })),
  };
}

export function transactionRoutes(): SimRoute<SmaregiState>[] {
  return [
    api('GET', '/transactions', ['pos.transactions:read'], (req, { state }) => listTransactions(req, state)),
    api('POST', '/transactions', ['pos.transactions:write'], (req, { state, now }) => {
      const sale = validateSale(req.body, state);
      const head = createSale(state, sale, now());
      return { status: 200, body: renderTransaction(head, { details: 'all', coupons: true, fields: null }) };
    }),
    // 取消: the sale becomes cancelled (no offsetting record) and its stock comes back. Cancelling
    // twice is an error, as a real API would not silently accept it: callers must check first.
    api('POST', '/transactions/:transactionHeadId/cancel', ['pos.transactions:write'], (req, { state, now }) => {
      const t = state.transactions.find((x) => x.transactionHeadId === req.params.transactionHeadId);
      if (!t) throw new Problem(404, '指定されたIDのリソースが見つかりません');
      if (t.cancelDivision === '1') throw new Problem(400, '既に取消済みの取引です');
      const at = now();
      t.cancelDivision = '1';
      t.cancelDateTime = formatJst(at);
      t.updDateTime = formatJst(at);
      if (t.transactionHeadDivision === '1') {
        for (const d of (t.details ?? []) as Array<Record<string, unknown>>) {
          const qty = Number(d.quantity);
          const delta = d.transactionDetailDivision === '2' ? -Math.abs(qty) : qty;
          if (delta !== 0) changeStock(state, { productId: String(d.productId), storeId: t.storeId, delta, division: STOCK_DIVISION.return, memo: null, at });
        }
      }
      return { status: 200, body: renderTransaction(t, { details: 'none', coupons: false, fields: null }) };
    }),
    api('GET', '/transactions/:transactionHeadId', ['pos.transactions:read'], (req, { state }) => {
      const t = state.transactions.find((x) => x.transactionHeadId === req.params.transactionHeadId);
      if (!t) throw new Problem(404, '指定されたIDのリソースが見つかりません');
      return {
        status: 200,
        body: renderTransaction(t, {
          details: withParam(req.query, 'with_details', ['none', 'summary', 'all']),
          coupons: withParam(req.query, 'with_coupons', ['none', 'all']) === 'all',
          fields: fieldsParam(req.query),
        }),
      };
    }),
  ];
}
