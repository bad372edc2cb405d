import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startApp, wedgeScan, type App } from './harness';

/** Products with long names (the basket must keep them readable), then a ticket. */
const PRODUCTS = [DEMO.coffee.code, DEMO.cookies.code, '4573580001119', '4573580001102', '4573580001089'];

async function measure(app: App) {
  return app.page.evaluate(() => {
    const names = [...document.querySelectorAll<HTMLElement>('[data-testid="basket-item"] .basket-name')];
    const lineHeight = names.length ? parseFloat(getComputedStyle(names[0]).lineHeight) : 0;
    const right = Math.max(...[...document.querySelectorAll<HTMLElement>('button, input')].map((e) => e.getBoundingClientRect().right));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      /** Lines per product name (a name in one-character columns would be ~10+). */
      nameLines: names.map((n) => Math.round(n.getBoundingClientRect().height / lineHeight)),
      rightmostControl: right,
    };
  });
}

describe('register layout at register-PC sizes', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ viewport: { width: 1024, height: 768 } });
    await app.page.getByTestId('banner-demo').waitFor();
    for (const code of PRODUCTS) await wedgeScan(app.page, code);
    await app.page.getByTestId('basket-item').nth(PRODUCTS.length - 1).waitFor();
    await wedgeScan(app.page, DEMO.ticket500[0]);
    await app.page.getByTestId('scan-ready').waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    for (const [width, height] of [
      [1024, 768],
      [1366, 768],
    ] as const) {
      it(`${lang} ${width}×${height}: nothing wider than the window, names readable, the banner stays in sight`, async () => {
        const { page } = app;
        if ((await page.evaluate(() => document.documentElement.lang)) !== lang) {
          await page.keyboard.press('F9');
          await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
        }
        await page.setViewportSize({ width, height });
        await page.evaluate(() => window.scrollTo(0, 0));
        const m = await measure(app);
        expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
        expect(m.rightmostControl).toBeLessThanOrEqual(m.innerWidth); // the ✕ buttons are not clipped
        expect(m.nameLines.length).toBe(PRODUCTS.length);
        for (const lines of m.nameLines) expect(lines).toBeLessThanOrEqual(2);

        // Scrolled to the bottom, the demo banner is still at the top of the window.
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
        const box = await page.getByTestId('banner-demo').boundingBox();
        expect(box).not.toBeNull();
        expect(box!.y).toBeGreaterThanOrEqual(0);
        expect(box!.y).toBeLessThan(5);
        expect(await page.getByTestId('banner-demo').isVisible()).toBe(true);
      });
    }
  }

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
