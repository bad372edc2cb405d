import { describe, expect, it } from 'vitest';
import { WedgeSettingsSchema } from '../../src/shared/contract/settings';
import { createWedgeDetector } from '../../src/renderer/scan/wedge';
import { createWedgeController, type FieldLike } from '../../src/renderer/scan/wedgeController';

const settings = WedgeSettingsSchema.parse({ maxGapMs: 30, minLength: 8 });

function codeOf(ch: string): { code: string; key: string; shiftKey: boolean } {
  if (/[0-9]/.test(ch)) return { code: `Digit${ch}`, key: ch, shiftKey: false };
  if (/[a-z]/.test(ch)) return { code: `Key${ch.toUpperCase()}`, key: ch, shiftKey: false };
  if (ch === '\n') return { code: 'Enter', key: 'Enter', shiftKey: false };
  throw new Error(ch);
}

function harness() {
  const field: FieldLike & { focused: boolean } = { value: '', selectionStart: 0, selectionEnd: 0, focused: true };
  const scans: string[] = [];
  const restores: string[] = [];
  let now = 1000;
  const controller = createWedgeController(createWedgeDetector(settings, 'jis'), {
    maxGapMs: settings.maxGapMs,
    focusedField: () => (field.focused ? field : null),
    restore: (f, v) => {
      restores.push(v);
      f.value = v;
    },
    onScan: (t) => scans.push(t),
  });
  /** Type `text` with `gap` ms between keys; a printable key lands in the field unless prevented (as a browser would). */
  function type(text: string, gap: number) {
    const prevented: string[] = [];
    for (const ch of text) {
      now += gap;
      let defaultPrevented = false;
      const k = codeOf(ch);
      controller.onKeyDown({ ...k, timeStamp: now, preventDefault: () => (defaultPrevented = true), stopPropagation: () => {} });
      if (defaultPrevented) prevented.push(k.key);
      else if (ch !== '\n' && field.focused) field.value += ch;
    }
    return prevented;
  }
  const pause = (ms: number) => {
    now += ms;
  };
  return { field, scans, restores, type, pause };
}

describe('wedge controller', () => {
  it('takes a fast burst ending in Enter as a scan, swallows Enter, and removes it from the field', () => {
    const h = harness();
    h.type('12', 200); // a person typing
    h.pause(300);
    const prevented = h.type('123456700000000000000001\n', 5);
    expect(h.scans).toEqual(['123456700000000000000001']);
    expect(prevented).toEqual(['Enter']);
    expect(h.field.value).toBe('12'); // the person's typing stays, the scan is gone
  });

  it('leaves human typing alone, Enter included', () => {
    const h = harness();
    const prevented = h.type('123456789012\n', 150);
    expect(h.scans).toEqual([]);
    expect(prevented).toEqual([]);
    expect(h.field.value).toBe('123456789012');
  });

  it('a short fast burst is not a scan', () => {
    const h = harness();
    h.type('1234\n', 5);
    expect(h.scans).toEqual([]);
  });

  it('a key typed just before a burst is taken as part of it (timing cannot tell them apart)', () => {
    const h = harness();
    h.type('7', 300);
    h.type('4901234567894\n', 4); // the first scan key arrives 4 ms after the 7
    expect(h.scans).toEqual(['74901234567894']);
  });

  it('a scan with no focused field just scans', () => {
    const h = harness();
    h.field.focused = false;
    h.type('4901234567894\n', 5);
    expect(h.scans).toEqual(['4901234567894']);
    expect(h.restores).toEqual([]);
  });

  it('a scan right after slow typing (gap reset) restores only the scan', () => {
    const h = harness();
    h.type('9', 500);
    h.type('8', 500);
    h.pause(400);
    h.type('4901234567894\n', 4);
    expect(h.field.value).toBe('98');
    expect(h.scans).toEqual(['4901234567894']);
  });
});
