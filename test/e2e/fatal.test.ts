import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DB_FILE } from '../../src/core/db';
import { startApp, type App } from './harness';

let app: App | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'rc-e2e-fatal-'));
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a database from a newer version: the UI says why the engine cannot start, instead of reconnecting forever', async () => {
  const db = new Database(join(dataDir, DB_FILE));
  db.pragma('user_version = 999');
  db.close();
  app = await startApp({ dataDir });
  const banner = app.page.getByTestId('banner-fatal');
  await banner.waitFor({ timeout: 20_000 });
  expect(await banner.textContent()).toMatch(/newer version.*schema 999/);
  expect(await app.page.getByTestId('banner-reconnecting').count()).toBe(0);
  // The file is left as it was: refused, not "repaired".
  const again = new Database(join(dataDir, DB_FILE), { readonly: true });
  expect(again.pragma('user_version', { simple: true })).toBe(999);
  again.close();
});
