import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, demoSimUrls, humanType, simControl, startApp, wedgeScan, type App } from './harness';

describe('offline: giftee unreachable blocks redemption', () => {
  let app: App;
  let giftee: string;
  beforeAll(async () => {
    // Fast connectivity probes so the test does not wait 15 s for the monitor.
    app = await startApp({ env: { REGISTER_COMPANION_PROBE_ONLINE_MS: '300', REGISTER_COMPANION_PROBE_OFFLINE_MS: '300' } });
    await app.page.getByTestId('banner-demo').waitFor();
    giftee = (await demoSimUrls(app)).giftee;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the offline banner, disables confirm and refuses scans with the offline reason', async () => {
    const { page } = app;
    // A ticket that could be redeemed while online…
    await wedgeScan(page, DEMO.cookies.code);
    await wedgeScan(page, DEMO.ticket500[2]);
    await page.getByTestId('scan-ready').waitFor();

    // …until giftee goes away.
    await simControl(giftee, 'POST', '/__sim/faults', { mode: 'offline' });
    await page.getByTestId('banner-offline').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('banner-offline').textContent()).toContain('オフライン: ギフト券の利用はできません');
    expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);
    await page.getByTestId('confirm-blocked').waitFor();

    // The ticket on screen now shows the offline reason; Enter does nothing.
    await page.getByTestId('scan-reason').and(page.locator('[data-reason="offline"]')).waitFor();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('redeem-success').count()).toBe(0);
    // Said once, next to the buttons — not again by the Enter.
    await page.waitForTimeout(300);
    expect(await page.getByText('オフラインのため確定できません').count()).toBe(1);

    // Scanned again (same basket, past the double-scan window): the engine refuses it as offline.
    await page.waitForTimeout(1_600);
    await wedgeScan(page, DEMO.ticket500[2]);
    await page.getByTestId('scan-reason').and(page.locator('[data-reason="offline"]')).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('scan-reason').textContent()).toContain('オフライン');
    expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);

    // With an empty basket too, offline comes first: the basket can be fixed, the network cannot.
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1_600);
    await wedgeScan(page, DEMO.ticket500[2]);
    await page.getByTestId('scan-reason').and(page.locator('[data-reason="offline"]')).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('confirm-button').isDisabled()).toBe(true);
  });

  it('comes back when giftee does, and the ticket was not consumed', async () => {
    const { page } = app;
    await simControl(giftee, 'DELETE', '/__sim/faults');
    await page.getByTestId('banner-offline').waitFor({ state: 'detached', timeout: 15_000 });
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1_600); // past the double-scan window of the last scan
    await wedgeScan(page, DEMO.ticket500[2]);
    await page.getByTestId('scan-coupon').waitFor();
    await page.keyboard.press('F6');
    await humanType(page, '1200');
    await page.getByTestId('scan-ready').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.getByTestId('redeem-success').waitFor();
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
