import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeytarStore, maskSecret } from '../../src/core/secrets';
import { tempEngine } from '../helpers/engine';

// These run against the real OS keychain: `npm test` provides a D-Bus session with an unlocked
// gnome-keyring (see scripts/test.mjs), exactly as CI does.
const service = `register-companion-test-${process.pid}`;
const store = createKeytarStore(service);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('SecretStore (keytar, real keyring)', () => {
  afterAll(async () => {
    await store.delete('smaregi.clientSecret').catch(() => undefined);
    await store.delete('giftee.accessToken').catch(() => undefined);
  });

  it('is available in the test session', async () => {
    expect(await store.check()).toEqual({ available: true, message: null });
  });

  it('stores, reads back and deletes a secret', async () => {
    await store.set('giftee.accessToken', 'tok-Ωmega-1234567890');
    expect(await store.get('giftee.accessToken')).toBe('tok-Ωmega-1234567890');
    await store.delete('giftee.accessToken');
    expect(await store.get('giftee.accessToken')).toBeNull();
  });

  it('masks what the renderer may see', () => {
    expect(maskSecret(null)).toEqual({ set: false, masked: '' });
    expect(maskSecret('short')).toEqual({ set: true, masked: '••••••••' });
    expect(maskSecret('abcdefghijklmnop').masked).toBe('••••••••op');
  });

  it('never lets a saved secret reach the SQLite files or the logs', async () => {
    const secret = `S3cret-${Date.now()}-zyxwvutsrq`;
    const { engine, dir, cleanup } = await tempEngine({ secrets: store });
    try {
      await engine.call('settings.update', { smaregi: { clientId: 'client-1', contractId: 'sb_test' } });
      const view = await engine.call('secrets.set', { key: 'smaregi.clientSecret', value: secret });
      expect(view.secrets['smaregi.clientSecret']).toEqual({ set: true, masked: '••••••••rq' });
      expect(JSON.stringify(view)).not.toContain(secret);
      const again = await engine.call('settings.get', {});
      expect(JSON.stringify(again)).not.toContain(secret);
      expect(await store.get('smaregi.clientSecret')).toBe(secret);
      // A failing connection test reads the secret and logs its failure: the value must still not appear.
      await engine.call('settings.update', { smaregi: { idBaseUrl: 'http://127.0.0.1:9', apiBaseUrl: 'http://127.0.0.1:9' } });
      await engine.call('settings.testConnection', { system: 'smaregi' });
      engine.ctx.log.info(`a careless line with ${secret} inside`);
    } finally {
      await engine.stop();
    }
    const files = filesUnder(dir);
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    expect(files.some((f) => f.endsWith('engine.log'))).toBe(true);
    const needle = Buffer.from(secret);
    for (const f of files) {
      expect(readFileSync(f).includes(needle), f).toBe(false);
      expect(readFileSync(f).includes(Buffer.from(secret, 'utf16le')), f).toBe(false);
    }
    for (const suffix of ['-wal', '-shm']) {
      const f = join(dir, `register-companion.sqlite${suffix}`);
      if (existsSync(f)) expect(readFileSync(f).includes(needle)).toBe(false);
    }
    await store.delete('smaregi.clientSecret');
    await cleanup();
  });

  it('with no keychain, saving fails with a clear message and no plaintext fallback', () => {
    // A separate process whose D-Bus address leads nowhere: keytar cannot reach any Secret Service.
    const script = `
      import { createKeytarStore } from './src/core/secrets/index.ts';
      const s = createKeytarStore('register-companion-test-nokeychain');
      try { await s.set('giftee.accessToken', 'x-secret-value'); console.log(JSON.stringify({ ok: true })); }
      catch (e) { console.log(JSON.stringify({ ok: false, code: e.code, message: e.message })); }
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/rc-bus', DISPLAY: '' },
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.ok).toBe(false);
    expect(r.code).toBe('secret_store_unavailable');
    expect(r.message).toMatch(/OS keychain cannot be used/);
  });
});
