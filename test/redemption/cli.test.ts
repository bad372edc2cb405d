import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { runCli } from '../../src/cli/index';
import { DB_FILE } from '../../src/core/db';
import { startSimulators, type RunningSimulators } from '../../src/sim/index';
import type { GifteeState } from '../../src/sim/giftee';
import { PRODUCT, T, testSeed } from './helpers';

const root = join(__dirname, '../..');

/** The CLI in-process, as `npm run -s cli -- ...` runs it: exit code and the JSON it printed. */
async function cli(...args: string[]): Promise<{ code: number; json: any }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await runCli(args);
    return { code, json: JSON.parse(out) };
  } finally {
    spy.mockRestore();
  }
}

describe('CLI scan / redeem against simulators started from a seed file', () => {
  let sims: RunningSimulators;
  let dir: string;
  const consumptions = () => (sims.servers.giftee.state() as GifteeState).consumptions;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-'));
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify(testSeed()));
    sims = await startSimulators({ seedFile });
    const r = await cli('connect-sim', '--urls', JSON.stringify(sims.urls), '--data-dir', join(dir, 'data'));
    expect(r.code).toBe(0);
  });

  afterAll(async () => {
    await sims?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const data = () => ['--data-dir', join(dir, 'data')];

  it('scan is a dry run: verdict, coupon and benefit, nothing consumed', async () => {
    const r = await cli('scan', T.amountOff[0], '--amount', '1500', ...data());
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      kind: 'giftee',
      prefix: '4110001',
      couponId: '101',
      verdict: 'ok',
      reason: null,
      message: null,
      benefit: { awardType: '1', awardValue: '500', discountYen: 500 },
    });
    expect(consumptions()).toHaveLength(0);
  });

  it('scan refusals carry the reason and the message; benefit is null', async () => {
    const low = await cli('scan', T.amountOff[0], '--amount', '500', ...data());
    expect(low.json).toMatchObject({ verdict: 'rejected', reason: 'below_min_amount', benefit: null, message: { ja: expect.any(String), en: expect.any(String) } });
    const other = await cli('scan', 'HELLO', ...data());
    expect(other.json).toMatchObject({ kind: 'unknown', prefix: null, couponId: null, verdict: 'rejected', reason: 'not_gift_ticket', benefit: null });
  });

  it('--items are product codes looked up in the catalog; an unknown code is a clear error', async () => {
    const ok = await cli('scan', T.targetItem, '--items', `${PRODUCT.coffee},${PRODUCT.cookie}`, ...data());
    expect(ok.json).toMatchObject({ couponId: '104', verdict: 'ok', benefit: { discountYen: 300 } });
    const none = await cli('scan', T.targetItem, '--items', PRODUCT.coffee, ...data());
    expect(none.json).toMatchObject({ verdict: 'rejected', reason: 'no_target_item' });
    const bad = await cli('scan', T.targetItem, '--items', '0000000000000', ...data());
    expect(bad.code).not.toBe(0);
    expect(bad.json.error).toMatchObject({ code: 'unknown_product' });
  });

  it('redeem consumes once and records the sale; the same ticket again is refused', async () => {
    const r = await cli('redeem', T.amountOff[0], '--amount', '1500', ...data());
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ kind: 'giftee', couponId: '101', verdict: 'ok', status: 'redeemed', benefit: { discountYen: 500 } });
    expect(r.json.redemptionId).toEqual(expect.any(String));
    expect(consumptions().filter((c) => c.code === T.amountOff[0])).toHaveLength(1);

    const again = await cli('redeem', T.amountOff[0], '--amount', '1500', ...data());
    expect(again.json).toMatchObject({ verdict: 'rejected', reason: 'ticket_used', status: 'rejected', redemptionId: null });
    expect(consumptions().filter((c) => c.code === T.amountOff[0])).toHaveLength(1);
  });

  it('scan shows the benefit redeem records: amount above the items, free item; an amount below the items is an error', async () => {
    // 10 % off, a 330 yen gift box scanned, 5,000 yen typed: the amount is the sale total.
    const args = [T.percentOff, '--items', '4573580001126', '--amount', '5000', ...data()];
    const dry = await cli('scan', ...args);
    expect(dry.json).toMatchObject({ verdict: 'ok', couponId: '102', benefit: { discountYen: 500 } });
    const r = await cli('redeem', ...args);
    expect(r.json).toMatchObject({ status: 'redeemed', benefit: { discountYen: 500 } });
    expect(consumptions().find((c) => c.code === T.percentOff)).toMatchObject({ amount: 500 });
    // The Smaregi transaction queued for the sale carries the same discount. (Read from the queue: a
    // one-shot CLI engine keeps its drain lease after it stops, so in this single test process the
    // next CLI run cannot deliver for 30 s; test/redemption/basket-benefit.test.ts checks delivery.)
    const db = new Database(join(dir, 'data', DB_FILE), { readonly: true });
    try {
      const rows = db.prepare("SELECT payload FROM outbox WHERE kind = 'smaregi.transaction'").all() as Array<{ payload: string }>;
      const tx = rows.map((row) => JSON.parse(row.payload).transaction).find((t) => String(t.memo).includes(r.json.redemptionId));
      expect(tx).toMatchObject({ subtotal: '5000', couponDiscount: '500', total: '4500', coupons: [{ couponId: '102', discountPrice: '500' }] });
    } finally {
      db.close();
    }

    // Demo coupon 103: a drip bag (980 yen) given for free (its redemption: basket-benefit.test.ts).
    expect((await cli('scan', T.freeItem, ...data())).json).toMatchObject({ verdict: 'ok', benefit: { awardType: '3', discountYen: 980 } });

    for (const command of ['scan', 'redeem']) {
      const low = await cli(command, T.amountOff[3], '--items', PRODUCT.coffee, '--amount', '1000', ...data());
      expect(low.code).not.toBe(0);
      expect(low.json.error).toMatchObject({ code: 'invalid_params' });
    }
    expect(consumptions().filter((c) => c.code === T.amountOff[3])).toHaveLength(0);
  });

  it('redeem while giftee is offline: blocked, nothing consumed', async () => {
    sims.servers.giftee.addFault({ mode: 'offline' });
    try {
      const r = await cli('redeem', T.amountOff[1], '--amount', '1500', ...data());
      expect(r.json).toMatchObject({ verdict: 'blocked', reason: 'offline', status: 'blocked' });
      expect(consumptions().filter((c) => c.code === T.amountOff[1])).toHaveLength(0);
    } finally {
      sims.servers.giftee.clearFaults();
    }
  });

  it('works as a separate process too (npx tsx src/cli/index.ts redeem ...)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'redeem', T.amountOff[2], '--items', PRODUCT.coffee, ...data()], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'redeemed', couponId: '101', benefit: { discountYen: 500 } });
  });
});
