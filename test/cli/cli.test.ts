import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { latestVersion } from '../../src/core/db';
import { createMemorySecretStore } from '../../src/core/secrets';

const root = join(__dirname, '../..');
const run = promisify(execFile);

/** Runs the CLI as support staff would (`npm run -s cli -- ...` runs exactly this). */
async function cli(args: string[]): Promise<{ code: number; json: any; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: root, encoding: 'utf8' });
    return { code: 0, json: JSON.parse(stdout), stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, json: JSON.parse(e.stdout), stdout: e.stdout };
  }
}

describe('support CLI', () => {
  let dir: string;
  let sim: ReturnType<typeof spawn>;
  let urls: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-cli-'));
    sim = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'sim', 'start'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      sim.stdout!.on('data', (c) => {
        buf += c;
        if (buf.includes('\n')) resolve(buf.split('\n')[0]);
      });
      sim.once('exit', (code) => reject(new Error(`sim start exited ${code}`)));
    });
    urls = JSON.parse(line);
  });

  afterAll(async () => {
    sim.kill('SIGTERM');
    await new Promise((r) => sim.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sim start prints one JSON line mapping each system to a loopback URL', () => {
    expect(Object.keys(urls)).toEqual(expect.arrayContaining(['smaregi', 'giftee']));
    for (const u of Object.values(urls)) expect(u).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('connect-sim points the settings at the simulators and their connection tests pass', async () => {
    const r = await cli(['connect-sim', '--urls', JSON.stringify(urls), '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.json.settings.smaregi).toMatchObject({ apiBaseUrl: urls.smaregi, idBaseUrl: urls.smaregi, credentialSource: 'simulator' });
    expect(r.json.settings.giftee).toMatchObject({ baseUrl: urls.giftee, credentialSource: 'simulator' });
    expect(r.json.tests.smaregi.ok).toBe(true);
  });

  it('status reports health, schema version and the online state, as one JSON document', async () => {
    const r = await cli(['status', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json).toMatchObject({ health: 'ok', schemaVersion: latestVersion(), demo: false });
    expect(r.json.connectivity.smaregi).toBe('online');
  });

  it('connect-sim loads the catalog from the Smaregi it now points at', async () => {
    const r = await cli(['connect-sim', '--urls', JSON.stringify(urls), '--data-dir', dir]);
    expect(r.json.catalog).toMatchObject({ coupons: 7, products: 13, lastError: null });
    const status = await cli(['catalog', '--data-dir', dir]);
    expect(status.json.refreshedAt).toBe(r.json.catalog.refreshedAt);
  });

  it('scan checks a ticket with giftee (verify only): the demo used / expired tickets say so, nothing is consumed', async () => {
    // src/sim/demo-seed.json: a used 4110001 ticket and an expired 4110002 one.
    const used = await cli(['scan', '411000140481649575386351', '--amount', '3000', '--data-dir', dir]);
    expect(used.code).toBe(0);
    expect(used.json).toMatchObject({ kind: 'giftee', couponId: '101', verdict: 'rejected', reason: 'ticket_used', message: { ja: expect.any(String), en: expect.any(String) } });
    const expired = await cli(['scan', '411000203695263410588491', '--amount', '3000', '--data-dir', dir]);
    expect(expired.json).toMatchObject({ kind: 'giftee', verdict: 'rejected', reason: 'ticket_expired' });
    const unused = await cli(['scan', '411000101307401981868241', '--amount', '3000', '--data-dir', dir]);
    expect(unused.json).toMatchObject({ verdict: 'ok', reason: null, benefit: { discountYen: 500 } });

    const state = (await (await fetch(`${urls.giftee}/__sim/state`)).json()) as { consumptions: unknown[]; tickets: Array<{ code: string; status: string }> };
    expect(state.consumptions).toHaveLength(0);
    expect(state.tickets.find((t) => t.code === '411000101307401981868241')!.status).toBe('unused');
    const list = (await (await fetch(`${urls.giftee}/__sim/requests`)).json()) as Array<{ method: string; path: string }>;
    expect(list.filter((r) => r.path.endsWith('/verify'))).toHaveLength(3);
    expect(list.filter((r) => r.path.endsWith('/consume'))).toHaveLength(0);
  });

  it('refuses mistyped options and stray arguments instead of ignoring them', async () => {
    const typo = await cli(['scan', '411000101307401981868241', '--amout', '3000', '--data-dir', dir]);
    expect(typo.code).toBe(64);
    expect(typo.json.error.message).toMatch(/Unknown option --amout/);
    const extra = await cli(['redeem', '411000101307401981868241', '411000101307401981868241', '--data-dir', dir]);
    expect(extra.code).toBe(64);
    expect(extra.json.error.message).toMatch(/Too many arguments/);
    const file = await cli(['status', '--data-dir', join(root, 'package.json')]);
    expect(file.json.error).toMatchObject({ code: 'usage', message: expect.stringMatching(/must be a folder/) });
    const badUrls = await cli(['connect-sim', '--urls', '{"smaregi":"ftp://x"}', '--data-dir', dir]);
    expect(badUrls.json.error.message).toMatch(/smaregi: must be an http\(s\) URL/);
  });

  it('fails with a JSON error and a non-zero exit on bad input', async () => {
    const bad = await cli(['connect-sim', '--urls', '{not json', '--data-dir', dir]);
    expect(bad.code).not.toBe(0);
    expect(bad.json.error.code).toBe('usage');
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.json.error.message).toMatch(/Unknown command/);
  });

  it('refuses a data folder held by a running app', async () => {
    const app = await createEngine({ dataDir: dir, demo: 'off', secrets: createMemorySecretStore(), owner: 'app', background: false });
    try {
      const r = await cli(['status', '--data-dir', dir]);
      expect(r.code).not.toBe(0);
      expect(r.json.error.code).toBe('data_dir_in_use');
      expect(r.json.error.message).toMatch(/in use by a running Register Companion/);
    } finally {
      await app.stop();
    }
  });
});
