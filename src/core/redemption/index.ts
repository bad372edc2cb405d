import { randomUUID } from 'node:crypto';
import { ContractError } from '../../shared/contract/envelope';
import type { Basket, ReasonCode, RedemptionLogEntry, RedemptionResult, ScanOutcome, ScanSource } from '../../shared/contract/register';
import { reasonMessage } from '../../shared/reasons';
import type { GifteeChannel } from '../channels/giftee';
import { GifteeNotConfiguredError } from '../channels/giftee';
import { smaregiCancelItem, smaregiTransactionItem } from '../channels/smaregi/deliver';
import type { ConnectivityMonitor } from '../connectivity';
import type { EngineContext, EngineModule } from '../context';
import { basketAmount } from '../coupons';
import { HttpError } from '../http';
import { enqueue } from '../outbox/enqueue';
import type { Outbox } from '../outbox';
import { createDoubleScanFilter } from '../scan/double-scan';
import { classifyScan } from '../scan/classify';
import { normalizeScan } from '../scan/normalize';
import { logCsv, logCsvFilename } from './csv';
import { evaluateScan, type Evaluation, type RedemptionCatalog } from './evaluate';
import { formatJst, queryBound } from './jst';
import { buildSalePlan, smaregiTransactionBody, type TransactionLookup } from './sale';
import { createRedemptionStore, parsePlan, type AttemptRow, type AttemptState, type LogFilter } from './store';

export { evaluateScan, type RedemptionCatalog, type Evaluation } from './evaluate';
export { buildSalePlan, smaregiTransactionBody, type SalePlan, type SaleLine } from './sale';
export { resolveBasket, basketProblemMessage, type SaleBasket, type BasketProblem, type GiftSaleProduct } from './basket';
export { csvField, toCsv, logCsv, logCsvFilename, CSV_BOM } from './csv';
export { createRedemptionStore, nextTerminalTranId, type AttemptRow, type AttemptPlan } from './store';

/** Product code an amount-only basket is sold as, unless settings.register.giftSaleProductCode names another. */
export const DEFAULT_GIFT_SALE_PRODUCT_CODE = 'GIFTEE-SALE';

export interface RedemptionDeps {
  catalog: RedemptionCatalog;
  giftee: GifteeChannel;
  connectivity: ConnectivityMonitor;
  outbox: Pick<Outbox, 'kick'>;
}

export interface RedemptionOptions {
  /** Status reads (each may retry the consume with the same key) before an attempt is left unresolved. */
  resolveRounds?: number;
  /** Pause before each status read after the first. */
  resolveBackoffMs?: readonly number[];
}

export interface Redemption extends EngineModule {
  /** Settles attempts left `consuming` / `unresolved` (a crash, lost answers). Runs at start and when giftee comes back. */
  resolveOpen(): Promise<void>;
  /** Writes the buffered evaluate log rows now. */
  flushLog(): void;
}

const UNRESOLVED_MESSAGE = {
  ja: 'giftee からの応答が確認できないため、券が使われたかどうかを確認中です。お会計を確定しないでください。通信が戻ると自動で確認します（もう一度スキャンしても確認します）',
  en: 'giftee’s answer was lost: whether the ticket was used is being checked. Do not complete the sale yet; it is checked again automatically when the connection is back (or scan it again).',
};
const AUTH_MESSAGE = {
  ja: 'giftee がアクセストークンを受け付けません（設定 → giftee）。券は消費されていません',
  en: 'giftee does not accept the access token (Settings → giftee). The ticket was not used.',
};
const NOT_CONFIGURED_MESSAGE = {
  ja: 'giftee の接続が設定されていないため、ギフト券を確認できません（設定 → giftee）。券は消費されていません',
  en: 'giftee is not configured, so the ticket cannot be checked (Settings → giftee). The ticket was not used.',
};
const COUPON_CODE_MESSAGE = {
  ja: 'クーポンコードです。giftee のギフト券（24桁）をスキャンしてください',
  en: 'This is a coupon code, not a gift ticket: scan the 24-digit giftee code.',
};

type Settlement =
  | { kind: 'consumed'; attempt: AttemptRow; consumptionId: string }
  | { kind: 'not_consumed' }
  | { kind: 'refused'; reason: 'ticket_used' | 'ticket_expired' | 'ticket_unknown' }
  | { kind: 'unknown'; error: string };

type VerifyOutcome =
  | { kind: 'redeemable' }
  | { kind: 'refused'; reason: 'ticket_used' | 'ticket_expired' | 'ticket_unknown' }
  /** Not checked (unreachable, failing, token refused): nothing can be said, nothing was consumed. */
  | { kind: 'blocked'; message: { ja: string; en: string } };

type ConsumeOutcome =
  | { kind: 'consumed'; consumptionId: string }
  | { kind: 'refused'; reason: 'ticket_used' | 'ticket_expired' | 'ticket_unknown' }
  /** Certainly not applied (refused connection, 429, a 4xx): nothing was consumed. */
  | { kind: 'not_sent'; message: { ja: string; en: string } | null; error: string }
  | { kind: 'unknown'; error: string };

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });

const errText = (err: unknown) => (err as Error)?.message ?? String(err);

/**
 * Gift-ticket redemption, online only (docs/redemption.md): evaluate a scan locally; redeem it by
 * verifying with giftee, committing an attempt with its idempotency key, consuming, settling any
 * lost answer by reading the ticket's status, and recording the sale with its Smaregi outbox row
 * in one transaction. Voids (this run only, while giftee allows). The redemption log and its CSV.
 */
export function createRedemption(ctx: EngineContext, deps: RedemptionDeps, opts: RedemptionOptions = {}): Redemption {
  const { catalog, giftee, connectivity, outbox } = deps;
  const rounds = opts.resolveRounds ?? 4;
  const backoff = opts.resolveBackoffMs ?? [200, 500, 1_000];
  const log = ctx.log.child('redemption');
  const store = createRedemptionStore(ctx.db);
  /** Voids are allowed for redemptions made by this engine run only. */
  const run = randomUUID();

  // ---- small helpers -------------------------------------------------------------------------

  const locks = new Map<string, Promise<unknown>>();
  /** One redemption at a time per code: a second confirm waits for the first and sees its result. */
  function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    locks.set(key, tail);
    void tail.then(() => {
      if (locks.get(key) === tail) locks.delete(key);
    });
    return next;
  }

  const inflight = new Set<Promise<unknown>>();
  function track<T>(p: Promise<T>): Promise<T> {
    inflight.add(p);
    void p.then(
      () => inflight.delete(p),
      () => inflight.delete(p),
    );
    return p;
  }

  const nowIso = () => ctx.now().toISOString();

  function gifteeBlocked(): boolean {
    return !giftee.configured() || connectivity.state('giftee') !== 'online';
  }

  /** Only the first moments after start: the first probe is still on its way. */
  async function settleConnectivity(): Promise<void> {
    if (giftee.configured() && connectivity.state('giftee') === 'unknown') await connectivity.checkNow('giftee');
  }

  /** When nothing is cached yet (first start, a one-shot CLI), wait for the first catalog. */
  async function catalogReady(): Promise<void> {
    if (catalog.status().refreshedAt === null) await catalog.ready();
  }

  /** settings.register.giftSaleProductCode, or the default when it is blank. */
  function giftSaleProductCode(): string {
    return ctx.settings.get().register.giftSaleProductCode.trim() || DEFAULT_GIFT_SALE_PRODUCT_CODE;
  }

  function evaluate(raw: string, basket: Basket): Evaluation {
    const s = ctx.settings.get();
    return evaluateScan(raw, basket, {
      catalog,
      now: ctx.now(),
      rounding: s.register.rounding,
      couponCodePrefix: s.scanner.couponCodePrefix,
      giftSaleProductCode: giftSaleProductCode(),
      gifteeBlocked: gifteeBlocked(),
      redeemedHere: (code) => store.redeemedForCode(code) !== undefined,
    });
  }

  // ---- the redemption log ---------------------------------------------------------------------

  type LogInsert = RedemptionLogEntry & { action: 'evaluate' | 'redeem' };
  let pendingLog: LogInsert[] = [];
  let flushTimer: NodeJS.Timeout | null = null;

  /** Evaluate rows are buffered and written a moment later in one transaction: a scan's verdict never waits for the disk. */
  function flushLog() {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (pendingLog.length === 0) return;
    const rows = pendingLog;
    pendingLog = [];
    try {
      ctx.intake.write(() => ctx.db.transaction(() => rows.forEach((r) => store.insertLog(r)))());
    } catch (err) {
      log.error('evaluate log rows could not be written', { err: errText(err), rows: rows.length });
    }
  }

  function logEntry(action: 'evaluate' | 'redeem', source: ScanSource, o: ScanOutcome, extra: { status: RedemptionLogEntry['status']; redemptionId: string | null; amount: number | null; id?: string }): LogInsert {
    return {
      action,
      id: extra.id ?? randomUUID(),
      at: nowIso(),
      source,
      raw: o.raw,
      normalized: o.normalized,
      kind: o.kind,
      couponId: o.couponId,
      couponName: o.coupon?.couponName ?? null,
      verdict: o.verdict,
      reason: o.reason,
      status: extra.status,
      redemptionId: extra.redemptionId,
      discountYen: o.benefit?.discountYen ?? null,
      amountYen: extra.amount,
    };
  }

  function emitLogged(e: RedemptionLogEntry | LogInsert | null) {
    if (!e) return;
    const { action: _a, ...entry } = e as LogInsert;
    ctx.emit('redemption.logged', entry);
  }

  /** The amount a ticket was checked against (`basketAmount` is the basket rule's sale total whenever the basket can be sold). */
  function amountOf(o: ScanOutcome, basket: Basket): number | null {
    return o.kind === 'giftee' || o.kind === 'coupon' ? basketAmount(basket) : null;
  }

  // ---- results -------------------------------------------------------------------------------

  function result(o: ScanOutcome, status: RedemptionResult['status'], redemptionId: string | null, saleId: string | null): RedemptionResult {
    return { ...o, redemptionId, status, saleId };
  }

  /** A refusal before any attempt: logged as a redeem row, nothing consumed. */
  function refuse(source: ScanSource, o: ScanOutcome, basket: Basket): RedemptionResult {
    const status = o.verdict === 'blocked' ? 'blocked' : 'rejected';
    const entry = logEntry('redeem', source, o, { status, redemptionId: null, amount: amountOf(o, basket) });
    flushLog(); // earlier scans first: the log's order is the order things happened
    ctx.intake.write(() => store.insertLog(entry));
    emitLogged(entry);
    return result(o, status, null, null);
  }

  function blockedOutcome(o: ScanOutcome, message = reasonMessage('offline')): ScanOutcome {
    return { ...o, verdict: 'blocked', reason: 'offline', message };
  }

  /** The result of an attempt as it now stands (for a redeem that settled it, a void, a restart). */
  function attemptResult(a: AttemptRow): RedemptionResult {
    const plan = parsePlan(a);
    const sale = store.saleByRedemption(a.id);
    const o = plan.outcome;
    switch (a.state) {
      case 'redeemed':
        return result({ ...o, verdict: 'ok', reason: null, message: null }, 'redeemed', a.id, sale?.id ?? null);
      case 'voided':
        return result({ ...o, verdict: 'ok', reason: null, message: null }, 'voided', a.id, sale?.id ?? null);
      case 'refused': {
        const reason = (a.reason ?? 'ticket_used') as ReasonCode;
        return result({ ...o, verdict: 'rejected', reason, message: reasonMessage(reason) }, 'rejected', a.id, null);
      }
      case 'failed':
        return result(blockedOutcome(o), 'blocked', a.id, null);
      default:
        return result(blockedOutcome(o, UNRESOLVED_MESSAGE), 'unresolved', a.id, null);
    }
  }

  /** Moves an attempt (and its log row) to a final or unresolved state. */
  function markAttempt(a: AttemptRow, state: AttemptState, extra: { reason?: string | null; lastError?: string | null } = {}) {
    const logStatus = state === 'refused' ? 'rejected' : state === 'failed' ? 'blocked' : state === 'unresolved' ? 'unresolved' : state;
    const verdict = state === 'refused' ? 'rejected' : state === 'redeemed' || state === 'voided' ? 'ok' : 'blocked';
    const reason = state === 'refused' ? (extra.reason ?? null) : state === 'failed' || state === 'unresolved' ? 'offline' : null;
    ctx.intake.write(() =>
      ctx.db.transaction(() => {
        store.setState(a.id, state, nowIso(), extra);
        store.setLogStatus(a.id, logStatus, verdict, reason);
      })(),
    );
    emitLogged(store.logEntry(a.id));
  }

  // ---- giftee calls with connectivity evidence ----------------------------------------------

  /** Real traffic tells the monitor whether giftee answers (any HTTP answer = reachable). */
  async function observed<T>(p: Promise<T>): Promise<T> {
    try {
      const v = await p;
      connectivity.report('giftee', true);
      return v;
    } catch (err) {
      if (err instanceof HttpError) connectivity.report('giftee', err.kind === 'status' && (err.status ?? 500) < 500);
      throw err;
    }
  }

  /**
   * giftee's verify (no side effects) as a domain answer: the one mapping `redeem` and an online
   * `scan.evaluate` share. Unreachable or failing → blocked; token refused → blocked, saying so.
   */
  async function verifyTicket(code: string): Promise<VerifyOutcome> {
    let verified;
    try {
      verified = await observed(giftee.verify(code));
    } catch (err) {
      log.warn('verify failed: ticket not checked', { err: errText(err) });
      return { kind: 'blocked', message: err instanceof GifteeNotConfiguredError ? NOT_CONFIGURED_MESSAGE : reasonMessage('offline') };
    }
    if (verified.ok) return { kind: 'redeemable' };
    const r = verified.refusal;
    if (r === 'ticket_used' || r === 'ticket_expired' || r === 'ticket_unknown') return { kind: 'refused', reason: r };
    if (r === 'unauthorized') return { kind: 'blocked', message: AUTH_MESSAGE };
    throw new ContractError('internal', `giftee refused the verification: ${verified.message}`);
  }

  /** A verify refusal applied to the local outcome (a redeemable ticket keeps it as it is). */
  function verifiedOutcome(o: ScanOutcome, v: VerifyOutcome): ScanOutcome {
    if (v.kind === 'refused') return { ...o, verdict: 'rejected', reason: v.reason, message: reasonMessage(v.reason) };
    if (v.kind === 'blocked') return blockedOutcome(o, v.message);
    return o;
  }

  async function consumeOnce(a: AttemptRow): Promise<ConsumeOutcome> {
    const plan = parsePlan(a);
    try {
      const r = await observed(giftee.consume(a.code, a.idempotency_key, { ...plan.place, amount: a.amount }));
      if (r.ok) return { kind: 'consumed', consumptionId: r.value.consumptionId };
      if (r.refusal === 'ticket_used' || r.refusal === 'ticket_expired' || r.refusal === 'ticket_unknown') return { kind: 'refused', reason: r.refusal };
      if (r.refusal === 'unauthorized') return { kind: 'not_sent', message: AUTH_MESSAGE, error: r.message };
      return { kind: 'not_sent', message: null, error: `giftee refused the request: ${r.message}` };
    } catch (err) {
      if (err instanceof GifteeNotConfiguredError) return { kind: 'not_sent', message: NOT_CONFIGURED_MESSAGE, error: err.message };
      if (err instanceof HttpError) {
        // Never reached giftee, or refused before doing anything: certainly not consumed.
        if (err.refused || (err.kind === 'status' && err.status === 429)) return { kind: 'not_sent', message: null, error: err.message };
        // Timeout, reset, unreadable answer, 5xx: it may have been consumed.
        return { kind: 'unknown', error: err.message };
      }
      return { kind: 'unknown', error: errText(err) };
    }
  }

  /** Reads the ticket's status: used with one of OUR keys = consumed by that attempt. */
  async function readSettlement(code: string): Promise<Settlement> {
    let r;
    try {
      r = await observed(giftee.status(code));
    } catch (err) {
      return { kind: 'unknown', error: errText(err) };
    }
    if (!r.ok) return r.refusal === 'ticket_unknown' ? { kind: 'refused', reason: 'ticket_unknown' } : { kind: 'unknown', error: r.message };
    const t = r.value;
    if (t.status === 'used') {
      const key = t.consumption?.idempotencyKey ?? null;
      const mine = key ? store.attemptByKey(key) : undefined;
      if (mine && mine.code === code && t.consumption) return { kind: 'consumed', attempt: mine, consumptionId: t.consumption.consumptionId };
      return { kind: 'refused', reason: 'ticket_used' };
    }
    if (t.status === 'expired') return { kind: 'refused', reason: 'ticket_expired' };
    return { kind: 'not_consumed' };
  }

  // ---- recording the sale ---------------------------------------------------------------------

  /**
   * The consumed ticket's sale, in ONE transaction: sale + items, attempt → redeemed, coupon usage,
   * the Smaregi transaction's outbox row, the terminal sequence, the log row. Idempotent.
   */
  function recordSale(attemptId: string, consumptionId: string): AttemptRow {
    const now = ctx.now();
    const at = now.toISOString();
    ctx.intake.write(() =>
      ctx.db.transaction(() => {
        const a = store.attempt(attemptId);
        if (!a || a.state === 'redeemed' || a.state === 'voided') return;
        const plan = parsePlan(a);
        const lookup: TransactionLookup = {
          storeId: plan.place.storeId,
          terminalId: plan.place.terminalId,
          terminalTranId: store.nextTerminalTranId(plan.place.terminalId),
          terminalTranDateTime: formatJst(now.getTime()),
        };
        const memo = `giftee ${a.code} / ${plan.sale.couponName} / redemption ${a.id}`;
        // The outbox's own builder: the lane of this transaction (its void follows in it) and the
        // payload { transaction: POST /transactions body, lookup } its delivery expects.
        const outboxId = enqueue(ctx.db, smaregiTransactionItem(smaregiTransactionBody(plan.sale, lookup, memo) as Record<string, unknown> & TransactionLookup), now);
        store.insertSale(
          {
            id: randomUUID(),
            redemption_id: a.id,
            coupon_id: plan.sale.couponId,
            coupon_name: plan.sale.couponName,
            subtotal: plan.sale.subtotal,
            discount: plan.sale.discount,
            total: plan.sale.total,
            store_id: lookup.storeId,
            terminal_id: lookup.terminalId,
            terminal_tran_id: lookup.terminalTranId,
            terminal_tran_date_time: lookup.terminalTranDateTime,
            outbox_id: outboxId,
            created_at: at,
          },
          plan.sale.lines,
        );
        store.setState(a.id, 'redeemed', at, { consumptionId });
        store.setLogStatus(a.id, 'redeemed', 'ok', null);
        catalog.incrementUsage(plan.sale.couponId);
      })(),
    );
    outbox.kick();
    emitLogged(store.logEntry(attemptId));
    return store.attempt(attemptId)!;
  }

  /**
   * Records the sale of a consumed ticket. If the disk refuses it, the consumption is handed back to
   * giftee (cancel) so the customer keeps the ticket; if even that fails the attempt stays open and
   * is settled at the next start or scan. Either way the error reaches the cashier.
   */
  async function recordOrGiveBack(a: AttemptRow, consumptionId: string): Promise<AttemptRow> {
    try {
      return recordSale(a.id, consumptionId);
    } catch (err) {
      log.error('sale could not be recorded after consumption', { redemptionId: a.id, err: errText(err) });
      try {
        const c = await observed(giftee.cancel(consumptionId));
        if (c.ok) {
          try {
            markAttempt(a, 'failed', { lastError: `sale not recorded (${errText(err)}); consumption cancelled at giftee` });
          } catch {
            /* still open: the next settle finds the ticket unused and closes it */
          }
        }
      } catch (cancelErr) {
        log.error('consumption could not be cancelled; the attempt stays open', { redemptionId: a.id, err: errText(cancelErr) });
      }
      throw err;
    }
  }

  // ---- settling attempts ----------------------------------------------------------------------

  /**
   * Consumes for a fresh attempt and, when the answer is lost, settles it: read the status; used
   * with our key → consumed; unused → consume again with the SAME key; used otherwise → refused.
   * Bounded; what stays uncertain is left `unresolved` (and that code is refused until settled).
   */
  async function consumeAndSettle(a: AttemptRow): Promise<RedemptionResult> {
    let c = await consumeOnce(a);
    let lastError = c.kind === 'unknown' ? c.error : '';
    // A 409 "used" may be our own request landing late: the status says whose key used it.
    let usedChecked = false;
    const open = () => c.kind === 'unknown' || (c.kind === 'refused' && c.reason === 'ticket_used' && !usedChecked);
    for (let round = 0; open() && round < rounds; round++) {
      if (round > 0) await sleep(backoff[Math.min(round - 1, backoff.length - 1)]);
      const s = await readSettlement(a.code);
      if (s.kind === 'unknown') {
        lastError = s.error;
        c = { kind: 'unknown', error: s.error };
      } else if (s.kind === 'consumed') {
        if (s.attempt.id !== a.id) {
          // Another attempt of ours holds the consumption: record it; this one consumed nothing.
          await recordOrGiveBack(s.attempt, s.consumptionId);
          markAttempt(a, 'failed', { lastError: `consumed by attempt ${s.attempt.id}` });
          return attemptResult(store.attempt(s.attempt.id)!);
        }
        c = { kind: 'consumed', consumptionId: s.consumptionId };
      } else if (s.kind === 'refused') {
        c = { kind: 'refused', reason: s.reason };
        usedChecked = true;
      } else {
        // Unused: our consume never applied. Send it again with the same key.
        c = await consumeOnce(a);
        usedChecked = false;
        if (c.kind === 'unknown') lastError = c.error;
      }
    }
    if (c.kind === 'refused' && c.reason === 'ticket_used' && !usedChecked) c = { kind: 'unknown', error: lastError || 'used, by whom could not be read' };

    switch (c.kind) {
      case 'consumed':
        return attemptResult(await recordOrGiveBack(a, c.consumptionId));
      case 'refused':
        markAttempt(a, 'refused', { reason: c.reason });
        return attemptResult(store.attempt(a.id)!);
      case 'not_sent': {
        markAttempt(a, 'failed', { lastError: c.error });
        const r = attemptResult(store.attempt(a.id)!);
        return c.message ? { ...r, message: c.message } : r;
      }
      default:
        markAttempt(a, 'unresolved', { lastError });
        log.warn('attempt left unresolved', { redemptionId: a.id, error: lastError });
        return attemptResult(store.attempt(a.id)!);
    }
  }

  /**
   * Settles every open attempt of one code (after a crash, or left unresolved) with one status
   * read. Never consumes: a ticket found unused means the attempt consumed nothing (the customer
   * may have gone; a new scan starts a new attempt).
   */
  async function settleCode(code: string): Promise<{ kind: 'settled'; consumed: AttemptRow | null } | { kind: 'unresolved'; attempt: AttemptRow }> {
    const open = () => store.attemptsForCode(code).filter((a) => a.state === 'consuming' || a.state === 'unresolved');
    if (open().length === 0) return { kind: 'settled', consumed: null };
    const s = await readSettlement(code);
    if (s.kind === 'unknown') {
      for (const a of open()) if (a.state === 'consuming') markAttempt(a, 'unresolved', { lastError: s.error });
      return { kind: 'unresolved', attempt: store.attempt(open()[0].id)! };
    }
    let consumed: AttemptRow | null = null;
    if (s.kind === 'consumed' && s.attempt.state !== 'redeemed' && s.attempt.state !== 'voided') {
      consumed = await recordOrGiveBack(s.attempt, s.consumptionId);
    }
    for (const a of open()) {
      if (s.kind === 'refused') markAttempt(a, 'refused', { reason: s.reason });
      else markAttempt(a, 'failed', { lastError: s.kind === 'consumed' ? `consumed by attempt ${s.attempt.id}` : 'ticket unused: nothing was consumed' });
    }
    log.info('open attempts settled', { code: `${code.slice(0, 7)}…`, outcome: s.kind });
    return { kind: 'settled', consumed };
  }

  let resolving: Promise<void> | null = null;
  function resolveOpen(): Promise<void> {
    resolving ??= track(
      (async () => {
        try {
          const codes = [...new Set(store.openAttempts().map((a) => a.code))];
          for (const code of codes) {
            try {
              await withLock(code, () => settleCode(code));
            } catch (err) {
              log.warn('settling failed', { err: errText(err) });
            }
          }
        } finally {
          resolving = null;
        }
      })(),
    );
    return resolving;
  }

  // ---- redeem ---------------------------------------------------------------------------------

  async function redeemTicket(code: string, raw: string, source: ScanSource, basket: Basket): Promise<RedemptionResult> {
    // 1. An earlier attempt of this code whose outcome is not certain is settled first.
    const settled = await settleCode(code);
    if (settled.kind === 'unresolved') return attemptResult(settled.attempt);
    if (settled.consumed) return attemptResult(settled.consumed);

    // 2. Reachability: giftee unreachable → refused before anything is sent.
    if (giftee.configured() && connectivity.state('giftee') !== 'online') await connectivity.checkNow('giftee');
    const ev = evaluate(raw, basket);
    if (ev.outcome.verdict !== 'ok' || !ev.verdict?.ok || !ev.basket) {
      const notConfigured = !giftee.configured() && ev.outcome.reason === 'offline' && catalog.status().refreshedAt !== null;
      return refuse(source, notConfigured ? { ...ev.outcome, message: NOT_CONFIGURED_MESSAGE } : ev.outcome, basket);
    }

    // 3. The sale it would record (known before anything is consumed): the lines and amount the
    //    rules were checked on (`resolveBasket`, which already refused a basket that cannot be sold).
    const planned = buildSalePlan({ basket: ev.basket, benefit: ev.verdict.benefit, coupon: ev.verdict.coupon });
    if (!planned.ok) {
      throw new ContractError(
        'invalid_params',
        'お会計の内容がありません。金額を入力するか商品をスキャンしてください / Nothing to sell: type the amount or scan the products first',
      );
    }

    // The Smaregi transaction will need these; a bad setting must stop us before anything is consumed.
    const place = ctx.gifteeConfig();
    if (place && (!/^\d{1,15}$/.test(place.storeId) || !/^\d{1,9}$/.test(place.terminalId))) {
      throw new ContractError(
        'invalid_params',
        '設定の店舗ID（数字）と端末ID（9桁以内の数字）を確認してください / Settings: the store id must be digits and the terminal id at most 9 digits',
      );
    }

    // 4. Verify with giftee.
    const verified = await verifyTicket(code);
    if (verified.kind === 'refused' && verified.reason === 'ticket_used' && store.attemptsForCode(code).length > 0) {
      // Used — perhaps by a late-arriving request of one of our own earlier attempts.
      const s = await readSettlement(code);
      if (s.kind === 'consumed' && s.attempt.state !== 'redeemed' && s.attempt.state !== 'voided') {
        return attemptResult(await recordOrGiveBack(s.attempt, s.consumptionId));
      }
    }
    if (verified.kind !== 'redeemable') return refuse(source, verifiedOutcome(ev.outcome, verified), basket);

    // 5. The attempt and its idempotency key are committed BEFORE the consume is sent.
    const cfg = ctx.gifteeConfig();
    if (!cfg) return refuse(source, blockedOutcome(ev.outcome, NOT_CONFIGURED_MESSAGE), basket);
    const id = randomUUID();
    const entry = logEntry('redeem', source, ev.outcome, { id, status: 'pending', redemptionId: id, amount: planned.plan.basketAmount });
    flushLog();
    ctx.intake.write(() =>
      ctx.db.transaction(() => {
        store.insertAttempt({
          id,
          idempotency_key: randomUUID(),
          code,
          prefix: ev.outcome.prefix ?? code.slice(0, 7),
          coupon_id: planned.plan.couponId,
          source,
          raw,
          plan: { outcome: ev.outcome, sale: planned.plan, place: { storeId: cfg.storeId, terminalId: cfg.terminalId } },
          amount: planned.plan.discount,
          engine_run: run,
          now: entry.at,
        });
        store.insertLog(entry);
      })(),
    );
    emitLogged(entry);

    // 6. Consume, settle a lost answer, record the sale.
    return consumeAndSettle(store.attempt(id)!);
  }

  async function redeem(raw: string, source: ScanSource, basket: Basket): Promise<RedemptionResult> {
    await catalogReady();
    await settleConnectivity();
    const scan = classifyScan(normalizeScan(raw), { couponCodePrefix: ctx.settings.get().scanner.couponCodePrefix });
    if (scan.kind === 'giftee') {
      // Evaluated inside, after any open attempt of this code is settled and giftee is probed.
      return track(withLock(scan.code, () => redeemTicket(scan.code, raw, source, basket)));
    }
    // Only a giftee ticket can be consumed: anything else is certainly not one (even without a
    // catalog). A coupon code names a coupon; a refusal about that coupon is still said.
    const ev = evaluate(raw, basket);
    const o: ScanOutcome =
      ev.outcome.verdict === 'rejected'
        ? ev.outcome
        : { ...ev.outcome, verdict: 'rejected', reason: 'not_gift_ticket', message: scan.kind === 'coupon' ? COUPON_CODE_MESSAGE : reasonMessage('not_gift_ticket') };
    return refuse(source, o, basket);
  }

  // ---- void -----------------------------------------------------------------------------------

  async function voidRedemption(redemptionId: string): Promise<RedemptionResult> {
    const found = store.attempt(redemptionId);
    if (!found) throw new ContractError('not_found', `利用ID ${redemptionId} は見つかりません / No redemption ${redemptionId}`);
    return track(
      withLock(found.code, async () => {
        const a = store.attempt(redemptionId)!;
        if (a.state === 'voided') return attemptResult(a);
        if (a.state !== 'redeemed' || !a.consumption_id) {
          throw new ContractError('conflict', '利用が完了していないため取り消せません / Only a completed redemption can be voided');
        }
        if (a.engine_run !== run) {
          throw new ContractError(
            'conflict',
            'アプリを起動してから行った利用のみ取り消せます / Only redemptions made since the app was started can be voided here',
          );
        }
        let cancelled = false;
        try {
          const r = await observed(giftee.cancel(a.consumption_id));
          if (!r.ok) {
            if (r.refusal === 'cancel_window_passed') {
              throw new ContractError(
                'conflict',
                'giftee の取消可能時間を過ぎたため、この利用は取り消せません / giftee’s cancel window has passed: this redemption cannot be voided',
                { reason: 'cancel_window_passed' },
              );
            }
            throw new ContractError('conflict', `giftee が取消を受け付けませんでした / giftee refused the cancellation: ${r.message}`, { reason: r.refusal });
          }
          cancelled = true;
        } catch (err) {
          if (err instanceof ContractError) throw err;
          // The answer was lost: the ticket's status says whether the cancel went through.
          const s = await readSettlement(a.code);
          // Unused again (or since used by someone else / expired): our consumption is gone.
          cancelled = s.kind === 'not_consumed' || (s.kind === 'refused' && s.reason !== 'ticket_unknown');
          if (!cancelled) {
            throw new ContractError(
              'conflict',
              `giftee に接続できないため取り消せませんでした。利用はそのままです。通信が戻ってから再度お試しください / giftee could not be reached; the redemption stands, try again once online (${errText(err)})`,
            );
          }
        }
        if (cancelled) {
          const now = ctx.now();
          ctx.intake.write(() =>
            ctx.db.transaction(() => {
              const sale = store.saleByRedemption(a.id);
              store.setVoided(a.id, now.toISOString());
              store.setLogStatus(a.id, 'voided', 'ok', null);
              if (sale) {
                const lookup: TransactionLookup = {
                  storeId: sale.store_id,
                  terminalId: sale.terminal_id,
                  terminalTranId: sale.terminal_tran_id,
                  terminalTranDateTime: sale.terminal_tran_date_time,
                };
                const voidOutboxId = enqueue(ctx.db, smaregiCancelItem(lookup), now);
                store.voidSale(sale.id, now.toISOString(), voidOutboxId);
              }
              catalog.incrementUsage(a.coupon_id, -1);
            })(),
          );
          outbox.kick();
          emitLogged(store.logEntry(a.id));
        }
        return attemptResult(store.attempt(a.id)!);
      }),
    );
  }

  // ---- evaluate (scan.evaluate) ---------------------------------------------------------------

  let filterWindow = -1;
  let filter = createDoubleScanFilter(0);
  const lastOutcome = new Map<string, { outcome: ScanOutcome; basketKey: string; online: boolean }>();

  async function evaluateHandler(raw: string, source: ScanSource, basket: Basket, online: boolean): Promise<ScanOutcome> {
    const windowMs = ctx.settings.get().scanner.doubleScanWindowMs;
    if (windowMs !== filterWindow) {
      filterWindow = windowMs;
      filter = createDoubleScanFilter(windowMs);
    }
    const code = normalizeScan(raw);
    // A true double scan asks the same question twice: same code, same basket. A changed basket is a new question.
    const basketKey = JSON.stringify(basket);
    if (code && filter.isDuplicate(code, ctx.now().getTime())) {
      const prev = lastOutcome.get(code);
      // An answer checked with giftee also answers the local question; a local one does not answer
      // the online question (the register asks online right after a local ok of the same scan).
      if (prev && prev.basketKey === basketKey && (prev.online || !online)) return { ...prev.outcome, raw, duplicate: true };
    }
    await catalogReady();
    if (classifyScan(code).kind === 'giftee') await settleConnectivity();
    const local = evaluate(raw, basket);
    let outcome = local.outcome;
    // Online: a ticket the local rules accept is asked of giftee (verify only, nothing consumed).
    // Only then: a local refusal is certain already, and offline is said without waiting.
    let checked = false;
    if (online && outcome.verdict === 'ok' && local.scan.kind === 'giftee') {
      outcome = verifiedOutcome(outcome, await verifyTicket(local.scan.code));
      checked = true;
    }
    if (code) {
      lastOutcome.set(code, { outcome, basketKey, online: checked });
      if (lastOutcome.size > 256) lastOutcome.delete(lastOutcome.keys().next().value as string);
    }
    const entry = logEntry('evaluate', source, outcome, { status: null, redemptionId: null, amount: amountOf(outcome, basket) });
    pendingLog.push(entry);
    flushTimer ??= setTimeout(flushLog, 50);
    flushTimer.unref?.();
    emitLogged(entry);
    return outcome;
  }

  // ---- log queries ----------------------------------------------------------------------------

  function filterOf(p: { text: string; verdict: string | null; from: string | null; to: string | null }): LogFilter {
    const bound = (text: string | null, edge: 'from' | 'to') => {
      if (!text) return null;
      const b = queryBound(text, edge);
      if (!b) throw new ContractError('invalid_params', `${edge}: YYYY-MM-DD または ISO 8601 の日時で指定してください / use YYYY-MM-DD or an ISO 8601 date-time ("${text}")`);
      return b;
    };
    return { text: p.text, verdict: p.verdict, from: bound(p.from, 'from'), to: bound(p.to, 'to') };
  }

  let unsubscribe: (() => void) | null = null;

  return {
    name: 'redemption',
    resolveOpen,
    flushLog,
    handlers: {
      'scan.evaluate': ({ raw, source, basket, online }) => evaluateHandler(raw, source, basket, online),
      'redemption.redeem': ({ raw, source, basket }) => redeem(raw, source, basket),
      'redemption.void': ({ redemptionId }) => voidRedemption(redemptionId),
      'redemption.recent': ({ limit }) => {
        flushLog();
        return store.recent(limit);
      },
      'redemption.log': (q) => {
        flushLog();
        return store.query(filterOf(q), { limit: q.limit, offset: q.offset });
      },
      'redemption.exportCsv': (q) => {
        flushLog();
        // The export is every matching row (paging is for the screen).
        const { rows } = store.query(filterOf(q), null);
        return { filename: logCsvFilename(ctx.now()), csv: logCsv(rows) };
      },
    },
    start() {
      void resolveOpen();
      unsubscribe = connectivity.onChange((system, state) => {
        if (system === 'giftee' && state === 'online' && store.openAttempts().length > 0) void resolveOpen();
      });
    },
    async stop() {
      unsubscribe?.();
      const settled = Promise.allSettled([...inflight]);
      await Promise.race([settled, sleep(10_000)]);
      flushLog();
    },
  };
}
