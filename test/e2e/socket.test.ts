import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

// The renderer's own WebSocket handling, against the fake host (test/e2e/fake-host.ts), which can
// cut the socket on request: the real host only drops it when it goes away altogether.
describe('browser mode: the socket drops and comes back', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ command: ['--import', 'tsx', 'test/e2e/fake-host.ts', '--renderer', 'out/renderer'] });
    await app.page.getByTestId('banner-demo').waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the reconnecting banner, reconnects with backoff and re-fetches', async () => {
    const { page, origin } = app;
    await fetch(`${origin}/__fake/drop`, { method: 'POST' });
    await page.getByTestId('banner-reconnecting').waitFor({ timeout: 5_000 });
    await page.getByTestId('banner-reconnecting').waitFor({ state: 'detached', timeout: 15_000 });
    // The host reports its engine restarting (banner with the attempt), then ready again.
    await fetch(`${origin}/__fake/engine`, { method: 'POST', body: JSON.stringify({ state: 'reconnecting', attempt: 2 }) });
    await page.getByTestId('banner-reconnecting').getByText('再接続中…（2回目）').waitFor();
    await fetch(`${origin}/__fake/engine`, { method: 'POST', body: JSON.stringify({ state: 'ready' }) });
    await page.getByTestId('banner-reconnecting').waitFor({ state: 'detached' });
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
