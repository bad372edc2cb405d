import { describe, expect, it } from 'vitest';
import { en } from '../../src/renderer/i18n/en';
import { ja, type MessageKey } from '../../src/renderer/i18n/ja';
import { translate, translator } from '../../src/renderer/i18n/translate';

describe('i18n', () => {
  it('has the same keys in both languages (also enforced by the type checker)', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
  });

  it('has no empty message', () => {
    for (const [k, v] of [...Object.entries(ja), ...Object.entries(en)]) expect(v.trim(), k).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(ja) as MessageKey[]) expect(names(en[k]), k).toEqual(names(ja[k]));
  });

  it('translates and fills placeholders', () => {
    expect(translate('ja', 'banner.reconnecting', { attempt: 3 })).toBe('再接続中…（3回目）');
    expect(translate('en', 'banner.reconnecting', { attempt: 3 })).toBe('Reconnecting… (attempt 3)');
    expect(translator('en')('tab.register')).toBe('Register');
  });

  it('leaves a placeholder without a value as written', () => {
    expect(translate('en', 'status.pending')).toBe('{n} pending');
    expect(translate('en', 'status.pending', { other: 1 })).toBe('{n} pending');
  });

  it('falls back to Japanese, then to the key', () => {
    // A language missing at runtime (a stale persisted value) or a key unknown to it.
    expect(translate('xx' as 'ja', 'tab.sync')).toBe('同期');
    expect(translate('en', 'no.such.key' as MessageKey)).toBe('no.such.key');
  });

  it('fills a value that itself contains braces only once', () => {
    expect(translate('en', 'common.error', { message: '{n} broke' })).toBe('Error: {n} broke');
  });
});
