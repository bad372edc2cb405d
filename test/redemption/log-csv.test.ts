import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, toCsv } from '../../src/core/redemption';
import { csvCode } from '../../src/core/redemption/csv';
import { harness, PRODUCT, T, type Harness } from './helpers';

const parseCsv = (text: string) => parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];

describe('RFC 4180 CSV', () => {
  it('quotes only what needs quoting and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('lf\nonly')).toBe('"lf\nonly"');
    expect(csvField(null)).toBe('');
    expect(csvField(1500)).toBe('1500');
    expect(csvField('ギフト券')).toBe('ギフト券');
  });

  it('defuses text Excel would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    // Long digit codes open in Excel as exact text, not 4.11E+23.
    expect(csvCode('411000101307401981868241')).toBe('"=""411000101307401981868241"""'); 
    expect(csvCode('12345')).toBe('12345');
    expect(csvCode(']C0411000101307401981868241')).toBe(']C0411000101307401981868241');
    expect(csvField('+81')).toBe("'+81");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe('-5');
  });

  it('starts with a BOM and ends every record with CRLF', () => {
    const text = toCsv(['日時', 'コード'], [['2030-01-01 10:00:00', '411']]);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(text.slice(1)).toBe('日時,コード\r\n2030-01-01 10:00:00,411\r\n');
  });

  it('any text survives a round trip through a CSV parser', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const width = rows[0].length;
        const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? 'x'));
        const safe = table.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `x${c}` : c)));
        const header = Array.from({ length: width }, (_, i) => `h${i}`);
        expect(parseCsv(toCsv(header, safe))).toEqual([header, ...safe]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('redemption log: search, paging, CSV export', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.engine.call('settings.update', { scanner: { doubleScanWindowMs: 0 } });
    await h.engine.call('scan.evaluate', { raw: 'A,"B"', source: 'manual' });
    await h.engine.call('scan.evaluate', { raw: PRODUCT.coffee, source: 'wedge' });
    await h.engine.call('scan.evaluate', { raw: T.amountOff[20], source: 'hid-pos', basket: { amount: 500, items: [] } });
    await h.engine.call('redemption.redeem', { raw: T.amountOff[21], source: 'hid-pos', basket: { amount: 2000, items: [] } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('has every scan and its outcome, newest first', async () => {
    const all = await h.engine.call('redemption.log', {});
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => r.raw)).toEqual([T.amountOff[21], T.amountOff[20], PRODUCT.coffee, 'A,"B"']);
    expect(all.rows[0]).toMatchObject({ status: 'redeemed', verdict: 'ok', couponName: 'giftee 500円OFFチケット', discountYen: 500, amountYen: 2000 });
    expect(all.rows[1]).toMatchObject({ verdict: 'rejected', reason: 'below_min_amount', status: null, source: 'hid-pos' });
  });

  it('searches by text and verdict, pages, and filters by JST day', async () => {
    expect((await h.engine.call('redemption.log', { text: '500円' })).total).toBe(2);
    expect((await h.engine.call('redemption.log', { text: '%' })).total).toBe(0);
    expect((await h.engine.call('redemption.log', { verdict: 'rejected' })).rows.map((r) => r.raw)).toEqual([T.amountOff[20], 'A,"B"']);
    const page = await h.engine.call('redemption.log', { limit: 3, offset: 3 });
    expect(page).toMatchObject({ total: 4, rows: [{ raw: 'A,"B"' }] });
    const jstToday = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const jstTomorrow = new Date(Date.now() + 33 * 3600_000).toISOString().slice(0, 10);
    expect((await h.engine.call('redemption.log', { from: jstToday, to: jstToday })).total).toBe(4);
    expect((await h.engine.call('redemption.log', { from: jstTomorrow })).total).toBe(0);
    await expect(h.engine.call('redemption.log', { from: 'yesterday' })).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it('recent shows the last redemptions', async () => {
    const recent = await h.engine.call('redemption.recent', { limit: 10 });
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({ raw: T.amountOff[21], status: 'redeemed' });
  });

  it('exports UTF-8 CSV with a BOM, CRLF, Japanese headers and proper quoting', async () => {
    const { filename, csv } = await h.engine.call('redemption.exportCsv', {});
    expect(filename).toMatch(/^redemptions-\d{8}\.csv$/);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '').includes('\n')).toBe(false);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['日時', '入力元', '読取データ', 'コード', '種別', 'クーポンID', 'クーポン名', '判定', '理由コード', '理由', '状態', '利用ID', '割引額(円)', '会計金額(円)']);
    expect(rows).toHaveLength(5);
    const byRaw = new Map(rows.slice(1).map((r) => [r[2], r]));
    expect(byRaw.get('A,"B"')![7]).toBe('利用不可');
    expect(byRaw.get('A,"B"')![9]).toMatch(/ギフト券ではありません/);
    // Ticket codes are written as ="…" so Excel keeps all 24 digits as text.
    const redeemed = byRaw.get(`="${T.amountOff[21]}"`)!;
    expect(redeemed[3]).toBe(`="${T.amountOff[21]}"`);
    expect(redeemed.slice(4, 8)).toEqual(['giftee券', '101', 'giftee 500円OFFチケット', '利用可']);
    expect(redeemed[10]).toBe('利用済み');
    expect(redeemed[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const filtered = await h.engine.call('redemption.exportCsv', { verdict: 'ok' });
    expect(parseCsv(filtered.csv)).toHaveLength(3);
  });
});
