import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEMO_SEED, loadSeed, parseSeed, SeedError, startSimulators, type RunningSimulators } from '../../src/sim/index';
import { getToken, GIFTEE_TOKEN, json, smaregiClient } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'sim-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let running: RunningSimulators | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

function write(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SeedError);
    return (e as SeedError).issues;
  }
  throw new Error('expected a SeedError');
}

describe('seed validation', () => {
  it('accepts a seed with only some systems, filling defaults', () => {
    const seed = parseSeed({ giftee: { tickets: [] } });
    expect(seed.giftee).toMatchObject({ accessToken: GIFTEE_TOKEN, cancelWindowMinutes: 30 });
    expect(seed.smaregi).toBeUndefined();
    expect(parseSeed({})).toEqual({});
  });

  it('names the bad path for each problem', () => {
    const issues = issuesOf(() =>
      parseSeed({
        smaregi: {
          stores: [{ storeId: '1', storeName: '渋谷店' }],
          products: [{ productId: '1', productCode: '4900000000001', productName: 'x', price: 100 }],
          stock: [{ storeId: '9', productId: '1', stockAmount: '1' }],
          coupons: [
            {
              couponId: '1',
              couponName: 'c',
              couponDivision: '2',
              serialNumber: '1234567',
              awardType: '1',
              awardValue: '100',
              applyConditionDivision: '0',
              startDate: '2026/01/01',
              items: [{ division: '2', itemId: '77', type: '2' }],
            },
          ],
        },
        giftee: { tickets: [{ code: '123', status: 'new', expiresAt: '2030-01-01' }] },
        nextengine: {},
      }),
    );
    const text = issues.join('\n');
    expect(text).toContain('smaregi.products[0].price');
    expect(text).toContain('smaregi.coupons[0].couponDivision');
    expect(text).toContain('smaregi.coupons[0].startDate');
    expect(text).toContain('smaregi.coupons[0].items[0].salesPrice');
    expect(text).toContain('giftee.tickets[0].code: code must be exactly 24 digits');
    expect(text).toContain('giftee.tickets[0].status');
    expect(text).toContain('giftee.tickets[0].expiresAt');
    expect(text).toContain('unknown system(s) "nextengine"; known systems: smaregi, giftee');
  });

  it('reports duplicates and cross-references', () => {
    const issues = issuesOf(() =>
      parseSeed({
        smaregi: {
          stores: [
            { storeId: '1', storeName: 'a' },
            { storeId: '1', storeName: 'b' },
          ],
        },
      }),
    );
    expect(issues).toEqual(['smaregi.stores[1].storeId: duplicate storeId "1"']);
    // Cross-references are checked once every row has the right shape.
    const refs = issuesOf(() =>
      parseSeed({
        smaregi: {
          stores: [{ storeId: '1', storeName: 'a' }],
          products: [{ productId: '1', productCode: '4900000000001', productName: 'x', price: '100' }],
          stock: [
            { storeId: '9', productId: '1', stockAmount: '1' },
            { storeId: '1', productId: '2', stockAmount: '1' },
          ],
          coupons: [
            {
              couponId: '1',
              couponName: 'c',
              couponDivision: '1',
              serialNumber: '1234567',
              awardType: '3',
              awardValue: '0',
              applyConditionDivision: '0',
              items: [{ division: '2', itemId: '77', type: '2', salesPrice: '0' }],
            },
          ],
        },
      }),
    );
    expect(refs).toEqual([
      'smaregi.stock[0].storeId: unknown storeId "9"',
      'smaregi.stock[1].productId: unknown productId "2"',
      'smaregi.coupons[0].items[0].itemId: unknown productId "77" (division "2" = product)',
    ]);
  });

  it('loadSeed reads a file, and explains unreadable, non-JSON and invalid files', () => {
    const good = write('good.json', JSON.stringify({ giftee: { cancelWindowMinutes: 5 } }));
    expect(loadSeed(good).giftee?.cancelWindowMinutes).toBe(5);
    expect(() => loadSeed(join(dir, 'missing.json'))).toThrow(/cannot read seed file/);
    expect(() => loadSeed(write('broken.json', '{"smaregi": '))).toThrow(/not valid JSON/);
    const bad = write('bad.json', JSON.stringify({ giftee: { cancelWindowMinutes: -1 } }));
    expect(() => loadSeed(bad)).toThrow(/bad\.json is invalid:\n {2}- giftee\.cancelWindowMinutes/);
  });
});

describe('demo seed', () => {
  const seed = parseSeed(DEMO_SEED, 'demo');
  const s = seed.smaregi!;
  const g = seed.giftee!;

  it('has two stores, a dozen products with valid 13-digit JAN codes, and the amount-only sale product', () => {
    expect(s.stores.map((x) => x.storeName)).toEqual(['渋谷店', '新宿店']);
    const goods = s.products.filter((p) => p.productCode !== 'GIFTEE-SALE');
    expect(goods.length).toBeGreaterThanOrEqual(12);
    expect(s.products.filter((p) => p.productCode === 'GIFTEE-SALE')).toHaveLength(1);
    for (const p of goods) {
      expect(p.productCode).toMatch(/^\d{13}$/);
      const d = p.productCode.split('').map(Number);
      const sum = d.slice(0, 12).reduce((a, x, i) => a + x * (i % 2 === 0 ? 1 : 3), 0);
      expect((10 - (sum % 10)) % 10, p.productCode).toBe(d[12]);
    }
  });

  it('covers each coupon case the register must handle', () => {
    const giftee = s.coupons.filter((c) => c.couponDivision === '1');
    expect(new Set(giftee.map((c) => c.awardType))).toEqual(new Set(['1', '2', '3']));
    expect(giftee.some((c) => c.applyConditionDivision === '1' && c.items.some((i) => i.type === '1'))).toBe(true);
    expect(giftee.some((c) => c.awardType === '3' && c.items.some((i) => i.type === '2'))).toBe(true);
    expect(giftee.some((c) => c.minTargetPrice !== null && c.maxTargetPrice !== null)).toBe(true);
    expect(s.coupons.some((c) => c.couponDivision === '0' && /^\d{7}$/.test(c.serialNumber))).toBe(true);
    expect(giftee.some((c) => c.endDate !== null && c.endDate < '2025-01-01')).toBe(true);
    expect(giftee.some((c) => c.startDate !== null && c.startDate > '2031-01-01')).toBe(true);
  });

  it('has tickets: several unused per giftee coupon prefix, one used, one expired', () => {
    for (const c of s.coupons.filter((x) => x.couponDivision === '1')) {
      const unused = g.tickets.filter((t) => t.code.startsWith(c.serialNumber) && t.status === 'unused' && t.expiresAt > '2030');
      expect(unused.length, c.couponName).toBeGreaterThanOrEqual(1);
    }
    expect(g.tickets.filter((t) => t.status === 'used')).toHaveLength(1);
    expect(g.tickets.filter((t) => t.status === 'expired' || t.expiresAt < '2025').length).toBeGreaterThanOrEqual(1);
  });
});

describe('startSimulators', () => {
  it('starts every system with the demo seed and reports base URLs', async () => {
    running = await startSimulators();
    expect(Object.keys(running.urls).sort()).toEqual(['giftee', 'smaregi']);
    const api = smaregiClient(running.urls.smaregi, await getToken(running.urls.smaregi));
    expect((await api('/stores')).body).toHaveLength(2);
    const code = DEMO_SEED.giftee!.tickets![0].code;
    const t = await fetch(`${running.urls.giftee}/v1/tickets/${code}`, { headers: { authorization: `Bearer ${GIFTEE_TOKEN}` } });
    expect((await json(t)).ticket.status).toBe('unused');
    const state = await json(await fetch(`${running.urls.smaregi}/__sim/state`));
    expect(state).toMatchObject({ contractId: 'sb_sim0001', clientId: 'sim-client-id' });
    expect(state.stores.map((x: any) => x.storeId)).toEqual(['1', '2']);
  });

  it('takes a seed file or object; systems left out start empty', async () => {
    const file = write('only-giftee.json', JSON.stringify({ giftee: { tickets: [] } }));
    running = await startSimulators({ seedFile: file });
    const api = smaregiClient(running.urls.smaregi, await getToken(running.urls.smaregi));
    expect((await api('/stores')).body).toEqual([]);
    await running.close();
    running = await startSimulators({ seed: { smaregi: { stores: [{ storeId: '5', storeName: '梅田店' }] } } });
    const api2 = smaregiClient(running.urls.smaregi, await getToken(running.urls.smaregi));
    expect((await api2('/stores')).body[0].storeName).toBe('梅田店');
  });

  it('throws SeedError for a bad seed and honours fixed ports', async () => {
    await expect(startSimulators({ seed: { giftee: { cancelWindowMinutes: 'x' } } as never })).rejects.toBeInstanceOf(SeedError);
    running = await startSimulators({ seed: {} });
    const port = running.servers.giftee.port;
    await running.close();
    running = await startSimulators({ seed: {}, ports: { giftee: port } });
    expect(running.urls.giftee).toBe(`http://127.0.0.1:${port}`);
  });
});
