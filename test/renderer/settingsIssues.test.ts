import { describe, expect, it } from 'vitest';
import { SettingsPatchSchema } from '../../src/shared/contract/settings';
import { issueFor, issueLine, issueSummary, issueText } from '../../src/renderer/settingsIssues';
import { sectionIssues } from '../../src/renderer/store/settings';

/** The issues the engine sends for a patch (same schema, same paths), with the section taken off as the store does. */
function engineIssues(section: 'smaregi' | 'scanner' | 'register', patch: Record<string, unknown>) {
  const r = SettingsPatchSchema.safeParse({ [section]: patch });
  if (r.success) throw new Error('expected the patch to be refused');
  return sectionIssues(
    section,
    r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

describe('settings validation messages', () => {
  it("says, per field and in the current language, what the field accepts — never zod's English or a path", () => {
    const issues = engineIssues('smaregi', { apiBaseUrl: 'api.smaregi.jp', storeId: '12a' });
    expect(issueFor('smaregi', issues, 'apiBaseUrl', 'ja')).toBe('http(s):// で始まるURLを入力してください');
    expect(issueFor('smaregi', issues, 'apiBaseUrl', 'en')).toBe('Enter a URL starting with http:// or https://');
    expect(issueFor('smaregi', issues, 'storeId', 'ja')).toBe('半角数字で入力してください（15桁まで）');
    expect(issueFor('smaregi', issues, 'clientId', 'ja')).toBeNull();
    const summary = issueSummary('smaregi', issues, 'ja');
    expect(summary).toBe('APIサーバーURL: http(s):// で始まるURLを入力してください / 店舗ID: 半角数字で入力してください（15桁まで）');
    expect(summary).not.toMatch(/Invalid|apiBaseUrl/);
  });

  it('the wedge fields (nested in the contract) get their label and the range from the contract', () => {
    const issues = engineIssues('scanner', { wedge: { minLength: 0, maxGapMs: 30, terminators: ['Enter'] } });
    expect(issues.map((i) => i.path)).toEqual(['wedge.minLength']);
    expect(issueLine('scanner', 'wedge.minLength', 'ja')).toBe('最小桁数: 1〜100 の整数を入力してください');
    expect(issueLine('scanner', 'wedge.minLength', 'en')).toBe('Minimum length: Enter a whole number from 1 to 100');
    expect(issueText('scanner', 'doubleScanWindowMs', 'ja')).toBe('0〜10000 の整数を入力してください');
  });

  it('a field it does not know still reads as a sentence, without the path', () => {
    expect(issueLine('register', 'somethingNew', 'ja')).toBe('入力内容が正しくありません');
    expect(issueLine('register', 'giftSaleProductCode', 'en')).toContain('1 to 20 characters');
  });
});
