import type { Engine } from '../../core/engine';
import type { Basket, RedemptionResult, ScanOutcome } from '../../shared/contract/register';
import { CliError, flagInt, flagString, type CliCommand, type ParsedArgs } from '../types';

/*
 * `scan` (dry run) and `redeem` (the real thing) on the register's engine, in-process. Both make
 * the engine ready explicitly first (`engine.settle()`): every system probed once, so "offline"
 * is a fact and not a guess, and the catalog loaded when nothing is cached yet.
 */

function rawArg(args: ParsedArgs, name: string): string {
  const raw = args.positionals[0];
  if (raw === undefined || raw === '') throw new CliError('usage', `${name} needs the scanned text, e.g. \`${name} 411000101307401981868241 --amount 1500\``);
  return raw;
}

/** `--amount YEN` and `--items CODE,CODE,...` (product codes looked up in the cached catalog). */
async function basketArg(args: ParsedArgs, engine: Engine): Promise<Basket> {
  const amount = flagInt(args, 'amount');
  if (amount !== undefined && (amount < 0 || amount > 99_999_999)) throw new CliError('usage', `--amount must be 0–99,999,999 yen, got ${amount}`);
  const itemsFlag = flagString(args, 'items');
  const items: Basket['items'] = [];
  if (itemsFlag !== undefined) {
    const codes = itemsFlag.split(',').map((c) => c.trim()).filter(Boolean);
    if (codes.length === 0) throw new CliError('usage', '--items needs product codes, e.g. --items 4573580001010,4573580001027');
    for (const code of codes) {
      const p = await engine.call('catalog.lookupProduct', { code });
      if (!p) throw new CliError('unknown_product', `商品コード ${code} はスマレジの商品マスタ（キャッシュ）にありません / Product code ${code} is not in the cached Smaregi catalog`);
      const same = items.find((i) => i.productId === p.productId);
      if (same) same.quantity += 1;
      else items.push({ ...p, quantity: 1 });
    }
  }
  return { items, amount: amount ?? null };
}

/** Ready before deciding: giftee's reachability probed now, and the catalog loaded when nothing is cached. */
async function prepare(engine: Engine): Promise<void> {
  await engine.settle();
}

function view(o: ScanOutcome) {
  return {
    kind: o.kind,
    prefix: o.prefix,
    couponId: o.couponId,
    couponName: o.coupon?.couponName ?? null,
    verdict: o.verdict,
    reason: o.reason,
    message: o.message,
    benefit: o.benefit ? { awardType: o.benefit.awardType, awardValue: o.benefit.awardValue, discountYen: o.benefit.discountYen } : null,
    product: o.product,
  };
}

function need(engine: Engine | null): Engine {
  if (!engine) throw new CliError('internal', 'this command needs the engine');
  return engine;
}

export const registerCommands: CliCommand[] = [
  {
    name: 'scan',
    usage: 'scan RAW [--amount YEN] [--items CODE,...]   dry run: classify and check a scan against a basket, and a ticket with giftee (verify only); nothing is consumed',
    engine: true,
    flags: ['amount', 'items'],
    maxPositionals: 1,
    async run(args, engine) {
      const e = need(engine);
      const raw = rawArg(args, 'scan');
      await prepare(e);
      const basket = await basketArg(args, e);
      // Support's "what would happen": giftee's verify too (used / expired / unknown), never a consume.
      return view(await e.call('scan.evaluate', { raw, source: 'cli', basket, online: true }));
    },
  },
  {
    name: 'redeem',
    usage: 'redeem RAW [--amount YEN] [--items CODE,...]   redeem a giftee ticket online (verify, consume, record the sale)',
    engine: true,
    flushOnExit: true,
    flags: ['amount', 'items'],
    maxPositionals: 1,
    async run(args, engine) {
      const e = need(engine);
      const raw = rawArg(args, 'redeem');
      await prepare(e);
      const basket = await basketArg(args, e);
      const r: RedemptionResult = await e.call('redemption.redeem', { raw, source: 'cli', basket });
      return { ...view(r), redemptionId: r.redemptionId, status: r.status, saleId: r.saleId };
    },
  },
];
