import type { SimReply, SimRequest, SimRoute } from '../framework/types';
import { formatJst } from '../framework/time';
import { api } from './auth';
import { Problem } from './problem';
import { applyList, inWindow, parseListParams, pickFields, readWindow } from './query';
import type { SmaregiState, StockHistoryRow, StockRow } from './state';

/* Stock rows, absolute / relative updates and the stock-change history. */

const STOCK_LIMIT = 999_999_999;
const DELTA_LIMIT = 1_999_999_998;
const STOCK_SORT = ['productId', 'storeId', 'stockAmount', 'updDateTime'] as const;
const HISTORY_SORT = ['id', 'updDateTime'] as const;

/** stockDivision codes the simulator writes. */
export const STOCK_DIVISION = { sale: '02', return: '12', apiLink: '15' } as const;

/**
 * Changes one product's stock in one store by `delta` (creating the row at 0 if it never changed)
 * and appends a history record. Returns the row and the record.
 */
export function changeStock(
  state: SmaregiState,
  change: { productId: string; storeId: string; delta: number; division: string; memo: string | null; at: number },
): { row: StockRow; history: StockHistoryRow } {
  const stamp = formatJst(change.at);
  let row = state.stock.find((r) => r.productId === change.productId && r.storeId === change.storeId);
  if (!row) {
    row = { storeId: change.storeId, productId: change.productId, stockAmount: '0', layawayStockAmount: '0', updDateTime: stamp };
    state.stock.push(row);
  }
  row.stockAmount = String(Number(row.stockAmount) + change.delta);
  row.updDateTime = stamp;
  const history: StockHistoryRow = {
    id: String(state.next.stockHistoryId++),
    productId: change.productId,
    storeId: change.storeId,
    amount: String(change.delta),
    stockAmount: row.stockAmount,
    stockDivision: change.division,
    memo: change.memo,
    updDateTime: stamp,
  };
  state.stockHistory.push(history);
  return { row, history };
}

function readStockBody(req: SimRequest, relative: boolean): { storeId: string; amount: number; memo: string | null } {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw new Problem(400, 'リクエストボディはJSONオブジェクトで指定してください');
  }
  const body = b as Record<string, unknown>;
  const errors: string[] = [];
  if (body.storeId === undefined) errors.push('storeId: 必須項目です');
  else if (typeof body.storeId !== 'string' || !/^\d{1,15}$/.test(body.storeId)) {
    errors.push('storeId: 数字の文字列で指定してください');
  }
  const limit = relative ? DELTA_LIMIT : STOCK_LIMIT;
  let amount = 0;
  if (body.stockAmount === undefined) errors.push('stockAmount: 必須項目です');
  else if (typeof body.stockAmount !== 'string' || !/^-?\d{1,10}$/.test(body.stockAmount)) {
    errors.push('stockAmount: 整数の文字列で指定してください');
  } else {
    amount = Number(body.stockAmount);
    if (Math.abs(amount) > limit) errors.push(`stockAmount: -${limit}〜${limit}の範囲で指定してください`);
  }
  let memo: string | null = null;
  if (body.stockHistory !== undefined && body.stockHistory !== null) {
    const h = body.stockHistory as Record<string, unknown>;
    if (typeof h !== 'object' || Array.isArray(h)) errors.push('stockHistory: オブジェクトで指定してください');
    else if (h.memo !== undefined && h.memo !== null) {
      if (typeof h.memo !== 'string') errors.push('stockHistory.memo: 文字列で指定してください');
      else if (h.memo.length > 100) errors.push('stockHistory.memo: 100文字以内で指定してください');
      else memo = h.memo;
    }
  }
  if (errors.length) throw new Problem(400, errors.join(' / '));
  return { storeId: body.storeId as string, amount, memo };
}

function updateStock(req: SimRequest, state: SmaregiState, at: number, relative: boolean): SimReply {
  const { storeId, amount, memo } = readStockBody(req, relative);
  const productId = req.params.productId;
  if (!state.products.some((p) => p.productId === productId)) {
    throw new Problem(404, '指定された商品IDのリソースが見つかりません');
  }
  if (!state.stores.some((s) => s.storeId === storeId)) {
    throw new Problem(400, 'storeId: 指定された店舗IDのリソースが見つかりません');
  }
  const current = Number(state.stock.find((r) => r.productId === productId && r.storeId === storeId)?.stockAmount ?? 0);
  const delta = relative ? amount : amount - current;
  if (Math.abs(current + delta) > STOCK_LIMIT) {
    throw new Problem(400, `stockAmount: 更新後の在庫数が-${STOCK_LIMIT}〜${STOCK_LIMIT}の範囲を超えます`);
  }
  const { row, history } = changeStock(state, {
    productId,
    storeId,
    delta,
    division: STOCK_DIVISION.apiLink,
    memo,
    at,
  });
  return {
    status: 200,
    body: {
      productId,
      storeId,
      stockAmount: row.stockAmount,
      updDateTime: row.updDateTime,
      stockHistory: { id: history.id, memo: history.memo },
    },
  };
}

export function stockRoutes(): SimRoute<SmaregiState>[] {
  return [
    api('GET', '/stock', ['pos.stock:read'], (req, { state }) => {
      const p = parseListParams(req.query, STOCK_SORT);
      const storeId = req.query.get('store_id');
      const productId = req.query.get('product_id');
      const w = readWindow(req.query, 'upd_date_time', 'updDateTime');
      const rows = state.stock.filter(
        (r) =>
          (storeId === null || r.storeId === storeId) && (productId === null || r.productId === productId) && inWindow(r, w),
      );
      return { status: 200, body: applyList(rows, p, ['productId', 'storeId']).map((r) => pickFields(r, p.fields)) };
    }),
    api('GET', '/stock/changes/:productId/:storeId', ['pos.stock:read', 'pos.stock-changes:read'], (req, { state }) => {
      const p = parseListParams(req.query, HISTORY_SORT);
      const { productId, storeId } = req.params;
      if (!state.products.some((x) => x.productId === productId)) {
        throw new Problem(404, '指定された商品IDのリソースが見つかりません');
      }
      if (!state.stores.some((x) => x.storeId === storeId)) {
        throw new Problem(400, '指定された店舗IDのリソースが見つかりません');
      }
      const id = req.query.get('id');
      const rows = state.stockHistory
        .filter((h) => h.productId === productId && h.storeId === storeId && (id === null || h.id === id))
        .sort((a, b) => Number(b.id) - Number(a.id));
      return { status: 200, body: applyList(rows, p, []).map((r) => pickFields(r, p.fields)) };
    }),
    api('PATCH', '/stock/:productId', ['pos.stock:write'], (req, { state, now }) =>
      updateStock(req, state, now(), false),
    ),
    api('POST', '/stock/:productId/add', ['pos.stock:write'], (req, { state, now }) =>
      updateStock(req, state, now(), true),
    ),
  ];
}
