import { afterEach, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/framework/server';
import { DEMO_SEED } from '../../src/sim/seed';
import { startSmaregiSim, type SmaregiSeedInput, type SmaregiState } from '../../src/sim/smaregi';
import { basic, getToken, json, post, saleBody, SMAREGI, smaregiClient } from './helpers';

let sim: SimServer<SmaregiState> | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function start(seed: SmaregiSeedInput = DEMO_SEED.smaregi!) {
  sim = await startSmaregiSim(seed);
  const token = await getToken(sim.url);
  return { sim, api: smaregiClient(sim.url, token), token };
}

const tokenUrl = (base: string, contract: string = SMAREGI.contractId) => `${base}/app/${contract}/token`;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('smaregi sim: token flow', () => {
  it('issues a Bearer token for the right client and refuses a wrong one', async () => {
    sim = await startSmaregiSim(DEMO_SEED.smaregi!);
    const ok = await fetch(tokenUrl(sim.url), {
      method: 'POST',
      headers: { authorization: basic(), ...form },
      body: 'grant_type=client_credentials&scope=pos.products%3Aread+pos.stores%3Aread',
    });
    expect(ok.status).toBe(200);
    const body = await json(ok);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'pos.products:read pos.stores:read' });
    expect(body.access_token).toMatch(/^[0-9a-f]{48}$/);

    const wrong = await fetch(tokenUrl(sim.url), {
      method: 'POST',
      headers: { authorization: basic(SMAREGI.clientId, 'nope'), ...form },
      body: 'grant_type=client_credentials&scope=pos.products:read',
    });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error).toBe('invalid_client');

    const none = await fetch(tokenUrl(sim.url), { method: 'POST', headers: form, body: 'grant_type=client_credentials&scope=pos.products:read' });
    expect(none.status).toBe(401);

    const contract = await fetch(tokenUrl(sim.url, 'sb_other'), {
      method: 'POST',
      headers: { authorization: basic(), ...form },
      body: 'grant_type=client_credentials&scope=pos.products:read',
    });
    expect(contract.status).toBe(404);

    const grant = await fetch(tokenUrl(sim.url), {
      method: 'POST',
      headers: { authorization: basic(), ...form },
      body: 'grant_type=password&scope=pos.products:read',
    });
    expect((await json(grant)).error).toBe('unsupported_grant_type');

    const scope = await fetch(tokenUrl(sim.url), { method: 'POST', headers: { authorization: basic(), ...form }, body: 'grant_type=client_credentials' });
    expect(scope.status).toBe(400);
    expect((await json(scope)).error).toBe('invalid_scope');
  });

  it('uses seed credentials when given', async () => {
    sim = await startSmaregiSim({ contractId: 'sb_x', clientId: 'cid', clientSecret: 'sec', tokenTtlSeconds: 60 });
    const r = await fetch(tokenUrl(sim.url, 'sb_x'), {
      method: 'POST',
      headers: { authorization: basic('cid', 'sec'), ...form },
      body: 'grant_type=client_credentials&scope=pos.stores:read',
    });
    expect((await json(r)).expires_in).toBe(60);
  });

  it('resource paths need a valid, unexpired Bearer token for this contract, with the right scope', async () => {
    const { sim: s, api, token } = await start();
    const stores = `${s.url}/${SMAREGI.contractId}/pos/stores`;
    const missing = await fetch(stores);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect(await json(missing)).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401 });
    expect((await fetch(stores, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${s.url}/sb_other/pos/stores`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await api('/stores')).status).toBe(200);

    const readOnly = smaregiClient(s.url, await getToken(s.url, 'pos.stores:read'));
    const forbidden = await readOnly('/transactions', { method: 'POST', body: saleBody() });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toContain('pos.transactions:write');

    await post(`${s.url}/__sim/clock`, { advanceSeconds: 3601 });
    const expired = await api('/stores');
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toContain('有効期限');
  });

  it('unknown routes are 404 problem JSON', async () => {
    const { api } = await start();
    const r = await api('/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ type: 'about:blank', status: 404 });
  });
});

describe('smaregi sim: catalog and list conventions', () => {
  it('returns stores, products and coupons with numbers as strings', async () => {
    const { api } = await start();
    const stores = await api('/stores');
    expect(stores.body.map((s: any) => s.storeName)).toEqual(['渋谷店', '新宿店']);
    expect((await api('/stores/2')).body.storeName).toBe('新宿店');
    expect((await api('/stores/99')).status).toBe(404);

    const products = await api('/products');
    expect(products.body).toHaveLength(13); // 12 goods + the amount-only sale product
    expect(typeof products.body[0].price).toBe('string');
    const byCode = await api('/products', { query: { product_code: products.body[3].productCode } });
    expect(byCode.body).toEqual([products.body[3]]);
    expect((await api('/products/1001')).body.productId).toBe('1001');
    expect((await api('/products/9')).status).toBe(404);

    const coupons = await api('/coupons');
    expect(coupons.body.length).toBeGreaterThanOrEqual(7);
    expect(coupons.body[0]).not.toHaveProperty('usageCount');
    expect(coupons.body[0]).toHaveProperty('serialNumber');
    const target = coupons.body.find((c: any) => c.applyConditionDivision === '1');
    const items = await api(`/coupons/${target.couponId}/products`);
    expect(items.status).toBe(200);
    expect(items.body[0]).toEqual(
      expect.objectContaining({ couponProductId: expect.any(String), division: expect.any(String), itemId: expect.any(String), type: '1' }),
    );
    expect((await api('/coupons/999')).status).toBe(404);
    expect((await api('/coupons/999/products')).status).toBe(404);
  });

  it('pages with limit/page, sorts with field[:desc], rejects out-of-range limits', async () => {
    const { api } = await start();
    const p1 = await api('/products', { query: { limit: '5', page: '1' } });
    const p3 = await api('/products', { query: { limit: '5', page: '3' } });
    const p4 = await api('/products', { query: { limit: '5', page: '4' } });
    expect(p1.body.map((p: any) => p.productId)).toEqual(['1001', '1002', '1003', '1004', '1005']);
    expect(p3.body).toHaveLength(3);
    expect(p4.body).toEqual([]);
    const desc = await api('/products', { query: { sort: 'price:desc', limit: '1' } });
    expect(desc.body[0].price).toBe('2750');
    const multi = await api('/products', { query: { sort: 'categoryId:desc,productId:desc', limit: '2' } });
    expect(multi.body.map((p: any) => p.productId)).toEqual(['1013', '1012']);
    for (const limit of ['0', '1001', 'abc', '-1']) {
      const r = await api('/products', { query: { limit } });
      expect(r.status, limit).toBe(400);
      expect(r.body.detail).toContain('limit');
    }
    expect((await api('/products', { query: { limit: '1000' } })).status).toBe(200);
    expect((await api('/products', { query: { page: '0' } })).status).toBe(400);
    expect((await api('/products', { query: { sort: 'nonsense' } })).status).toBe(400);
    const fields = await api('/products', { query: { fields: 'productId,price', limit: '1' } });
    expect(fields.body).toEqual([{ productId: '1001', price: '1280' }]);
  });
});

describe('smaregi sim: stock', () => {
  it('lists stock rows; a product/store row exists only after its first change', async () => {
    const { api } = await start();
    const shinjuku = await api('/stock', { query: { store_id: '2', product_id: '1012' } });
    expect(shinjuku.body).toEqual([]);
    const row = await api('/stock', { query: { store_id: '1', product_id: '1001' } });
    expect(row.body).toEqual([
      expect.objectContaining({ storeId: '1', productId: '1001', stockAmount: expect.any(String), updDateTime: expect.any(String) }),
    ]);
    const added = await api('/stock/1012/add', { method: 'POST', body: { storeId: '2', stockAmount: '4' } });
    expect(added.body.stockAmount).toBe('4');
    expect((await api('/stock', { query: { store_id: '2', product_id: '1012' } })).body).toHaveLength(1);
  });

  it('PATCH sets absolutely, /add changes relatively, both write history (newest first)', async () => {
    const { api } = await start();
    const set = await api('/stock/1001', { method: 'PATCH', body: { storeId: '1', stockAmount: '10', stockHistory: { memo: '棚卸' } } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ productId: '1001', storeId: '1', stockAmount: '10', stockHistory: { memo: '棚卸' } });
    expect(set.body.updDateTime).toMatch(/\+09:00$/);
    const add = await api('/stock/1001/add', { method: 'POST', body: { storeId: '1', stockAmount: '-3' } });
    expect(add.body.stockAmount).toBe('7');
    const history = await api('/stock/changes/1001/1');
    expect(history.body).toHaveLength(2);
    expect(history.body[0]).toMatchObject({
      id: add.body.stockHistory.id,
      productId: '1001',
      storeId: '1',
      amount: '-3',
      stockAmount: '7',
      stockDivision: '15',
    });
    expect(history.body[1]).toMatchObject({ stockAmount: '10', memo: '棚卸', stockDivision: '15' });
    const one = await api('/stock/changes/1001/1', { query: { id: set.body.stockHistory.id } });
    expect(one.body).toHaveLength(1);
    expect((await api('/stock/changes/1001/1', { query: { limit: '1', page: '2' } })).body[0].stockAmount).toBe('10');
  });

  it('rejects unknown products (404), unknown stores (400) and bad bodies (400)', async () => {
    const { api } = await start();
    expect((await api('/stock/9999', { method: 'PATCH', body: { storeId: '1', stockAmount: '1' } })).status).toBe(404);
    const store = await api('/stock/1001', { method: 'PATCH', body: { storeId: '77', stockAmount: '1' } });
    expect(store.status).toBe(400);
    expect(store.body.detail).toContain('店舗');
    const numeric = await api('/stock/1001', { method: 'PATCH', body: { storeId: '1', stockAmount: 5 } });
    expect(numeric.status).toBe(400);
    expect(numeric.body.detail).toContain('stockAmount');
    expect((await api('/stock/1001', { method: 'PATCH', body: { stockAmount: '1' } })).body.detail).toContain('storeId');
    expect((await api('/stock/1001/add', { method: 'POST', body: { storeId: '1', stockAmount: '999999999' } })).status).toBe(400);
    const memo = await api('/stock/1001', { method: 'PATCH', body: { storeId: '1', stockAmount: '1', stockHistory: { memo: 'x'.repeat(101) } } });
    expect(memo.body.detail).toContain('memo');
  });

  it('the stock list honours the 31-day upd_date_time window', async () => {
    const { api } = await start();
    const ok = await api('/stock', {
      query: { 'upd_date_time-from': '2020-01-01T00:00:00+09:00', 'upd_date_time-to': '2020-01-31T00:00:00+09:00' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual([]);
    const tooLong = await api('/stock', {
      query: { 'upd_date_time-from': '2020-01-01T00:00:00+09:00', 'upd_date_time-to': '2020-03-01T00:00:00+09:00' },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.detail).toContain('31日');
  });
});

describe('smaregi sim: transactions', () => {
  it('creates a sale: increasing ids, JST server time, stock decremented with a "02" history entry', async () => {
    const { api, sim: s } = await start();
    const before = Number((await api('/stock', { query: { store_id: '1', product_id: '1001' } })).body[0].stockAmount);
    const a = await api('/transactions', { method: 'POST', body: saleBody() });
    expect(a.status).toBe(200);
    expect(a.body.transactionHeadId).toBe('1');
    expect(a.body.transactionDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    expect(a.body).toMatchObject({ subtotal: '2560', total: '2560', storeId: '1', terminalTranId: 'T0001' });
    const after = Number((await api('/stock', { query: { store_id: '1', product_id: '1001' } })).body[0].stockAmount);
    expect(after).toBe(before - 2);
    const history = await api('/stock/changes/1001/1');
    expect(history.body[0]).toMatchObject({ amount: '-2', stockDivision: '02' });
    expect(s.state().transactions).toHaveLength(1);
  });

  it('has no idempotency: the same POST twice is two transactions (an Idempotency-Key header changes nothing)', async () => {
    const { sim: s, token } = await start();
    const send = () =>
      post(`${s.url}/${SMAREGI.contractId}/pos/transactions`, saleBody(), {
        authorization: `Bearer ${token}`,
        'idempotency-key': 'same-key-123',
      });
    const a = await json(await send());
    const b = await json(await send());
    expect(a.transactionHeadId).toBe('1');
    expect(b.transactionHeadId).toBe('2');
    expect(s.state().transactions).toHaveLength(2);
  });

  it('records coupons and counts their use', async () => {
    const { api, sim: s } = await start();
    const r = await api('/transactions', {
      method: 'POST',
      body: saleBody({ total: '2060', couponDiscount: '500', coupons: [{ couponId: '101', discountPrice: '500' }] }),
    });
    expect(r.status).toBe(200);
    expect(r.body.coupons[0]).toMatchObject({ couponId: '101', serialNumber: '4110001', discountPrice: '500' });
    expect(s.state().coupons.find((c) => c.couponId === '101')!.usageCount).toBe(1);
    const got = await api(`/transactions/${r.body.transactionHeadId}`, { query: { with_coupons: 'all' } });
    expect(got.body.coupons).toHaveLength(1);
    expect(got.body).not.toHaveProperty('details');
  });

  it('validates the body and names the field', async () => {
    const { api, sim: s } = await start();
    const cases: Array<[Record<string, unknown>, string]> = [
      [saleBody({ transactionHeadDivision: '10' }), 'transactionHeadDivision'],
      [saleBody({ transactionHeadDivision: undefined }), 'transactionHeadDivision'],
      [saleBody({ subtotal: '2000', total: '2000' }), 'subtotal'],
      [saleBody({ total: '2500' }), 'total'],
      [saleBody({ total: '2560', couponDiscount: '100' }), 'total'],
      [saleBody({ subtotal: 2560 }), 'subtotal'],
      [saleBody({ storeId: '42' }), 'storeId'],
      [saleBody({ terminalId: undefined }), 'terminalId'],
      [saleBody({ terminalTranId: '12345678901' }), 'terminalTranId'],
      [saleBody({ terminalTranDateTime: '2026-03-01 10:00:00' }), 'terminalTranDateTime'],
      [saleBody({ details: [] }), 'details'],
      [
        saleBody({ details: [{ transactionDetailId: '1', transactionDetailDivision: '1', productId: '9999', salesPrice: '1280', quantity: '2' }] }),
        'details[0].productId',
      ],
      [saleBody({ details: [{ transactionDetailId: '1', transactionDetailDivision: '1', productId: '1001', salesPrice: '1280' }] }), 'details[0].quantity'],
      [saleBody({ coupons: [{ couponId: '9999', discountPrice: '0' }] }), 'coupons[0].couponId'],
    ];
    for (const [body, field] of cases) {
      const r = await api('/transactions', { method: 'POST', body });
      expect(r.status, field).toBe(400);
      expect(r.body.title).toBe('Bad Request');
      expect(r.body.detail, field).toContain(field);
    }
    expect(s.state().transactions).toHaveLength(0);
    const discounts = await api('/transactions', {
      method: 'POST',
      body: saleBody({
        details: [
          { transactionDetailId: '1', transactionDetailDivision: '1', productId: '1001', salesPrice: '1280', unitDiscountPrice: '80', quantity: '2' },
          { transactionDetailId: '2', transactionDetailDivision: '1', productId: '1004', salesPrice: '864', quantity: '1' },
        ],
        subtotal: '3264',
        subtotalDiscountPrice: '64',
        pointDiscount: '100',
        couponDiscount: '300',
        total: '2800',
      }),
    });
    expect(discounts.status).toBe(200);
  });

  it('GET /transactions requires a window of at most 31 days, with + percent-encoded', async () => {
    const { api, sim: s, token } = await start();
    await api('/transactions', { method: 'POST', body: saleBody() });
    const now = Date.now();
    const iso = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 19) + '+09:00';
    const window = { 'transaction_date_time-from': iso(now - 3600_000), 'transaction_date_time-to': iso(now + 3600_000) };

    const missing = await api('/transactions');
    expect(missing.status).toBe(400);
    const half = await api('/transactions', { query: { 'upd_date_time-from': iso(now - 1000) } });
    expect(half.status).toBe(400);
    const long = await api('/transactions', {
      query: { 'upd_date_time-from': iso(now - 32 * 86400_000), 'upd_date_time-to': iso(now) },
    });
    expect(long.status).toBe(400);
    expect(long.body.detail).toContain('31日');

    const ok = await api('/transactions', { query: window });
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(1);
    expect(ok.body[0]).not.toHaveProperty('details');

    // A raw "+" in the query string is a space to the server: 400, not a silent mismatch.
    const raw = `${s.url}/${SMAREGI.contractId}/pos/transactions?transaction_date_time-from=${window['transaction_date_time-from']}&transaction_date_time-to=${window['transaction_date_time-to']}`;
    const plus = await fetch(raw, { headers: { authorization: `Bearer ${token}` } });
    expect(plus.status).toBe(400);
    expect((await json(plus)).detail).toContain('%2B');
    const encoded = await fetch(raw.replaceAll('+', '%2B'), { headers: { authorization: `Bearer ${token}` } });
    expect(encoded.status).toBe(200);
    expect((await api('/transactions', { query: { ...window, 'transaction_date_time-from': 'yesterday' } })).status).toBe(400);
  });

  it('filters, pages, sorts and attaches details on request', async () => {
    const { api } = await start();
    for (let i = 0; i < 3; i++) await api('/transactions', { method: 'POST', body: saleBody({ terminalTranId: `T${i}` }) });
    await api('/transactions', { method: 'POST', body: saleBody({ storeId: '2', terminalId: '2' }) });
    const now = Date.now();
    const iso = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 19) + '+09:00';
    const window = { 'upd_date_time-from': iso(now - 3600_000), 'upd_date_time-to': iso(now + 3600_000) };
    expect((await api('/transactions', { query: { ...window, store_id: '2' } })).body).toHaveLength(1);
    expect((await api('/transactions', { query: { ...window, terminal_id: '1' } })).body).toHaveLength(3);
    const range = await api('/transactions', { query: { ...window, 'transaction_head_id-from': '2', 'transaction_head_id-to': '3' } });
    expect(range.body.map((t: any) => t.transactionHeadId)).toEqual(['2', '3']);
    const desc = await api('/transactions', { query: { ...window, sort: 'transactionHeadId:desc', limit: '2', page: '1' } });
    expect(desc.body.map((t: any) => t.transactionHeadId)).toEqual(['4', '3']);
    const all = await api('/transactions', { query: { ...window, with_details: 'all', limit: '1' } });
    expect(all.body[0].details[0]).toMatchObject({ productId: '1001', productCode: expect.any(String), quantity: '2' });
    const summary = await api('/transactions', { query: { ...window, with_details: 'summary', limit: '1' } });
    expect(summary.body[0].details[0]).toHaveProperty('productId');
    expect(summary.body[0].details[0]).not.toHaveProperty('unitDiscountSum');
    expect((await api('/transactions', { query: { ...window, with_details: 'some' } })).status).toBe(400);
    const one = await api('/transactions/2', { query: { with_details: 'all' } });
    expect(one.body.details).toHaveLength(1);
    expect((await api('/transactions/99')).status).toBe(404);
  });
});

describe('smaregi sim: faults keep Smaregi semantics', () => {
  async function countAfter(mode: string, extra: Record<string, unknown> = {}): Promise<number> {
    const { sim: s, token } = await start();
    await post(`${s.url}/__sim/faults`, { mode, count: 1, ...extra });
    await fetch(`${s.url}/${SMAREGI.contractId}/pos/transactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(saleBody()),
      signal: AbortSignal.timeout(300),
    }).catch(() => null);
    const n = s.state().transactions.length;
    await s.close();
    sim = null;
    return n;
  }

  it('timeout, reset and badjson create the transaction; offline, 429 and 500 do not', async () => {
    expect(await countAfter('timeout')).toBe(1);
    expect(await countAfter('reset')).toBe(1);
    expect(await countAfter('badjson')).toBe(1);
    expect(await countAfter('offline')).toBe(0);
    expect(await countAfter('429')).toBe(0);
    expect(await countAfter('500')).toBe(0);
    expect(await countAfter('timeout', { applied: false })).toBe(0);
  });

  it('a 500 fault answers problem JSON and a 429 carries Retry-After', async () => {
    const { api, sim: s } = await start();
    await post(`${s.url}/__sim/faults`, { mode: '500', count: 1 });
    await post(`${s.url}/__sim/faults`, { mode: '429', count: 1, retryAfter: 2 });
    const a = await api('/stores');
    expect(a.status).toBe(500);
    expect(a.body).toMatchObject({ type: 'about:blank', status: 500 });
    const b = await api('/stores');
    expect(b.status).toBe(429);
    expect(b.headers.get('retry-after')).toBe('2');
    expect(b.body.title).toBe('Too Many Requests');
  });
});
