import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/index';
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
