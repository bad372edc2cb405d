import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, demoSimUrls, humanType, simControl, startApp, wedgeScan, type App } from './harness';

describe('register: keyboard-wedge scans, basket, confirm', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
    await app.page.getByTestId('banner-demo').waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a product scan goes into the basket; the ticket scan shows the coupon; Enter redeems', async () => {
    const { page } = app;
    await wedgeScan(page, DEMO.cookies.code);
    await page.getByTestId('basket-item').filter({ hasText: DEMO.cookies.name }).waitFor();

    await wedgeScan(page, DEMO.ticket500[0]);
    const result = page.getByTestId('scan-result');
    await result.getByTestId('scan-kind').and(page.locator('[data-kind="giftee"]')).waitFor();
    expect(await result.getByTestId('scan-coupon').textContent()).toContain('giftee 500円OFFチケット');
    await page.getByTestId('scan-ready').waitFor();
    expect(await page.getByTestId('scan-benefit').textContent()).toBe('値引 500円');

    // The scan's digits never end up in a field.
    expect(await page.getByTestId('amount-input').inputValue()).toBe('');
    expect(await page.getByTestId('manual-input').inputValue()).toBe('');

    await page.keyboard.press('Enter');
    await page.getByTestId('redeem-success').waitFor();
    expect(await page.getByTestId('redeem-success').textContent()).toContain('利用しました');
    expect(await page.getByTestId('redeem-discount').textContent()).toContain('500円');
    expect(await page.getByTestId('basket-item').count()).toBe(0);
    await page.getByTestId('recent-row').filter({ hasText: 'giftee 500円OFFチケット' }).first().waitFor();
  });

  it('a ticket first, then the amount typed by hand, confirmed with F12; voided with F10 twice', async () => {
    const { page } = app;
    await wedgeScan(page, DEMO.ticket500[1]);
    await page.getByTestId('scan-coupon').getByText('giftee 500円OFFチケット').waitFor();
    // Nothing in the basket yet: below the minimum, and the amount field has the focus.
    await page.getByTestId('scan-reason').waitFor();
    expect(await page.getByTestId('scan-reason').getAttribute('data-reason')).toBe('below_min_amount');
    expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('amount-input');

    await humanType(page, '1500');
    await page.getByTestId('scan-ready').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('confirm-button').isEnabled()).toBe(true);
    await page.keyboard.press('F12');
    await page.getByTestId('redeem-success').waitFor();
    expect(await page.getByTestId('amount-input').inputValue()).toBe('');

    await page.keyboard.press('F10');
    await page.getByTestId('void-button').getByText('もう一度押すと取消します').waitFor();
    await page.keyboard.press('F10');
    await page.getByTestId('redeem-voided').waitFor();
  });

  it('a used ticket is refused in big red with the reason', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await wedgeScan(page, DEMO.ticket500[0]); // redeemed in the first test
    await page.getByTestId('scan-coupon').waitFor();
    await page.keyboard.press('F6');
    await humanType(page, '2000');
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-reason').and(page.locator('[data-reason="ticket_used"]')).waitFor();
    expect(await page.getByTestId('scan-reason').textContent()).toContain('すでに使用済み');
  });

  it('a ticket giftee knows as used or expired says so at the scan, before any Enter; nothing is consumed', async () => {
    const { page } = app;
    const giftee = (await demoSimUrls(app)).giftee;
    await page.keyboard.press('Escape');
    await wedgeScan(page, DEMO.cookies.code); // 1,080 yen: the local rules pass the used ticket
    await page.getByTestId('basket-item').waitFor();
    // giftee slow to answer: the ticket waits for it, never shown as usable meanwhile.
    await simControl(giftee, 'POST', '/__sim/config', { latencyMs: 1_500 });
    try {
      await wedgeScan(page, DEMO.usedTicket);
      await page.getByTestId('scan-verifying').getByText('giftee に確認中…').waitFor();
      expect(await page.getByTestId('scan-ready').count()).toBe(0);
      expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);
    } finally {
      await simControl(giftee, 'POST', '/__sim/config', { latencyMs: 0 });
    }
    await page.getByTestId('scan-reason').and(page.locator('[data-reason="ticket_used"]')).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('scan-reason').textContent()).toContain('すでに使用済み');
    expect(await page.getByTestId('scan-ready').count()).toBe(0);
    expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);
    // A basket change is re-checked locally; giftee's refusal stands.
    await page.keyboard.press('+');
    await page.waitForTimeout(500);
    expect(await page.getByTestId('scan-reason').getAttribute('data-reason')).toBe('ticket_used');

    // Below coupon 102's minimum at the scan; once the amount makes it locally ok, giftee is asked.
    await page.keyboard.press('Escape');
    await wedgeScan(page, DEMO.expiredTicket);
    await page.getByTestId('scan-reason').and(page.locator('[data-reason="below_min_amount"]')).waitFor();
    await page.keyboard.press('F6');
    await humanType(page, '3000');
    await page.getByTestId('scan-reason').and(page.locator('[data-reason="ticket_expired"]')).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);

    const state = (await simControl(giftee, 'GET', '/__sim/state')) as { consumptions: Array<{ code: string }>; tickets: Array<{ code: string; status: string }> };
    expect(state.consumptions.filter((c) => c.code === DEMO.usedTicket || c.code === DEMO.expiredTicket)).toEqual([]);
    const requests = (await simControl(giftee, 'GET', '/__sim/requests')) as Array<{ method: string; path: string }>;
    expect(requests.filter((r) => r.path.endsWith('/consume') && (r.path.includes(DEMO.usedTicket) || r.path.includes(DEMO.expiredTicket)))).toEqual([]);
  });

  it('a scan while a person has typed into the amount field leaves their typing, and nothing of the scan', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F6');
    await humanType(page, '12');
    await wedgeScan(page, DEMO.coffee.code);
    await page.getByTestId('basket-item').filter({ hasText: DEMO.coffee.name }).waitFor();
    expect(await page.getByTestId('amount-input').inputValue()).toBe('12');
    // Quantity keys work on the selected line (outside the text fields).
    await page.keyboard.press('Escape');
    await wedgeScan(page, DEMO.coffee.code);
    await page.getByTestId('basket-item').waitFor();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    expect(await page.getByTestId('basket-qty').textContent()).toBe('3');
    await page.keyboard.press('-');
    expect(await page.getByTestId('basket-qty').textContent()).toBe('2');
    await page.keyboard.press('Delete');
    expect(await page.getByTestId('basket-item').count()).toBe(0);
  });

  it('manual entry of a damaged barcode goes through the same check', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F7');
    await humanType(page, 'abc');
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-reason').and(page.locator('[data-reason="not_gift_ticket"]')).waitFor();
    expect(await page.getByTestId('manual-input').inputValue()).toBe('');
  });

  it('the log finds those scans and exports them as CSV', async () => {
    const { page } = app;
    await page.keyboard.press('F4');
    await page.getByTestId('log-table').waitFor();
    await page.getByTestId('log-search').fill(DEMO.ticket500[1]);
    await expect.poll(async () => (await page.getByTestId('log-row').allTextContents()).every((r) => r.includes('4110001 8226')), { timeout: 10_000 }).toBe(true);
    // Typed the way the screen shows it, in groups (here with a full-width space from an IME).
    await page.getByTestId('log-search').fill('');
    await expect.poll(async () => (await page.getByTestId('log-row').allTextContents()).some((r) => !r.includes('4110001 8226')), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('log-search').fill('4110001 8226\u30008822');
    await expect
      .poll(async () => {
        const rows = await page.getByTestId('log-row').allTextContents();
        return rows.length > 0 && rows.every((r) => r.includes('4110001 8226 8822'));
      }, { timeout: 10_000 })
      .toBe(true);
    await page.getByTestId('log-verdict').selectOption('rejected');
    await page.getByTestId('log-search').fill('');
    await expect.poll(async () => {
      const verdicts = await page.getByTestId('log-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verdict')));
      return verdicts.length > 0 && verdicts.every((v) => v === 'rejected');
    }, { timeout: 10_000 }).toBe(true);
    await page.getByTestId('log-verdict').selectOption('');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const path = await download.path();
    const csv = (await import('node:fs')).readFileSync(path, 'utf8');
    expect(csv).toContain(DEMO.ticket500[0]);
    await page.getByTestId('log-exported').waitFor();
    await page.keyboard.press('F1');
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
