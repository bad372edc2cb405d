import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

/** The engine: the browser host's node child. */
function enginePid(app: App): number {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(app.child.pid)], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes('engine.js'));
  if (!line) throw new Error(`no engine child of ${app.child.pid}:\n${out}`);
  return Number(line.trim().split(/\s+/)[0]);
}

describe('engine restart: the reconnecting banner', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
    await app.page.getByTestId('banner-demo').waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows 再接続中… while the engine is restarted, then fetches everything again', async () => {
    const { page } = app;
    const before = enginePid(app);
    process.kill(before, 'SIGKILL');
    await page.getByTestId('banner-reconnecting').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('banner-reconnecting').textContent()).toContain('再接続中');
    await page.getByTestId('banner-reconnecting').waitFor({ state: 'detached', timeout: 30_000 });
    expect(enginePid(app)).not.toBe(before);
    // Status came back from the new engine: the demo banner and the pills are there again.
    await page.getByTestId('banner-demo').waitFor();
    await page.getByTestId('pill-giftee').getByText('接続中').waitFor({ timeout: 15_000 });
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
