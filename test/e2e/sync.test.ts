import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSimUrls, engineCall, simControl, startApp, type App } from './harness';

/** Unused, unexpired demo tickets of coupons without product conditions, with an amount each accepts. */
function demoTickets(): { code: string; amount: number }[] {
  const seed = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../src/sim/demo-seed.json'), 'utf8')) as {
    giftee: { tickets: { code: string; status: string; expiresAt: string }[] };
  };
  const amountFor: Record<string, number> = { '4110001': 1500, '4110002': 3000, '4110003': 1500 };
  return seed.giftee.tickets
    .filter((t) => t.status === 'unused' && Date.parse(t.expiresAt) > Date.now() && amountFor[t.code.slice(0, 7)]).map((t) => ({ code: t.code, amount: amountFor[t.code.slice(0, 7)] }));
}

async function redeem(app: App, t: { code: string; amount: number }): Promise<void> {
  const r = await engineCall(app, 'redemption.redeem', { raw: t.code, source: 'manual', basket: { items: [], amount: t.amount } });
  if (r.status !== 'redeemed') throw new Error(`seed redemption of ${t.code}: ${r.status} ${r.reason ?? ''}`);
}

async function count(app: App, target: string, which: 'pending' | 'inFlight' | 'failed' | 'sent'): Promise<number> {
  const el = app.page.getByTestId(`sync-count-${target}-${which}`);
  return (await el.count()) === 0 ? 0 : Number(await el.textContent());
}

describe('sync screen: a backlog drains, a failure is shown and resent', () => {
  let app: App;
  let smaregi: string;
  const tickets = demoTickets();
  const backlog = tickets.slice(0, 6);

  beforeAll(async () => {
    app = await startApp({ env: { REGISTER_COMPANION_PROBE_ONLINE_MS: '400', REGISTER_COMPANION_PROBE_OFFLINE_MS: '400' } });
    await app.page.getByTestId('banner-demo').waitFor();
    smaregi = (await demoSimUrls(app)).smaregi;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('holds sales while Smaregi is unreachable and drains them with a progress bar when it is back', async () => {
    const { page } = app;
    expect(tickets.length).toBeGreaterThanOrEqual(7);
    await simControl(smaregi, 'POST', '/__sim/faults', { mode: 'offline' });
    for (const t of backlog) await redeem(app, t);

    await page.keyboard.press('F3');
    await page.getByTestId('screen-sync').waitFor();
    await expect.poll(async () => (await count(app, 'smaregi', 'pending')) + (await count(app, 'smaregi', 'inFlight')), { timeout: 15_000 }).toBe(6);
    expect(await count(app, 'smaregi', 'sent')).toBe(0);
    await page.getByTestId('pill-pending').waitFor();
    // Unreachable: said to be waiting, not "0 / 6 sent" with an empty bar and an ETA.
    await page.getByTestId('sync-waiting').getByText('スマレジに接続できないため待機中（6件）').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('sync-progress-bar').count()).toBe(0);
    expect(await page.getByTestId('sync-eta').count()).toBe(0);
    // The chart's axis is in the current language.
    expect(await page.getByTestId('chart-start').textContent()).toBe('60分前');
    expect(await page.getByTestId('chart-end').textContent()).toBe('現在');

    // Back online, slowly: each request takes 700 ms, so the drain can be watched.
    await simControl(smaregi, 'POST', '/__sim/config', { latencyMs: 700 });
    await simControl(smaregi, 'DELETE', '/__sim/faults');
    const bar = page.getByTestId('sync-progress-bar');
    await bar.waitFor({ timeout: 20_000 });
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          if (await bar.isVisible()) seen.add(`${await bar.getAttribute('aria-valuenow')}/${await bar.getAttribute('aria-valuemax')}`);
          return count(app, 'smaregi', 'sent');
        },
        { timeout: 40_000, interval: 200 },
      )
      .toBe(6);
    expect(seen.size).toBeGreaterThan(1); // the bar moved while draining
    expect(await count(app, 'smaregi', 'pending')).toBe(0);
    await page.getByTestId('sync-progress').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.getByTestId('sync-state').textContent()).toContain('送信待ちはありません');
    await simControl(smaregi, 'POST', '/__sim/config', { latencyMs: 0 });

    // Everything sent is in the history, searchable, with its payload.
    await page.getByTestId('history-search').fill('smaregi.transaction');
    await expect.poll(() => page.getByTestId('history-row').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    // Kinds by name, the key as the tooltip.
    const kind = page.getByTestId('history-row').first().getByTestId('history-kind');
    expect(await kind.textContent()).toBe('取引');
    expect(await kind.getAttribute('title')).toBe('smaregi.transaction');
    await page.getByTestId('history-row').first().locator('summary').click();
    expect(await page.getByTestId('history-row').first().locator('pre').textContent()).toContain('"couponId"');
  });

  it('a sale Smaregi refuses (400: unknown store id) is listed with its error and can be resent', async () => {
    const { page } = app;
    // A manager's typo: a store id Smaregi does not have.
    await page.keyboard.press('F2');
    await page.getByTestId('smaregi-storeId').fill('99');
    await page.getByTestId('save-smaregi').click();
    await page.getByTestId('save-result-smaregi').getByText('保存しました').waitFor();
    await redeem(app, tickets[6]);

    await page.keyboard.press('F3');
    const item = page.getByTestId('failed-item');
    await item.waitFor({ timeout: 20_000 });
    expect(await item.getByTestId('failed-error').textContent()).toMatch(/400.*storeId/);
    expect(await count(app, 'smaregi', 'failed')).toBe(1);
    await page.getByTestId('pill-failed').waitFor();

    await item.getByTestId('resend-item').click();
    await page.getByTestId('resend-result').getByText('1件を再送に回しました').waitFor();
  });

  // Resending after the fix renews the sale's store id from the settings (the manager's fix), once.
  it('after the setting is fixed, resend clears the failed item', async () => {
    const { page } = app;
    await page.keyboard.press('F2');
    await page.getByTestId('smaregi-storeId').fill('1');
    await page.getByTestId('save-smaregi').click();
    await page.keyboard.press('F3');
    await page.getByTestId('resend-all').click();
    await page.getByTestId('no-failed').waitFor({ timeout: 20_000 });
    expect(await count(app, 'smaregi', 'failed')).toBe(0);
  });

  it('had no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
