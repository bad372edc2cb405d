import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyScan } from '../../src/core/scan/classify';
import { normalizeScan } from '../../src/core/scan/normalize';
import type { WedgeSettings } from '../../src/shared/contract/settings';
import { keyForChar } from '../../src/renderer/scan/keymap';
import { createWedgeDetector, type WedgeKey, type WedgeStep } from '../../src/renderer/scan/wedge';

const SETTINGS: WedgeSettings = { maxGapMs: 30, minLength: 8, terminators: ['Enter', 'Tab'] };
const GIFTEE = '100000112345678901234567';
const KANA: Record<string, string> = { '1': 'ぬ', '2': 'ふ', '3': 'あ', '4': 'う', '5': 'え', '6': 'お', '7': 'や', '8': 'ゆ', '9': 'よ', '0': 'わ' };

/** The keydown events a wedge scanner (or a person) produces typing `text` on `layout`. */
function keys(text: string, layout: 'us' | 'jis', gaps: (i: number) => number, start = 1000, keyOf: (ch: string) => string = (ch) => ch): WedgeKey[] {
  const out: WedgeKey[] = [];
  let t = start;
  [...text].forEach((ch, i) => {
    if (i > 0) t += gaps(i);
    if (ch === '\r') {
      out.push({ code: 'Enter', key: 'Enter', shiftKey: false, timeStamp: t });
      return;
    }
    const k = keyForChar(ch, layout);
    if (!k) throw new Error(`cannot type ${ch}`);
    if (k.shift) out.push({ code: 'ShiftLeft', key: 'Shift', shiftKey: true, timeStamp: t });
    out.push({ code: k.key.codes[0], key: keyOf(ch), shiftKey: k.shift, timeStamp: t });
  });
  return out;
}

function run(events: WedgeKey[], settings = SETTINGS, layout: 'us' | 'jis' = 'jis'): { steps: WedgeStep[]; scans: string[] } {
  const d = createWedgeDetector(settings, layout);
  const steps = events.map((e) => d.feed(e));
  return { steps, scans: steps.flatMap((s) => (s.kind === 'scan' ? [s.text] : [])) };
}

describe('keyboard wedge detector', () => {
  it('fast keys + Enter → a scan of the 24-digit code', () => {
    const { steps, scans } = run(keys(`${GIFTEE}\r`, 'jis', () => 8));
    expect(scans).toEqual([GIFTEE]);
    expect(steps.slice(0, -1).every((s) => s.kind === 'pending')).toBe(true);
    expect(classifyScan(normalizeScan(scans[0]))).toMatchObject({ kind: 'giftee', prefix: '1000001' });
  });

  it('any text typed fast enough, long enough, on either layout comes back exactly', () => {
    const chars = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz-./');
    fc.assert(
      fc.property(fc.array(chars, { minLength: 8, maxLength: 40 }).map((a) => a.join('')), fc.constantFrom('us', 'jis'), fc.integer({ min: 0, max: 30 }), fc.constantFrom('Enter', 'NumpadEnter', 'Tab'), (text, layout, gap, term) => {
        const ev = keys(text, layout as 'us' | 'jis', () => gap);
        ev.push({ code: term, key: term === 'Tab' ? 'Tab' : 'Enter', shiftKey: false, timeStamp: ev[ev.length - 1].timeStamp + gap });
        expect(run(ev, SETTINGS, layout as 'us' | 'jis').scans).toEqual([text]);
      }),
      { numRuns: 300 },
    );
  });

  it('human typing (80–200 ms between keys) is never a scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'0123456789abcdefXYZ-\r'), { minLength: 1, maxLength: 60 }).map((a) => a.join('')),
        fc.array(fc.integer({ min: 80, max: 200 }), { minLength: 60, maxLength: 60 }),
        (text, gaps) => {
          expect(run(keys(text, 'jis', (i) => gaps[i])).scans).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('mixed: a person types, then the scanner fires — only the burst is the scan', () => {
    const human = keys('abc123', 'us', () => 150, 0);
    const burst = keys(`${GIFTEE}\r`, 'us', () => 5, 2000);
    const { scans } = run([...human, ...burst], SETTINGS, 'us');
    expect(scans).toEqual([GIFTEE]);
    // ...and the person typing again afterwards, then pressing Enter, is not a scan.
    const after = keys('42\r', 'us', () => 120, 5000);
    expect(run([...human, ...burst, ...after], SETTINGS, 'us').scans).toEqual([GIFTEE]);
  });

  it('one slow gap inside a burst breaks it: what follows must be long enough on its own', () => {
    const gaps = (i: number) => (i === 12 ? 100 : 5);
    expect(run(keys(`${GIFTEE}\r`, 'jis', gaps)).scans).toEqual([GIFTEE.slice(12)]);
    const short = keys('12345678901\r', 'jis', (i) => (i === 6 ? 100 : 5));
    expect(run(short).scans).toEqual([]);
  });

  it('a terminator after a pause, or a burst shorter than minLength, is not a scan', () => {
    expect(run(keys(`${GIFTEE}\r`, 'jis', (i) => (i === GIFTEE.length ? 31 : 5))).scans).toEqual([]);
    expect(run(keys('1234567\r', 'jis', () => 5)).scans).toEqual([]);
    expect(run(keys('12345678\r', 'jis', () => 5)).scans).toEqual(['12345678']);
  });

  it('with the IME on (key = "Process" or kana), the digits still come from the physical keys', () => {
    const withProcess = keys(`${GIFTEE}\r`, 'jis', () => 6, 0, () => 'Process');
    expect(run(withProcess).scans).toEqual([GIFTEE]);
    const withKana = keys(`${GIFTEE}\r`, 'jis', () => 6, 0, (ch) => KANA[ch] ?? ch);
    expect(run(withKana).scans).toEqual([GIFTEE]);
    const fullWidth = keys(`${GIFTEE}\r`, 'jis', () => 6, 0, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    expect(run(fullWidth).scans).toEqual([GIFTEE]);
  });

  it('shift (held between keys or auto-repeating) neither breaks a burst nor counts as activity', () => {
    const ev = keys('GIFT-CODE-12345\r', 'jis', () => 10);
    expect(ev.some((e) => e.code === 'ShiftLeft')).toBe(true);
    expect(run(ev).scans).toEqual(['GIFT-CODE-12345']);
    // A person holding Shift: repeats every 25 ms must not make their slow letters look like a burst.
    const held: WedgeKey[] = [];
    for (let t = 0, i = 0; i < 12; i++, t += 150) {
      held.push({ code: 'ShiftLeft', key: 'Shift', shiftKey: true, timeStamp: t + 125 });
      held.push({ code: `Key${'ABCDEFGHIJKL'[i]}`, key: 'ABCDEFGHIJKL'[i], shiftKey: true, timeStamp: t + 140 });
    }
    held.push({ code: 'Enter', key: 'Enter', shiftKey: false, timeStamp: held[held.length - 1].timeStamp + 10 });
    expect(run(held).scans).toEqual([]);
  });

  it('US vs JIS symbols come from the layout setting', () => {
    const ev: WedgeKey[] = ['KeyA', 'KeyB', 'KeyC', 'KeyD', 'BracketLeft', 'Quote', 'Digit2', 'Digit3', 'Enter'].map((code, i) => ({
      code,
      key: '?',
      shiftKey: code === 'Digit2',
      timeStamp: i * 5,
    }));
    expect(run(ev, SETTINGS, 'jis').scans).toEqual(['abcd@:"3']);
    expect(run(ev, SETTINGS, 'us').scans).toEqual(["abcd['@3"]);
  });

  it('only the configured terminators end a scan; other keys reset the burst', () => {
    const enterOnly: WedgeSettings = { ...SETTINGS, terminators: ['Enter'] };
    const viaTab = keys(GIFTEE, 'jis', () => 5);
    viaTab.push({ code: 'Tab', key: 'Tab', shiftKey: false, timeStamp: viaTab[viaTab.length - 1].timeStamp + 5 });
    expect(run(viaTab).scans).toEqual([GIFTEE]);
    expect(run(viaTab, enterOnly).scans).toEqual([]);
    const backspace = keys(GIFTEE, 'jis', () => 5);
    backspace.push({ code: 'Backspace', key: 'Backspace', shiftKey: false, timeStamp: 10_000 });
    backspace.push({ code: 'Enter', key: 'Enter', shiftKey: false, timeStamp: 10_001 });
    expect(run(backspace).scans).toEqual([]);
  });

  it('reset() drops a burst in progress; junk input is idle, never a throw', () => {
    const d = createWedgeDetector(SETTINGS, 'us');
    for (const e of keys(GIFTEE, 'us', () => 5)) d.feed(e);
    d.reset();
    expect(d.feed({ code: 'Enter', key: 'Enter', shiftKey: false, timeStamp: 1200 })).toEqual({ kind: 'idle' });
    fc.assert(
      fc.property(fc.array(fc.record({ code: fc.oneof(fc.string(), fc.constantFrom('Digit1', 'Enter', 'ShiftLeft', 'Tab')), key: fc.string(), shiftKey: fc.boolean(), timeStamp: fc.oneof(fc.double(), fc.integer()) })), (evs) => {
        const det = createWedgeDetector(SETTINGS, 'jis');
        for (const e of evs) expect(['idle', 'pending', 'scan']).toContain(det.feed(e).kind);
      }),
    );
  });
});
