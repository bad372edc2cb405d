import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHidPosAssembler, decodeHidPosReports, encodeHidPosReports, parseHidPosReport } from '../../src/core/scan/hid-pos';
import { normalizeScan } from '../../src/core/scan/normalize';
import { loadHidFixtures } from './fixtures';

const posFixtures = loadHidFixtures().filter((f) => f.format === 'hid-pos');
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 300 });

describe('HID POS recorded reports', () => {
  it('there are recorded fixtures in every layout', () => {
    expect(posFixtures.map((f) => f.file)).toEqual(
      expect.arrayContaining(['pos-single-aim.json', 'pos-multi-aim.json', 'pos-raw-symbology.json', 'vendor-newland.json', 'vendor-microscan.json']),
    );
  });

  for (const f of posFixtures) {
    it(`${f.file} decodes to the recorded scans`, () => {
      const { scans, errors } = decodeHidPosReports(f.reports);
      expect(errors).toEqual([]);
      expect(scans.map((s) => s.text)).toEqual(f.expected.scans);
      if (f.expected.aim) expect(scans.map((s) => s.aim)).toEqual(f.expected.aim);
    });
  }

  it('the giftee code in the recorded reports normalises to the 24 digits', () => {
    for (const file of ['pos-single-aim.json', 'vendor-newland.json']) {
      const f = posFixtures.find((x) => x.file === file)!;
      expect(normalizeScan(decodeHidPosReports(f.reports).scans[0].text)).toBe('100000112345678901234567');
    }
    const newland = posFixtures.find((x) => x.file === 'vendor-newland.json')!;
    expect(normalizeScan(decodeHidPosReports(newland.reports).scans[1].text)).toBe('4901234567894');
  });

  it('a multi-report scan comes out only with its last report', () => {
    const f = posFixtures.find((x) => x.file === 'pos-multi-aim.json')!;
    const a = createHidPosAssembler();
    expect(a.push(f.reports[0]).kind).toBe('partial');
    expect(a.push(f.reports[1]).kind).toBe('partial');
    const last = a.push(f.reports[2]);
    expect(last.kind).toBe('scan');
    if (last.kind === 'scan') expect(last.scan.reports).toBe(3);
  });
});

describe('HID POS decoding is total', () => {
  it('never throws on arbitrary bytes or non-bytes, and errors are typed', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.array(fc.integer({ min: -2, max: 300 }), { maxLength: 70 }), fc.anything()), { maxLength: 12 }), (reports) => {
        const { scans, errors } = decodeHidPosReports(reports);
        for (const s of scans) expect(typeof s.text).toBe('string');
        for (const e of errors) expect(['not_bytes', 'bad_length', 'bad_length_field', 'incomplete', 'too_long']).toContain(e.code);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives typed errors for broken reports', () => {
    expect(parseHidPosReport('nope')).toMatchObject({ ok: false, error: { code: 'not_bytes' } });
    expect(parseHidPosReport(new Uint8Array([2]))).toMatchObject({ ok: false, error: { code: 'bad_length' } });
    expect(parseHidPosReport(new Uint8Array([2, 9, 0x31]))).toMatchObject({ ok: false, error: { code: 'bad_length_field' } });
    const first = encodeHidPosReports('x'.repeat(100))[0];
    const a = createHidPosAssembler();
    expect(a.push(first).kind).toBe('partial');
    expect(a.flush()).toMatchObject({ kind: 'error', error: { code: 'incomplete' } });
    expect(a.pending()).toBe(false);
  });

  it('refuses a scan that never ends', () => {
    const a = createHidPosAssembler();
    const r = encodeHidPosReports('9'.repeat(100))[0]; // continued flag set
    let last = a.push(r);
    for (let i = 0; i < 200 && last.kind === 'partial'; i++) last = a.push(r);
    expect(last).toMatchObject({ kind: 'error', error: { code: 'too_long' } });
  });
});

describe('HID POS round trips', () => {
  it('text → pos reports (split over several, with or without AIM id) → the same text', () => {
    fc.assert(
      fc.property(printable, fc.constantFrom(undefined, ']C0', ']Q1', ']E0'), fc.constantFrom(16, 32, 64), (text, aim, reportSize) => {
        const reports = encodeHidPosReports(text, { layout: 'pos', aim, reportSize });
        const { scans, errors } = decodeHidPosReports(reports);
        expect(errors).toEqual([]);
        expect(scans).toHaveLength(1);
        expect(scans[0]).toMatchObject({ text, aim: aim ?? null, reports: reports.length });
      }),
      { numRuns: 500 },
    );
  });

  it('text → vendor (simple) reports → the same text, even starting with "]" or filling reports exactly', () => {
    fc.assert(
      fc.property(fc.oneof(printable, printable.map((s) => `]E0${s}`), fc.constant('7'.repeat(62)), fc.constant('7'.repeat(124))), (text) => {
        const reports = encodeHidPosReports(text, { layout: 'simple', reportId: 1 });
        const { scans, errors } = decodeHidPosReports(reports);
        expect(errors).toEqual([]);
        expect(scans.map((s) => s.text)).toEqual([text]);
      }),
      { numRuns: 500 },
    );
  });

  it('a stream of several scans decodes scan by scan, in order', () => {
    fc.assert(
      fc.property(fc.array(printable, { minLength: 1, maxLength: 6 }), (texts) => {
        const reports = texts.flatMap((t) => encodeHidPosReports(t, { aim: ']C0' }));
        expect(decodeHidPosReports(reports).scans.map((s) => s.text)).toEqual(texts);
      }),
    );
  });

  it('non-ASCII data: UTF-8, else Shift_JIS', () => {
    expect(decodeHidPosReports(encodeHidPosReports('ギフト券 100000112345678901234567')).scans[0].text).toBe('ギフト券 100000112345678901234567');
    const sjis = new Uint8Array([0x83, 0x4d, 0x83, 0x74, 0x83, 0x67]); // "ギフト" in Shift_JIS
    expect(decodeHidPosReports(encodeHidPosReports(sjis)).scans[0].text).toBe('ギフト');
  });
});
