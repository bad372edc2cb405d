import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

// Needs a Secret Service: `npm test` runs inside a D-Bus session with an unlocked gnome-keyring.
describe('settings: a secret goes to the keychain and comes back only masked', () => {
  let app: App;
  const SECRET = 'e2e-giftee-token-7f3a9c41d2';

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('saves the giftee access token and shows it masked, also after a reload', async () => {
    const { page } = app;
    await page.getByTestId('banner-demo').waitFor();
    await page.keyboard.press('F2');
    await page.getByTestId('settings-giftee').waitFor();
    const unavailable = page.getByTestId('secret-store-unavailable').first(); // one per secret field
    if (await unavailable.isVisible()) {
      throw new Error(`the keychain is not available in this session: ${await unavailable.textContent()} (run inside dbus-run-session with an unlocked gnome-keyring, as npm test does)`);
    }
    const masked = page.getByTestId('secret-masked-giftee-accessToken');
    // The keychain outlives data folders: a value left by an earlier run is removed first.
    if ((await masked.textContent())?.includes('設定済み')) {
      await page.getByTestId('secret-clear-giftee-accessToken').click();
      await masked.getByText('未設定').waitFor();
    }
    expect(await masked.textContent()).toContain('未設定');

    const input = page.getByTestId('secret-input-giftee-accessToken');
    expect(await input.getAttribute('type')).toBe('password');
    await input.fill(SECRET);
    await page.getByTestId('secret-save-giftee-accessToken').click();
    await page.getByTestId('secret-result-giftee-accessToken').getByText('キーチェーンに保管しました').waitFor();

    expect(await input.inputValue()).toBe(''); // the typed value is not kept
    const shown = (await masked.textContent()) ?? '';
    expect(shown).toContain('設定済み');
    expect(shown).not.toContain(SECRET);
    expect(await page.content()).not.toContain(SECRET);

    await page.reload();
    await page.getByTestId('banner-demo').waitFor(); // the app is up (and its keys are listened to)
    await page.keyboard.press('F2');
    await page.getByTestId('secret-masked-giftee-accessToken').getByText('設定済み').waitFor();
    const after = (await page.getByTestId('secret-masked-giftee-accessToken').textContent()) ?? '';
    expect(after).toBe(shown);
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.getByTestId('secret-input-giftee-accessToken').inputValue()).toBe('');
  });

  it('shows a validation error next to the form and keeps what was typed', async () => {
    const { page } = app;
    const url = page.getByTestId('smaregi-apiBaseUrl');
    await url.fill('not a url');
    await page.getByTestId('smaregi-storeId').fill('42');
    await page.getByTestId('save-smaregi').click();
    await page.getByTestId('save-result-smaregi').waitFor();
    expect(await page.getByTestId('save-result-smaregi').getAttribute('class')).toContain('ng');
    expect(await url.inputValue()).toBe('not a url');
    expect(await page.getByTestId('smaregi-storeId').inputValue()).toBe('42');
    expect(await page.locator('.form-row.has-error [data-testid="smaregi-apiBaseUrl"]').count()).toBe(1);
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
