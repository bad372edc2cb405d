import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyScan } from '../../src/core/scan/classify';
import { createDoubleScanFilter } from '../../src/core/scan/double-scan';
import { normalizeScan } from '../../src/core/scan/normalize';

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
const toFullWidth = (digits: string) => digits.replace(/[0-9]/g, (d) => FULL_WIDTH_DIGITS[Number(d)]);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  // Scanner-shaped noise: AIM-ish prefixes, terminators, full-width digits, spaces, controls.
  fc.array(fc.constantFrom(']', 'E', '0', 'Q', '1', '\r', '\n', '\t', ' ', '\u3000', '０', '９', '\u0000', '\u0301', 'e', 'ﬁ'), { maxLength: 30 }).map((a) => a.join('')),
);
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

describe('normalizeScan', () => {
  it('never throws and always returns a string, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), (x) => typeof normalizeScan(x as string) === 'string'));
    fc.assert(fc.property(anyText, (s) => typeof normalizeScan(s) === 'string'));
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = normalizeScan(s);
        expect(normalizeScan(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('maps full-width digits to ASCII', () => {
    fc.assert(
      fc.property(digits(24), (d) => {
        expect(normalizeScan(toFullWidth(d))).toBe(d);
      }),
    );
    expect(normalizeScan('１０００００１１２３４５６７８９０１２３４５６７')).toBe('100000112345678901234567');
  });

  it('strips an AIM id, terminators and surrounding spaces (ideographic space included)', () => {
    fc.assert(
      fc.property(
        digits(24),
        fc.constantFrom('', ']C0', ']E0', ']Q1', ']d2', ']I1'),
        fc.constantFrom('', '\r', '\n', '\r\n', '\t'),
        fc.constantFrom('', ' ', '  ', '\u3000'),
        (code, aim, term, pad) => {
          expect(normalizeScan(`${pad}${aim}${code}${term}${pad}`)).toBe(code);
        },
      ),
    );
    expect(normalizeScan(']E04901234567894\r\n')).toBe('4901234567894');
    expect(normalizeScan('\u0000\u0002100000112345678901234567\u0003')).toBe('100000112345678901234567');
  });

  it('keeps what is not decoration', () => {
    expect(normalizeScan('A-1 B')).toBe('A-1 B');
    expect(normalizeScan('ＡＢＣ-１２')).toBe('ABC-12');
    expect(normalizeScan('x]E0')).toBe('x]E0'); // an AIM id only counts at the start
  });
});

describe('classifyScan', () => {
  it('a giftee code is exactly 24 ASCII digits: 7-digit prefix + 17', () => {
    fc.assert(
      fc.property(digits(24), (code) => {
        expect(classifyScan(code)).toEqual({ kind: 'giftee', code, prefix: code.slice(0, 7) });
      }),
    );
  });

  it('23 or 25 digits, letters or a full-width code not yet normalised are not giftee codes', () => {
    fc.assert(fc.property(digits(23), (d) => classifyScan(d).kind === 'other'));
    fc.assert(fc.property(digits(25), (d) => classifyScan(d).kind === 'other'));
    expect(classifyScan('10000011234567890123456A').kind).toBe('other');
    expect(classifyScan(toFullWidth('100000112345678901234567')).kind).toBe('other');
    expect(classifyScan(normalizeScan(toFullWidth('100000112345678901234567'))).kind).toBe('giftee');
  });

  it('the coupon-code prefix marks coupon codes; its remainder is the serial', () => {
    expect(classifyScan('CP1234567', { couponCodePrefix: 'CP' })).toEqual({ kind: 'coupon', code: 'CP1234567', serial: '1234567' });
    expect(classifyScan('CP', { couponCodePrefix: 'CP' }).kind).toBe('other'); // nothing after the prefix
    expect(classifyScan('CP1234567').kind).toBe('other'); // prefix not set
    expect(classifyScan('XX1234567', { couponCodePrefix: 'CP' }).kind).toBe('other');
    // 24 digits stay a giftee code even when they happen to start with a numeric coupon prefix.
    expect(classifyScan('990000112345678901234567', { couponCodePrefix: '99' }).kind).toBe('giftee');
  });

  it('everything else is "other", never an exception', () => {
    fc.assert(
      fc.property(anyText, fc.string({ maxLength: 5 }), (s, prefix) => {
        const c = classifyScan(normalizeScan(s), { couponCodePrefix: prefix });
        expect(['giftee', 'coupon', 'other']).toContain(c.kind);
      }),
    );
    expect(classifyScan('4901234567894')).toEqual({ kind: 'other', code: '4901234567894' });
    expect(classifyScan('')).toEqual({ kind: 'other', code: '' });
  });
});

describe('createDoubleScanFilter', () => {
  it('collapses the same code within the window, not after it, and not other codes', () => {
    const f = createDoubleScanFilter(1500);
    expect(f.isDuplicate('A', 0)).toBe(false);
    expect(f.isDuplicate('A', 1000)).toBe(true);
    expect(f.isDuplicate('B', 1100)).toBe(false);
    expect(f.isDuplicate('A', 2400)).toBe(true); // 2400 after the first, but 1400 after the last
    expect(f.isDuplicate('A', 4200)).toBe(false);
    f.reset();
    expect(f.isDuplicate('B', 4300)).toBe(false);
  });
});
