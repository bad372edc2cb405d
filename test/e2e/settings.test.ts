import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startApp, wedgeScan, type App } from './harness';

describe('settings: readable validation, edits kept across a scan', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
    await app.page.getByTestId('banner-demo').waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a refused value is explained per field with its label, in the current language; what was typed stays', async () => {
    const { page } = app;
    await page.keyboard.press('F2');
    const section = page.getByTestId('settings-smaregi');
    await page.getByTestId('smaregi-apiBaseUrl').fill('api.smaregi.example');
    await page.getByTestId('save-smaregi').click();
    const bar = page.getByTestId('save-result-smaregi');
    await bar.getByText('APIサーバーURL: http(s):// で始まるURLを入力してください').waitFor();
    expect(await bar.textContent()).not.toMatch(/Invalid|apiBaseUrl/);
    expect(await section.locator('.field-error').allTextContents()).toContain('http(s):// で始まるURLを入力してください');
    expect(await page.getByTestId('smaregi-apiBaseUrl').inputValue()).toBe('api.smaregi.example');

    await page.getByTestId('scanner-minLength').fill('0');
    await page.getByTestId('save-scanner').click();
    await page.getByTestId('save-result-scanner').getByText('最小桁数: 1〜100 の整数を入力してください').waitFor();
    expect(await page.getByTestId('save-result-scanner').textContent()).not.toMatch(/wedge|Too small/);

    await page.keyboard.press('F9');
    await bar.getByText('API server URL: Enter a URL starting with http:// or https://').waitFor();
    await page.getByTestId('save-result-scanner').getByText('Minimum length: Enter a whole number from 1 to 100').waitFor();
    await page.keyboard.press('F9');
    await bar.getByText('APIサーバーURL').waitFor();
  });

  it('a scan while editing brings up the register, and the unsaved edits are still there afterwards', async () => {
    const { page } = app;
    await page.getByTestId('smaregi-storeId').fill('123');
    await page.getByTestId('smaregi-storeId').focus();
    await wedgeScan(page, DEMO.coffee.code);
    await page.getByTestId('screen-register').waitFor();
    await page.getByTestId('basket-item').filter({ hasText: DEMO.coffee.name }).waitFor();
    await page.getByTestId('tab-settings-unsaved').waitFor();

    await page.keyboard.press('F2');
    await page.getByTestId('screen-settings').waitFor();
    expect(await page.getByTestId('smaregi-storeId').inputValue()).toBe('123'); // nothing of the scan in it
    expect(await page.getByTestId('smaregi-apiBaseUrl').inputValue()).toBe('api.smaregi.example');
    expect(await page.getByTestId('scanner-minLength').inputValue()).toBe('0');
    await page.getByTestId('unsaved-smaregi').waitFor();

    // Fixed and saved: the form follows the engine again.
    await page.getByTestId('smaregi-apiBaseUrl').fill('');
    await page.getByTestId('smaregi-storeId').fill('1');
    await page.getByTestId('save-smaregi').click();
    await page.getByTestId('save-result-smaregi').getByText('保存しました').waitFor();
    expect(await page.getByTestId('unsaved-smaregi').count()).toBe(0);
  });

  it('channels this version does not have are said to be not available, with nothing to test or wait for', async () => {
    const { page } = app;
    for (const c of ['nextengine', 'makeshop', 'linegift', 'ebisumart']) {
      const row = page.getByTestId(`channel-${c}`);
      expect(await row.textContent()).toContain('未対応（今後のバージョンで対応）');
      expect(await row.textContent()).not.toContain('確認中');
      expect(await page.getByTestId(`test-${c}`).count()).toBe(0);
    }
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
