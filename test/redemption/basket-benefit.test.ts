import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmaregiState } from '../../src/sim/smaregi';
import type { Basket } from '../../src/shared/contract/register';
import { harness, PRODUCT, T, testSeed, ticket, waitFor, type Harness } from './helpers';

/*
 * The benefit a scan shows is the benefit a redemption records: the giftee consume amount, the
 * local sale's discount, and the Smaregi transaction's couponDiscount — one basket rule
 * (resolveBasket) everywhere. Real SQLite, real simulators.
 */

const GIFT_BOX = '4573580001126'; // 330 yen

type Tx = SmaregiState['transactions'][number];

async function item(h: Harness, code: string, quantity = 1) {
  return { ...(await h.engine.call('catalog.lookupProduct', { code }))!, quantity };
}

/** The Smaregi simulator's copy of a redemption's sale, once the outbox has delivered it. */
function smaregiSale(h: Harness, redemptionId: string): Promise<Tx> {
  return waitFor(`Smaregi transaction of ${redemptionId}`, () =>
    (h.sims.servers.smaregi.state() as SmaregiState).transactions.find((t) => String(t.memo ?? '').includes(redemptionId)),
  );
}

function verifyOrConsumeRequests(h: Harness): number {
  return h.giftee.requests().filter((r) => r.method === 'POST' && (r.path.endsWith('/verify') || r.path.endsWith('/consume'))).length;
}

describe('one basket rule: the discount shown = the discount recorded = the giftee consume amount', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('an amount above the scanned items is the sale total: the difference is sold as the gift-sale product', async () => {
    // 10 % off, 330 yen of items, 5,000 yen typed: 500 yen off (was shown 500, recorded 33).
    const basket: Basket = { items: [await item(h, GIFT_BOX)], amount: 5000 };
    const scan = await h.engine.call('scan.evaluate', { raw: T.percentOff, basket });
    expect(scan).toMatchObject({ verdict: 'ok', couponId: '102', benefit: { awardType: '2', discountYen: 500 } });

    const r = await h.engine.call('redemption.redeem', { raw: T.percentOff, basket });
    expect(r).toMatchObject({ status: 'redeemed', benefit: { discountYen: 500 } });
    expect(h.consumptions().find((c) => c.code === T.percentOff)).toMatchObject({ amount: 500 });
    expect(h.table('SELECT subtotal, discount, total FROM sales WHERE id = ?', r.saleId)).toEqual([{ subtotal: 5000, discount: 500, total: 4500 }]);
    expect(h.table('SELECT product_id, price, quantity FROM sale_items WHERE sale_id = ? ORDER BY line_no', r.saleId)).toEqual([
      { product_id: '1012', price: 330, quantity: 1 },
      { product_id: '1099', price: 4670, quantity: 1 },
    ]);

    const tx = await smaregiSale(h, r.redemptionId!);
    expect(tx).toMatchObject({ subtotal: '5000', couponDiscount: '500', total: '4500' });
    expect(tx.details.map((d) => [d.productId, d.salesPrice])).toEqual([
      ['1012', '330'],
      ['1099', '4670'],
    ]);
    expect(tx.coupons).toEqual([expect.objectContaining({ couponId: '102', discountPrice: '500' })]);
  });

  it('an amount below the scanned items is refused with invalid_params by scan and redeem, before anything is sent', async () => {
    const code = T.amountOff[0];
    const basket: Basket = { items: [await item(h, PRODUCT.coffee, 2)], amount: 2000 };
    const before = verifyOrConsumeRequests(h);
    const scanErr = await h.engine.call('scan.evaluate', { raw: code, basket }).catch((e: unknown) => e);
    expect(scanErr).toMatchObject({ code: 'invalid_params', details: { problem: 'amount_below_items' } });
    expect((scanErr as Error).message).toContain('2,560');
    const redeemErr = await h.engine.call('redemption.redeem', { raw: code, basket }).catch((e: unknown) => e);
    expect(redeemErr).toMatchObject({ code: 'invalid_params', details: { problem: 'amount_below_items' } });
    expect(verifyOrConsumeRequests(h)).toBe(before);
    expect(h.table('SELECT * FROM redemption_attempts WHERE code = ?', code)).toHaveLength(0);
    expect(h.giftee.state().tickets.find((t) => t.code === code)!.status).toBe('unused');
  });

  it('a free item (demo coupon 103, a 980 yen drip bag) is a 980 yen benefit, and Smaregi’s totals balance', async () => {
    const empty: Basket = { items: [], amount: null };
    const scan = await h.engine.call('scan.evaluate', { raw: T.freeItem, basket: empty });
    expect(scan).toMatchObject({ verdict: 'ok', couponId: '103', benefit: { awardType: '3', discountYen: 980, freeItems: [{ productId: '1002', price: 980 }] } });

    const r = await h.engine.call('redemption.redeem', { raw: T.freeItem, basket: empty });
    expect(r).toMatchObject({ status: 'redeemed', benefit: { discountYen: 980 } });
    expect(h.consumptions().find((c) => c.code === T.freeItem)).toMatchObject({ amount: 980 });
    expect(h.table('SELECT subtotal, discount, total FROM sales WHERE id = ?', r.saleId)).toEqual([{ subtotal: 980, discount: 980, total: 0 }]);

    const tx = await smaregiSale(h, r.redemptionId!);
    expect(tx).toMatchObject({ subtotal: '980', couponDiscount: '980', total: '0' });
    expect(tx.details.map((d) => [d.productId, d.salesPrice, d.quantity])).toEqual([['1002', '980', '1']]);
    expect(tx.coupons).toEqual([expect.objectContaining({ couponId: '103', discountPrice: '980' })]);
  });
});

describe('an amount with no gift-sale product in the catalog', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ seed: testSeed({ giftSale: false }) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is refused by scan and redeem before verify/consume, naming the product code and what to do; nothing queued', async () => {
    const code = T.amountOff[1];
    const outboxBefore = h.table('SELECT id FROM outbox').length;
    for (const basket of [
      { items: [], amount: 1500 },
      { items: [await item(h, PRODUCT.coffee)], amount: 3000 },
    ] satisfies Basket[]) {
      for (const method of ['scan.evaluate', 'redemption.redeem'] as const) {
        const err = await h.engine.call(method, { raw: code, basket }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'invalid_params', details: { problem: 'no_gift_sale_product' } });
        expect((err as Error).message).toMatch(/GIFTEE-SALE/);
        expect((err as Error).message).toMatch(/register a product with code GIFTEE-SALE in Smaregi.*or scan the products/);
      }
    }
    expect(verifyOrConsumeRequests(h)).toBe(0);
    expect(h.table('SELECT * FROM redemption_attempts')).toHaveLength(0);
    expect(h.table('SELECT id FROM outbox')).toHaveLength(outboxBefore);
    expect(h.giftee.state().tickets.find((t) => t.code === code)!.status).toBe('unused');
  });

  it('names the code the settings give', async () => {
    await h.engine.call('settings.update', { register: { giftSaleProductCode: 'MY-GIFT' } });
    try {
      const err = await h.engine.call('redemption.redeem', { raw: T.amountOff[1], basket: { items: [], amount: 1500 } }).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/code MY-GIFT/);
    } finally {
      await h.engine.call('settings.update', { register: { giftSaleProductCode: 'GIFTEE-SALE' } });
    }
  });

  it('scanned products without a typed amount need no gift-sale product', async () => {
    const r = await h.engine.call('redemption.redeem', { raw: T.amountOff[1], basket: { items: [await item(h, PRODUCT.coffee)], amount: null } });
    expect(r).toMatchObject({ status: 'redeemed', benefit: { discountYen: 500 } });
    const tx = await smaregiSale(h, r.redemptionId!);
    expect(tx).toMatchObject({ subtotal: '1280', couponDiscount: '500', total: '780' });
  });
});

describe('no coupon catalog yet (Smaregi failing on a fresh data folder)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ beforeEngine: (sims) => sims.servers.smaregi.addFault({ mode: '500' }) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a gift ticket is blocked / offline (cannot be checked now), never "no coupon is registered"; nothing consumed', async () => {
    expect((await h.engine.call('catalog.status', {})).refreshedAt).toBeNull();
    const basket: Basket = { items: [], amount: 1500 };
    const scan = await h.engine.call('scan.evaluate', { raw: T.amountOff[2], basket });
    expect(scan).toMatchObject({ kind: 'giftee', prefix: '4110001', verdict: 'blocked', reason: 'offline', benefit: null });
    expect(scan.message!.en).toMatch(/coupon catalog has not been loaded/);
    // Even a prefix no coupon has: without a catalog that cannot be known.
    expect(await h.engine.call('scan.evaluate', { raw: ticket('9999999', 1), basket })).toMatchObject({ verdict: 'blocked', reason: 'offline' });

    const r = await h.engine.call('redemption.redeem', { raw: T.amountOff[2], basket });
    expect(r).toMatchObject({ verdict: 'blocked', reason: 'offline', status: 'blocked', redemptionId: null });
    expect(r.message!.en).toMatch(/coupon catalog has not been loaded/);
    expect(verifyOrConsumeRequests(h)).toBe(0);
    expect(h.table('SELECT * FROM redemption_attempts')).toHaveLength(0);
  });

  it('a product barcode is not called "not a gift ticket" while no catalog can look it up; redeeming it is still refused as one', async () => {
    const scan = await h.engine.call('scan.evaluate', { raw: PRODUCT.coffee });
    expect(scan).toMatchObject({ kind: 'unknown', verdict: 'blocked', reason: 'offline' });
    expect(scan.message!.en).toMatch(/product catalog has not been loaded/);
    const r = await h.engine.call('redemption.redeem', { raw: PRODUCT.coffee });
    expect(r).toMatchObject({ verdict: 'rejected', reason: 'not_gift_ticket', status: 'rejected' });
  });

  it('once Smaregi answers and the catalog loads, the same ticket is checked and redeemed', async () => {
    h.sims.servers.smaregi.clearFaults();
    // The rescan is a new question, not the scanner firing twice.
    await h.engine.call('settings.update', { scanner: { doubleScanWindowMs: 0 } });
    expect((await h.engine.call('catalog.refresh', {})).refreshedAt).not.toBeNull();
    const basket: Basket = { items: [], amount: 1500 };
    expect(await h.engine.call('scan.evaluate', { raw: T.amountOff[2], basket })).toMatchObject({ verdict: 'ok', couponId: '101', benefit: { discountYen: 500 } });
    expect(await h.engine.call('redemption.redeem', { raw: T.amountOff[2], basket })).toMatchObject({ status: 'redeemed' });
  });
});
