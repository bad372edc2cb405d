import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBootKeyboardDecoder, decodeBootKeyboardReports, encodeBootKeyboardReports } from '../../src/core/scan/boot-keyboard';
import { keyByCode, keyByUsage, keyChar, KEYS } from '../../src/renderer/scan/keymap';
import { loadHidFixtures } from './fixtures';

const kbFixtures = loadHidFixtures().filter((f) => f.format === 'boot-keyboard');
const report = (mods: number, ...keys: number[]) => {
  const r = new Uint8Array(8);
  r[0] = mods;
  r.set(keys, 2);
  return r;
};
const RELEASE = report(0);

/** Printable ASCII as each layout types it (JIS has no Shift+0, but every ASCII character is somewhere). */
const typable = (layout: 'us' | 'jis') =>
  fc.constantFrom(...[...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-./ ,'].concat(layout === 'us' ? [...'!@#$%^&*()_=+[]{};:\'"\\|<>?`~'] : [...'!"#$%&\'()=^~@`[]{};:+*<>?_\\|']));

describe('boot keyboard recorded reports', () => {
  it('covers US and JIS, shift, rollover and report ids', () => {
    expect(kbFixtures.map((f) => f.file)).toEqual(
      expect.arrayContaining(['keyboard-us-giftee.json', 'keyboard-jis-shift.json', 'keyboard-rollover.json', 'keyboard-reportid-numpad.json']),
    );
  });

  for (const f of kbFixtures) {
    it(`${f.file} decodes to the recorded text on ${f.layout}`, () => {
      const { text, errors } = decodeBootKeyboardReports(f.reports, f.layout!);
      expect(errors).toEqual([]);
      expect(text).toBe(f.expected.typed);
      expect(text.split(/[\r\t]/).filter(Boolean)).toEqual(f.expected.scans);
    });
  }

  it('the same JIS reports read as US give US symbols (the layout setting matters)', () => {
    const f = kbFixtures.find((x) => x.file === 'keyboard-jis-shift.json')!;
    expect(decodeBootKeyboardReports(f.reports, 'us').text).toBe(f.expected.typedUs);
  });
});

describe('boot keyboard rules', () => {
  it('a held key types once; a repeated key needs a release in between', () => {
    const d = createBootKeyboardDecoder('us');
    const seq = [report(0, 0x1e), report(0, 0x1e), report(0, 0x1e), RELEASE, report(0, 0x1e), RELEASE];
    expect(seq.map((r) => (d.push(r) as { value: string }).value).join('')).toBe('11');
  });

  it('rollover: the newly added key types, the still-held one does not', () => {
    const { text } = decodeBootKeyboardReports([report(0, 0x04), report(0, 0x04, 0x05), report(0, 0x05, 0x06), report(0, 0x06), RELEASE], 'us');
    expect(text).toBe('abc');
  });

  it('ErrorRollOver (and POSTFail / ErrorUndefined) reports are ignored and keep the held state', () => {
    const { text } = decodeBootKeyboardReports(
      [report(0, 0x04), report(0, 1, 1, 1, 1, 1, 1), report(0, 0x04), report(0, 2, 2, 2, 2, 2, 2), report(0, 3, 3, 3, 3, 3, 3), report(0, 0x04, 0x05), RELEASE],
      'us',
    );
    expect(text).toBe('ab');
  });

  it('left and right shift both shift; Ctrl/Alt/GUI chords type nothing', () => {
    expect(decodeBootKeyboardReports([report(0x02, 0x04), RELEASE, report(0x20, 0x05), RELEASE, report(0x01, 0x06), RELEASE, report(0x04, 0x07), RELEASE, report(0x80, 0x08), RELEASE], 'us').text).toBe('AB');
    expect(decodeBootKeyboardReports([report(0x02, 0x1f), RELEASE, report(0x02, 0x1f), RELEASE], 'us').text).toBe('@@');
    expect(decodeBootKeyboardReports([report(0x02, 0x1f), RELEASE, report(0x02, 0x27), RELEASE], 'jis').text).toBe('"');
  });

  it('Enter, NumpadEnter and Tab come out as terminators; unknown keys type nothing', () => {
    expect(decodeBootKeyboardReports([report(0, 0x1e), report(0, 0x28), RELEASE, report(0, 0x58), RELEASE, report(0, 0x2b), RELEASE, report(0, 0x3a), RELEASE], 'jis').text).toBe('1\r\r\t');
  });

  it('report ids: 9-byte reports carry one; a fixed id ignores other reports', () => {
    const withId = (id: number, r: Uint8Array) => Uint8Array.of(id, ...r);
    expect(decodeBootKeyboardReports([withId(1, report(0, 0x04)), withId(1, RELEASE)], 'us').text).toBe('a');
    const d = createBootKeyboardDecoder('us', { reportId: 1 });
    expect(d.push(withId(3, report(0, 0x04)))).toEqual({ ok: true, value: '' });
    expect(d.push(withId(1, report(0, 0x05)))).toEqual({ ok: true, value: 'b' });
  });

  it('never throws on arbitrary input; wrong sizes are typed errors', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ minLength: 8, maxLength: 9 }), fc.uint8Array({ maxLength: 20 }), fc.anything()), { maxLength: 30 }), fc.constantFrom('us', 'jis'), (reports, layout) => {
        const { text, errors } = decodeBootKeyboardReports(reports, layout as 'us' | 'jis');
        expect(typeof text).toBe('string');
        for (const e of errors) expect(['not_bytes', 'bad_length']).toContain(e.code);
      }),
      { numRuns: 1000 },
    );
    expect(createBootKeyboardDecoder('us').push(new Uint8Array(5))).toMatchObject({ ok: false, error: { code: 'bad_length' } });
    expect(createBootKeyboardDecoder('us').push({})).toMatchObject({ ok: false, error: { code: 'not_bytes' } });
  });
});

describe('boot keyboard round trips', () => {
  for (const layout of ['us', 'jis'] as const) {
    it(`text → reports → text on ${layout} (press/release, rollover, right shift, report id)`, () => {
      fc.assert(
        fc.property(
          fc.array(typable(layout), { maxLength: 40 }).map((a) => a.join('')),
          fc.constantFrom('', '\r', '\t'),
          fc.record({ rollover: fc.boolean(), rightShift: fc.boolean(), reportId: fc.constantFrom(undefined, 1) }),
          (text, term, opts) => {
            const reports = encodeBootKeyboardReports(text + term, layout, opts);
            expect(reports).not.toBeNull();
            const { text: back, errors } = decodeBootKeyboardReports(reports!, layout);
            expect(errors).toEqual([]);
            expect(back).toBe(text + term);
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  it('a 24-digit giftee code with repeated digits survives rollover encoding on both layouts', () => {
    for (const layout of ['us', 'jis'] as const) {
      const reports = encodeBootKeyboardReports('100000112345678901234567\r', layout, { rollover: true })!;
      expect(decodeBootKeyboardReports(reports, layout).text).toBe('100000112345678901234567\r');
    }
  });

  it('characters a layout cannot type are refused by the encoder', () => {
    expect(encodeBootKeyboardReports('ギフト', 'jis')).toBeNull();
    expect(encodeBootKeyboardReports('café', 'us')).toBeNull();
    expect(encodeBootKeyboardReports('`~', 'jis')).not.toBeNull(); // JIS has them on @` and ^~
  });
});

describe('shared keymap', () => {
  it('every key reachable by usage id is reachable by KeyboardEvent.code, and both give the same characters', () => {
    for (const k of KEYS) {
      for (const u of k.usages) expect(keyByUsage(u)).toBe(k);
      for (const c of k.codes) expect(keyByCode(c)).toBe(k);
    }
    expect(keyChar(keyByCode('BracketLeft')!, false, 'jis')).toBe('@');
    expect(keyChar(keyByUsage(0x2f)!, false, 'us')).toBe('[');
    expect(keyChar(keyByUsage(0x32)!, true, 'jis')).toBe('}');
  });
});
