import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase } from '../../src/core/db';
import { enqueue, PAUSED_KEY } from '../../src/core/outbox';
import { writeMeta } from '../../src/core/outbox/meta';
import { createSettingsStore } from '../../src/core/settings';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { sale, smaregiSettings, startSmaregi, stockAdd } from './fixtures';

const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; json: any }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args, '--data-dir', dir], { cwd: root, encoding: 'utf8' });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, json: JSON.parse(e.stdout) };
  }
}

let dir: string;
let sim: SimServer<SmaregiState>;
let ids: string[];
beforeAll(async () => {
  sim = await startSmaregi();
  dir = mkdtempSync(join(tmpdir(), 'rc-cli-'));
  const db = openDatabase(join(dir, DB_FILE));
  createSettingsStore(db).update(smaregiSettings(sim.url));
  // Paused (as `sync pause` leaves it), so the listing sees the queue as it was written.
  writeMeta(db, PAUSED_KEY, '1');
  ids = db.transaction(() => [enqueue(db, sale('CLI1', '101')), enqueue(db, stockAdd('102', 1_999_999_990)), enqueue(db, stockAdd('102', 1))])();
  db.close();
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI: outbox, sync now, resend', () => {
  it('lists, drains, shows the failure, resends it in place', async () => {
    const pending = await cli(['outbox', '--state', 'pending']);
    expect(pending.code).toBe(0);
    expect(pending.json.items.map((i: any) => i.id)).toEqual(ids);

    const now = await cli(['sync', 'now', '--wait']);
    expect(now.code).toBe(0);
    // Idle: the row left waits behind the failed one in its lane, so nothing is draining.
    expect(now.json).toMatchObject({ paused: true, draining: false, remaining: 1, perTarget: [{ target: 'smaregi', sent: 1, failed: 1, pending: 1 }] });

    const failed = await cli(['outbox', '--state', 'failed', '--target', 'smaregi']);
    expect(failed.json.items).toHaveLength(1);
    expect(failed.json.items[0]).toMatchObject({ id: ids[1], state: 'failed' });
    expect(failed.json.items[0].lastError).toContain('Smaregi 400');
    expect((await cli(['outbox', '--state', 'sent'])).json.items[0]).toMatchObject({ id: ids[0], remoteRef: expect.stringMatching(/^\d+$/) });

    // An id that is not a failed item (unknown, or already sent) is an error naming it; nothing is requeued.
    const unknown = await cli(['resend', ids[1], 'no-such-id']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.json.error.code).toBe('not_found');
    expect(unknown.json.error.message).toContain('no-such-id');
    expect(unknown.json.error.message).not.toContain(ids[1]);
    const sent = await cli(['resend', ids[0]]);
    expect(sent.code).not.toBe(0);
    expect(sent.json.error).toMatchObject({ code: 'not_found', message: expect.stringContaining(ids[0]) });
    expect((await cli(['outbox', '--state', 'failed'])).json.items.map((i: any) => i.id)).toEqual([ids[1]]);

    expect((await cli(['resend', ids[1]])).json).toEqual({ requeued: 1 });
    expect((await cli(['outbox', '--state', 'pending'])).json.items.map((i: any) => i.id)).toEqual([ids[1], ids[2]]);
    expect((await cli(['resend', '--all-failed'])).json).toEqual({ requeued: 0 });
    expect((await cli(['sync', 'resume'])).json.paused).toBe(false);
  }, 60_000);

  it('says how to use it when the arguments are wrong', async () => {
    const bad = await cli(['outbox', '--state', 'lost']);
    expect(bad.code).toBe(64);
    expect(bad.json.error).toMatchObject({ code: 'usage' });
    expect((await cli(['resend'])).json.error.message).toMatch(/--all-failed/);
    expect((await cli(['sync', 'later'])).json.error.code).toBe('usage');
  }, 30_000);
});
