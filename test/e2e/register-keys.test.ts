import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, humanType, startApp, wedgeScan, type App } from './harness';

const focused = (app: App) => app.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

describe('register: keyboard-only flows', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
    await app.page.getByTestId('banner-demo').waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('after a manual lookup (F7, 24 digits, Enter) the next Enter confirms', async () => {
    const { page } = app;
    await wedgeScan(page, DEMO.cookies.code);
    await page.getByTestId('basket-item').waitFor();
    await page.keyboard.press('F7');
    await humanType(page, DEMO.ticket500[0]);
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-ready').waitFor();
    expect(await focused(app)).not.toBe('manual-input'); // the focus came back to the screen
    await page.keyboard.press('Enter');
    await page.getByTestId('redeem-success').waitFor();
  });

  it('Enter in the emptied manual field confirms too', async () => {
    const { page } = app;
    await wedgeScan(page, DEMO.cookies.code);
    await page.getByTestId('basket-item').waitFor();
    await page.keyboard.press('F7');
    await humanType(page, DEMO.ticket500[1]);
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-ready').waitFor();
    await page.keyboard.press('F7');
    expect(await focused(app)).toBe('manual-input');
    await page.keyboard.press('Enter');
    await page.getByTestId('redeem-success').waitFor();
  });

  it('an amount that is not one: 「金額が正しくありません」, confirm disabled, never checked as "below the minimum"', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await wedgeScan(page, DEMO.ticket500[2]);
    await page.getByTestId('scan-coupon').waitFor();
    for (const bad of ['999999999', '1e3', '-100', '1500.5']) {
      // Filled, not typed: on this screen the - key changes the selected line's quantity.
      await page.getByTestId('amount-input').fill(bad);
      await page.getByTestId('scan-reason').getByText('金額が正しくありません').waitFor();
      expect(await page.getByTestId('amount-error').textContent()).toContain('数字');
      await page.waitForTimeout(500); // longer than the re-check's debounce: still nothing else
      expect(await page.getByTestId('scan-reason').getAttribute('data-reason')).toBe('basket');
      expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);
    }
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('redeem-success').count()).toBe(0);
    await page.keyboard.press('F6');
    await humanType(page, '1500');
    await page.getByTestId('scan-ready').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('amount-error').count()).toBe(0);
  });

  it("the engine's refusal of the basket (amount below the scanned items) is shown next to the amount, in the current language", async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await wedgeScan(page, DEMO.coffee.code); // 1,280 yen
    await page.getByTestId('basket-item').waitFor();
    await page.keyboard.press('F6');
    await humanType(page, '500');
    await wedgeScan(page, DEMO.ticket500[2]);
    const note = page.getByTestId('amount-error');
    await note.and(page.locator('[data-source="engine"]')).waitFor({ timeout: 10_000 });
    const ja = (await note.textContent()) ?? '';
    expect(ja).toMatch(/[ぁ-んァ-ン]/);
    expect(ja).not.toMatch(/[A-Za-z]{4}/); // Japanese only, not "日本語 / English"
    expect(await page.getByTestId('register-error').count()).toBe(0);
    expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('scan-reason').getAttribute('data-reason')).toBe('basket');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('redeem-success').count()).toBe(0);

    await page.keyboard.press('F9');
    await page.getByTestId('tab-register').getByText('Register').waitFor();
    await expect.poll(async () => (await note.textContent()) ?? '').not.toMatch(/[ぁ-んァ-ン]/);
    await page.keyboard.press('F9');
    await page.getByTestId('tab-register').getByText('レジ').waitFor();

    // Fixed: checked again, and the note goes.
    await page.keyboard.press('F6');
    await humanType(page, '1500');
    await page.getByTestId('scan-ready').waitFor({ timeout: 10_000 });
    expect(await note.count()).toBe(0);
  });

  it('Esc, then the same ticket at once: it is checked (not ignored as a double scan)', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1_600); // a fresh start for this code
    await wedgeScan(page, DEMO.ticket500[2]);
    await page.getByTestId('scan-coupon').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('scan-result').and(page.locator('[data-display="idle"]')).waitFor();
    await wedgeScan(page, DEMO.ticket500[2]); // same code, same (empty) basket, inside the window
    await page.getByTestId('scan-coupon').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('scan-notice').count()).toBe(0);
    expect(await page.getByTestId('scan-code').textContent()).toBe('4110001 8665 7046 9107 28991');
  });

  it('the Esc button says クリア, not 取消 (which is the void)', async () => {
    const { page } = app;
    expect(await page.getByTestId('cancel-button').textContent()).toContain('クリア');
    expect(await page.getByTestId('cancel-button').textContent()).not.toContain('取消');
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
