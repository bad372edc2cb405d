import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

describe('browser mode: the app loads', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the demo banner and the register screen in Japanese', async () => {
    const { page } = app;
    await page.getByTestId('banner-demo').waitFor();
    expect(await page.getByTestId('banner-demo').textContent()).toContain('デモモード');
    expect(await page.getByTestId('tab-register').textContent()).toContain('レジ');
    expect(await page.getByTestId('screen-register').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
  });

  it('switches to English and back, and the choice is kept across a reload', async () => {
    const { page } = app;
    const toggle = page.getByTestId('language-toggle');
    expect(await toggle.textContent()).toContain('English');
    await toggle.click();
    await page.getByTestId('tab-register').getByText('Register').waitFor();
    expect(await page.getByTestId('banner-demo').textContent()).toContain('Demo mode');
    expect(await toggle.textContent()).toContain('日本語');

    await page.reload();
    await page.getByTestId('tab-register').getByText('Register').waitFor(); // persisted by settings.update

    await page.keyboard.press('F9'); // the keyboard shortcut does the same
    await page.getByTestId('tab-register').getByText('レジ').waitFor();
    expect(await page.getByTestId('banner-demo').textContent()).toContain('デモモード');
  });

  it('moves between screens with F1–F4', async () => {
    const { page } = app;
    for (const [key, screen] of [
      ['F2', 'settings'],
      ['F3', 'sync'],
      ['F4', 'log'],
      ['F1', 'register'],
    ] as const) {
      await page.keyboard.press(key);
      await page.getByTestId(`screen-${screen}`).waitFor();
    }
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
