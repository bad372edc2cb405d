import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReasonCode } from '../../src/shared/contract/register';
import { REASON_MESSAGES } from '../../src/shared/reasons';
import { SIM_CREDENTIALS } from '../../src/sim/credentials';
import { harness, PRODUCT, T, ticket, type Harness } from './helpers';

const pad = (prefix: string) => prefix + '12345678901234567';

describe('every reason code, end to end through the engine and the simulators', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const item = async (code: string) => ({ ...(await h.engine.call('catalog.lookupProduct', { code }))!, quantity: 1 });

  it.each<[ReasonCode, string, { amount?: number; items?: string[] }]>([
    ['not_gift_ticket', 'HELLO-WORLD', {}],
    ['not_gift_ticket', '12345678901234567890123', {}], // 23 digits
    ['unknown_prefix', pad('9999999'), { amount: 5000 }],
    ['not_giftee_coupon', pad('4110005'), { amount: 5000 }],
    ['coupon_not_started', pad('4110007'), { amount: 5000 }],
    ['coupon_expired', pad('4110006'), { amount: 5000 }],
    ['below_min_amount', T.amountOff[3], { amount: 999 }],
    ['above_max_amount', T.percentOff, { amount: 20_001 }],
    ['no_target_item', T.targetItem, { items: [PRODUCT.coffee] }],
  ])('scan.evaluate and redemption.redeem refuse with %s (%s)', async (reason, raw, b) => {
    const basket = { amount: b.amount ?? null, items: await Promise.all((b.items ?? []).map(item)) };
    const before = h.consumeRequests();
    const o = await h.engine.call('scan.evaluate', { raw, basket });
    expect(o).toMatchObject({ verdict: 'rejected', reason, message: REASON_MESSAGES[reason] });
    const r = await h.engine.call('redemption.redeem', { raw, basket });
    expect(r).toMatchObject({ verdict: 'rejected', reason, status: 'rejected', redemptionId: null, saleId: null });
    expect(h.consumeRequests()).toBe(before);
  });

  it('a product barcode is looked up in the catalog', async () => {
    const o = await h.engine.call('scan.evaluate', { raw: `]E0${PRODUCT.coffee}\r\n` });
    expect(o).toMatchObject({ kind: 'product', verdict: 'ok', reason: null, product: { productId: '1001', price: 1280 } });
  });

  it('a scan with full-width digits, an AIM id and a terminator is the same ticket', async () => {
    const fullWidth = T.amountOff[3].replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const o = await h.engine.call('scan.evaluate', { raw: `]C0${fullWidth}\r\n`, basket: { amount: 1500, items: [] } });
    expect(o).toMatchObject({ kind: 'giftee', normalized: T.amountOff[3], prefix: '4110001', couponId: '101', verdict: 'ok' });
    expect(o.benefit).toMatchObject({ awardType: '1', awardValue: '500', discountYen: 500 });
  });

  it.each<[ReasonCode, string]>([
    ['ticket_used', T.used],
    ['ticket_expired', T.expired],
    ['ticket_unknown', T.unknownToGiftee],
  ])('giftee refuses with %s: nothing consumed, no attempt', async (reason, raw) => {
    const before = h.consumeRequests();
    const r = await h.engine.call('redemption.redeem', { raw, basket: { amount: 3000, items: [] } });
    expect(r).toMatchObject({ verdict: 'rejected', reason, status: 'rejected', message: REASON_MESSAGES[reason] });
    expect(h.consumeRequests()).toBe(before);
    expect(h.table('SELECT * FROM redemption_attempts WHERE code = ?', raw)).toHaveLength(0);
  });

  it('offline (giftee drops every connection): blocked with offline, no consume sent, nothing consumed', async () => {
    h.giftee.addFault({ mode: 'offline' });
    try {
      const before = h.consumeRequests();
      const r = await h.engine.call('redemption.redeem', { raw: T.amountOff[4], basket: { amount: 3000, items: [] } });
      expect(r).toMatchObject({ verdict: 'blocked', reason: 'offline', status: 'blocked', message: REASON_MESSAGES.offline });
      expect(h.consumeRequests()).toBe(before);
      expect(h.giftee.state().tickets.find((t) => t.code === T.amountOff[4])!.status).toBe('unused');
    } finally {
      h.giftee.clearFaults();
    }
  });

  it('redeems an amount-only basket: one consumption, one sale, one Smaregi outbox row, in one go', async () => {
    const code = T.amountOff[0];
    const r = await h.engine.call('redemption.redeem', { raw: code, source: 'manual', basket: { amount: 1500, items: [] } });
    expect(r).toMatchObject({ kind: 'giftee', couponId: '101', verdict: 'ok', reason: null, status: 'redeemed' });
    expect(r.redemptionId).toBeTruthy();
    expect(r.saleId).toBeTruthy();

    const consumed = h.consumptions().filter((c) => c.code === code);
    expect(consumed).toHaveLength(1);
    expect(consumed[0]).toMatchObject({ amount: 500, storeId: '1', terminalId: '1' });
    const attempt = h.table<{ idempotency_key: string; state: string }>('SELECT * FROM redemption_attempts WHERE id = ?', r.redemptionId)[0];
    expect(attempt.state).toBe('redeemed');
    expect(consumed[0].idempotencyKey).toBe(attempt.idempotency_key);

    const sales = h.table<{ id: string; subtotal: number; discount: number; total: number; outbox_id: string }>('SELECT * FROM sales WHERE redemption_id = ?', r.redemptionId);
    expect(sales).toEqual([expect.objectContaining({ id: r.saleId, subtotal: 1500, discount: 500, total: 1000 })]);
    const items = h.table('SELECT product_id, price, quantity FROM sale_items WHERE sale_id = ?', r.saleId);
    expect(items).toEqual([{ product_id: '1099', price: 1500, quantity: 1 }]);

    const rows = h.table<{ id: string; kind: string; target: string; ordering_key: string; payload: string }>('SELECT * FROM outbox WHERE id = ?', sales[0].outbox_id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target: 'smaregi', kind: 'smaregi.transaction' });
    const payload = JSON.parse(rows[0].payload);
    // One outbox lane per transaction (the outbox's builder): its void would follow in it.
    expect(rows[0].ordering_key).toBe(`smaregi.tx:1:1:${payload.lookup.terminalTranId}`);
    expect(payload.transaction).toMatchObject({
      transactionHeadDivision: '1',
      subtotal: '1500',
      couponDiscount: '500',
      total: '1000',
      storeId: '1',
      terminalId: '1',
      details: [{ transactionDetailId: '1', transactionDetailDivision: '1', productId: '1099', salesPrice: '1500', quantity: '1' }],
      coupons: [{ couponId: '101', discountPrice: '500' }],
    });
    expect(payload.transaction.terminalTranDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    expect(payload.transaction.terminalTranId.length).toBeLessThanOrEqual(10);
    expect(payload.lookup).toEqual({
      storeId: '1',
      terminalId: '1',
      terminalTranId: payload.transaction.terminalTranId,
      terminalTranDateTime: payload.transaction.terminalTranDateTime,
    });

    // The queued body is one the Smaregi API accepts as it is.
    const smaregi = h.sims.urls.smaregi;
    const c = SIM_CREDENTIALS.smaregi;
    const tok = await fetch(`${smaregi}/app/${c.contractId}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=pos.transactions:write',
    }).then((x) => x.json() as Promise<{ access_token: string }>);
    const post = await fetch(`${smaregi}/${c.contractId}/pos/transactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tok.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...payload.transaction, terminalTranId: '99999' }),
    });
    expect(post.ok).toBe(true);

    // The same ticket again: refused from the local ledger, no second consume.
    const before = h.consumeRequests();
    const again = await h.engine.call('redemption.redeem', { raw: code, basket: { amount: 1500, items: [] } });
    expect(again).toMatchObject({ verdict: 'rejected', reason: 'ticket_used', status: 'rejected' });
    expect(h.consumeRequests()).toBe(before);
    expect(h.consumptions().filter((x) => x.code === code)).toHaveLength(1);
  });

  it('redeems with scanned items, a percent discount, and a free item added to the sale', async () => {
    const coffee = await item(PRODUCT.coffee);
    const pct = await h.engine.call('redemption.redeem', { raw: T.percentOff, basket: { amount: null, items: [{ ...coffee, quantity: 2 }] } });
    expect(pct).toMatchObject({ status: 'redeemed', benefit: { awardType: '2', discountYen: 256 } });
    const s1 = h.table<{ subtotal: number; discount: number; total: number }>('SELECT * FROM sales WHERE id = ?', pct.saleId)[0];
    expect(s1).toMatchObject({ subtotal: 2560, discount: 256, total: 2304 });

    const free = await h.engine.call('redemption.redeem', { raw: T.freeItem, basket: { amount: null, items: [coffee] } });
    expect(free.status).toBe('redeemed');
    const lines = h.table<{ product_id: string }>('SELECT product_id FROM sale_items WHERE sale_id = ? ORDER BY line_no', free.saleId);
    expect(lines.map((l) => l.product_id)).toEqual(['1001', '1002']);
    const sale = h.table<{ subtotal: number; discount: number; total: number }>('SELECT * FROM sales WHERE id = ?', free.saleId)[0];
    expect(sale.total).toBe(sale.subtotal - sale.discount);
  });

  it('terminalTranId is a per-terminal sequence without gaps or repeats', () => {
    const ids = h.table<{ terminal_tran_id: string }>('SELECT terminal_tran_id FROM sales ORDER BY created_at').map((r) => Number(r.terminal_tran_id));
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(ids).toEqual(ids.map((_, i) => ids[0] + i));
  });

  it('a code with the store coupon prefix is matched by serial, and is not consumable', async () => {
    await h.engine.call('settings.update', { scanner: { couponCodePrefix: 'CP' } });
    const o = await h.engine.call('scan.evaluate', { raw: 'CP4110001', basket: { amount: 1500, items: [] } });
    expect(o).toMatchObject({ kind: 'coupon', prefix: '4110001', couponId: '101', verdict: 'ok' });
    const r = await h.engine.call('redemption.redeem', { raw: 'CP4110001', basket: { amount: 1500, items: [] } });
    expect(r).toMatchObject({ kind: 'coupon', verdict: 'rejected', reason: 'not_gift_ticket', status: 'rejected' });
  });

  it('a double scan within the window is reported as a duplicate and not evaluated twice', async () => {
    await h.engine.call('settings.update', { scanner: { doubleScanWindowMs: 10_000 } });
    const raw = T.amountOff[6];
    const first = await h.engine.call('scan.evaluate', { raw, basket: { amount: 1500, items: [] } });
    const second = await h.engine.call('scan.evaluate', { raw: `${raw}\r`, basket: { amount: 1500, items: [] } });
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, verdict: first.verdict, couponId: first.couponId });
    const log = await h.engine.call('redemption.log', { text: raw });
    expect(log.rows.filter((row) => row.normalized === raw)).toHaveLength(1);
  });
});

describe('giftee unreachable', () => {
  let h: Harness;
  beforeAll(async () => {
    // Port 9 (discard) is closed on loopback: connection refused, as when the line is down.
    h = await harness({ gifteeUrl: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('scan.evaluate says blocked/offline without any network, and redeem sends nothing', async () => {
    const status = await h.engine.call('status.get', {});
    expect(status.connectivity.giftee).toBe('offline');
    expect(status.redemptionOnline).toBe(false);
    const o = await h.engine.call('scan.evaluate', { raw: T.amountOff[0], basket: { amount: 1500, items: [] } });
    expect(o).toMatchObject({ kind: 'giftee', couponId: '101', verdict: 'blocked', reason: 'offline' });
    const r = await h.engine.call('redemption.redeem', { raw: T.amountOff[0], basket: { amount: 1500, items: [] } });
    expect(r).toMatchObject({ verdict: 'blocked', reason: 'offline', status: 'blocked', redemptionId: null });
    expect(h.giftee.requests()).toHaveLength(0);
    expect(h.table('SELECT * FROM redemption_attempts')).toHaveLength(0);
  });

  it('offline comes before basket-dependent refusals; refusals about the coupon itself still stand', async () => {
    const short = await h.engine.call('scan.evaluate', { raw: T.amountOff[1], basket: { amount: 100, items: [] } });
    expect(short).toMatchObject({ verdict: 'blocked', reason: 'offline', couponId: '101' });
    const expiredCoupon = await h.engine.call('scan.evaluate', { raw: ticket('4110006', 1), basket: { amount: 5000, items: [] } });
    expect(expiredCoupon).toMatchObject({ verdict: 'rejected', reason: 'coupon_expired' });
    const unknown = await h.engine.call('scan.evaluate', { raw: ticket('9999999', 1), basket: { amount: 5000, items: [] } });
    expect(unknown).toMatchObject({ verdict: 'rejected', reason: 'unknown_prefix' });
  });
});
