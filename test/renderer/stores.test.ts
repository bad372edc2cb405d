import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineStatus, RedemptionResult, RendererApi, ScanOutcome } from '../../src/shared/contract';
import { ApiError, setApi } from '../../src/renderer/api';
import { initialAppState, reconnectingInfo, redemptionAllowed, useApp } from '../../src/renderer/store/app';
import { addProduct, changeQuantity, clampSelection, itemsTotal, removeItem, toBasket } from '../../src/renderer/store/basket';
import {
  applyRedeemResult,
  applyScanOutcome,
  canConfirm,
  cancel,
  confirm,
  initialRegisterState,
  setAmountText,
  submitScan,
  useRegister,
  type RegisterState,
} from '../../src/renderer/store/register';
import { progressFraction, syncPhase, totals } from '../../src/renderer/store/sync';

const coffee = { productId: 'p1', productCode: '4901', name: 'コーヒー', price: 480 };
const cake = { productId: 'p2', productCode: '4902', name: 'ケーキ', price: 650 };
const CODE = '123456700000000000000001';

function outcome(over: Partial<ScanOutcome> = {}): ScanOutcome {
  return {
    raw: CODE,
    normalized: CODE,
    kind: 'giftee',
    prefix: '1234567',
    couponId: '1',
    coupon: null,
    verdict: 'ok',
    reason: null,
    message: null,
    benefit: { awardType: '1', awardValue: '500', discountYen: 500, freeItems: [] },
    product: null,
    duplicate: false,
    ...over,
  };
}

function result(over: Partial<RedemptionResult> = {}): RedemptionResult {
  return { ...outcome(), redemptionId: 'r1', status: 'redeemed', saleId: 's1', ...over };
}

const state = (over: Partial<RegisterState> = {}): RegisterState => ({ ...initialRegisterState, ...over });

describe('basket reducers', () => {
  it('adds a product, or one more of it', () => {
    let items = addProduct([], coffee);
    items = addProduct(items, cake);
    items = addProduct(items, coffee);
    expect(items.map((i) => [i.productId, i.quantity])).toEqual([
      ['p1', 2],
      ['p2', 1],
    ]);
    expect(itemsTotal(items)).toBe(480 * 2 + 650);
  });

  it('changes quantity within 1..9999 and removes lines', () => {
    const items = addProduct([], coffee);
    expect(changeQuantity(items, 0, -5)[0].quantity).toBe(1);
    expect(changeQuantity(items, 0, 20_000)[0].quantity).toBe(9999);
    expect(changeQuantity(items, 3, 1)).toEqual(items);
    expect(removeItem(items, 0)).toEqual([]);
    expect(removeItem(items, 7)).toEqual(items);
  });

  it('does not change its input', () => {
    const items = Object.freeze(addProduct([], coffee));
    expect(() => changeQuantity(items, 0, 1)).not.toThrow();
    expect(items[0].quantity).toBe(1);
  });

  it('the basket sent with a scan carries a valid typed amount or null', () => {
    expect(toBasket([], '1,200')).toEqual({ items: [], amount: 1200 });
    expect(toBasket([], '')).toEqual({ items: [], amount: null });
    expect(toBasket([], '12a')).toEqual({ items: [], amount: null });
  });

  it('keeps the selection in range', () => {
    expect(clampSelection(5, 2)).toBe(1);
    expect(clampSelection(-1, 2)).toBe(0);
    expect(clampSelection(0, 0)).toBe(-1);
  });
});

describe('register transitions', () => {
  it('a product scan goes into the basket and keeps the ticket shown', () => {
    const s = state({ ticket: { raw: CODE, source: 'wedge' }, display: { kind: 'outcome', outcome: outcome() } });
    const next = applyScanOutcome(s, '4901', 'wedge', outcome({ kind: 'product', product: coffee, benefit: null }));
    expect(next.items).toEqual([{ ...coffee, quantity: 1 }]);
    expect(next.display).toBeUndefined();
    expect(next.basketDirty).toBe(true);
    expect(next.notice?.key).toBe('register.productAdded');
  });

  it('a product double scan adds nothing', () => {
    const next = applyScanOutcome(state(), '4901', 'wedge', outcome({ kind: 'product', product: coffee, duplicate: true }));
    expect(next.items).toBeUndefined();
    expect(next.notice?.key).toBe('register.duplicate');
  });

  it('a gift ticket becomes the ticket to confirm; anything else clears it', () => {
    const t = applyScanOutcome(state(), CODE, 'manual', outcome());
    expect(t.ticket).toEqual({ raw: CODE, source: 'manual' });
    const u = applyScanOutcome(state({ ticket: { raw: CODE, source: 'manual' } }), 'xyz', 'wedge', outcome({ kind: 'unknown', verdict: 'rejected', reason: 'not_gift_ticket' }));
    expect(u.ticket).toBeNull();
    expect(u.display).toEqual({ kind: 'outcome', outcome: expect.objectContaining({ reason: 'not_gift_ticket' }) });
  });

  it('a redemption clears the basket and can be voided', () => {
    const s = state({ items: [{ ...coffee, quantity: 1 }], amountText: '1200', ticket: { raw: CODE, source: 'wedge' } });
    const next = applyRedeemResult(s, result());
    expect(next).toMatchObject({ items: [], amountText: '', ticket: null, display: { kind: 'redeemed' } });
    expect(next.lastRedemption?.redemptionId).toBe('r1');
  });

  it('a refused redemption keeps the ticket and basket for another try', () => {
    const s = state({ items: [{ ...coffee, quantity: 1 }], ticket: { raw: CODE, source: 'wedge' } });
    const next = applyRedeemResult(s, result({ status: 'rejected', verdict: 'rejected', reason: 'below_min_amount', redemptionId: null }));
    expect(next.items).toBeUndefined();
    expect(next.ticket).toBeUndefined();
    expect(next.display).toMatchObject({ kind: 'outcome', outcome: { reason: 'below_min_amount' } });
  });

  it('an unresolved answer does not let the ticket be confirmed again', () => {
    const next = applyRedeemResult(state({ ticket: { raw: CODE, source: 'wedge' } }), result({ status: 'unresolved' }));
    expect(next).toMatchObject({ ticket: null, display: { kind: 'unresolved' } });
  });

  it('confirm needs a ticket, an ok verdict (or a changed basket), no work in progress, and online', () => {
    const ready = state({ ticket: { raw: CODE, source: 'wedge' }, display: { kind: 'outcome', outcome: outcome() } });
    expect(canConfirm(ready, true)).toBe(true);
    expect(canConfirm(ready, false)).toBe(false);
    expect(canConfirm({ ...ready, busy: 'evaluating' }, true)).toBe(false);
    expect(canConfirm({ ...ready, ticket: null }, true)).toBe(false);
    const refused = { ...ready, display: { kind: 'outcome' as const, outcome: outcome({ verdict: 'rejected', reason: 'below_min_amount' }) } };
    expect(canConfirm(refused, true)).toBe(false);
    expect(canConfirm({ ...refused, basketDirty: true }, true)).toBe(true);
  });

  it('confirm waits while the amount is not a number, or while the engine refuses the basket', () => {
    const ready = state({ ticket: { raw: CODE, source: 'wedge' }, display: { kind: 'outcome', outcome: outcome() } });
    for (const amountText of ['999999999', '1e3', '-100', '1500.5']) {
      expect(canConfirm({ ...ready, amountText }, true), amountText).toBe(false);
      expect(canConfirm({ ...ready, amountText, basketDirty: true }, true), amountText).toBe(false);
    }
    expect(canConfirm({ ...ready, amountText: '1,500' }, true)).toBe(true);
    expect(canConfirm({ ...ready, basketProblem: '金額が少なすぎます / too low' }, true)).toBe(false);
  });
});

describe('app state', () => {
  const status = { redemptionOnline: true, intakeStopped: null } as EngineStatus;

  it('reconnecting banner from the socket or the engine', () => {
    expect(reconnectingInfo({ socket: 'open', socketAttempt: 0, engine: { state: 'ready', attempt: 0 } })).toBeNull();
    expect(reconnectingInfo({ socket: 'reconnecting', socketAttempt: 2, engine: { state: 'ready', attempt: 0 } })).toEqual({ attempt: 2 });
    expect(reconnectingInfo({ socket: 'open', socketAttempt: 0, engine: { state: 'reconnecting', attempt: 4 } })).toEqual({ attempt: 4 });
  });

  it('redemption only when online, connected and accepting changes', () => {
    const base = { status, socket: 'open' as const, engine: { state: 'ready' as const, attempt: 0 } };
    expect(redemptionAllowed(base)).toBe(true);
    expect(redemptionAllowed({ ...base, status: { ...status, redemptionOnline: false } })).toBe(false);
    expect(redemptionAllowed({ ...base, status: { ...status, intakeStopped: { code: 'storage_full', message: 'full' } } })).toBe(false);
    expect(redemptionAllowed({ ...base, socket: 'reconnecting' })).toBe(false);
    expect(redemptionAllowed({ ...base, engine: { state: 'reconnecting', attempt: 1 } })).toBe(false);
    expect(redemptionAllowed({ ...base, status: null })).toBe(false);
  });

  it('sync: items for an unreachable target are waiting, not "0 / 4 sent"; an ETA only once items move', () => {
    const base = { paused: false, draining: false, remaining: 4, done: 0, etaSeconds: 12, perTarget: [{ target: 'smaregi', pending: 4, inFlight: 0, failed: 0, sent: 0 }] };
    expect(syncPhase(base, { smaregi: 'offline' })).toEqual({ waiting: [{ target: 'smaregi', n: 4 }], moving: 0, showEta: false });
    expect(syncPhase(base, { smaregi: 'online' })).toEqual({ waiting: [], moving: 4, showEta: false }); // nothing delivered yet
    expect(syncPhase({ ...base, draining: true, done: 2, remaining: 2 }, { smaregi: 'online' }).showEta).toBe(true);
    expect(syncPhase({ ...base, done: 2, remaining: 2, etaSeconds: null }, { smaregi: 'online' }).showEta).toBe(false);
    expect(syncPhase({ ...base, done: 2, remaining: 2, paused: true }, { smaregi: 'online' }).showEta).toBe(false);
    // One target away, another delivering.
    const two = { ...base, remaining: 5, done: 1, perTarget: [...base.perTarget, { target: 'nextengine', pending: 0, inFlight: 1, failed: 0, sent: 1 }] };
    expect(syncPhase(two, { smaregi: 'offline', nextengine: 'online' })).toEqual({ waiting: [{ target: 'smaregi', n: 4 }], moving: 1, showEta: true });
  });

  it('sync progress', () => {
    expect(progressFraction({ done: 0, remaining: 0 })).toBe(1);
    expect(progressFraction({ done: 5, remaining: 15 })).toBe(0.25);
    expect(
      totals({
        paused: false,
        draining: true,
        remaining: 3,
        done: 1,
        etaSeconds: 2,
        perTarget: [
          { target: 'a', pending: 1, inFlight: 1, failed: 2, sent: 3 },
          { target: 'b', pending: 2, inFlight: 0, failed: 0, sent: 4 },
        ],
      }),
    ).toEqual({ pending: 3, inFlight: 1, failed: 2, sent: 7 });
  });
});

describe('register actions against a fake engine', () => {
  let calls: { method: string; params: any }[];
  let answers: Record<string, (p: any) => unknown>;

  beforeEach(() => {
    vi.useFakeTimers();
    calls = [];
    answers = {};
    const api: RendererApi = {
      call: (async (method: string, params: any) => {
        calls.push({ method, params });
        const a = answers[method];
        if (!a) return method === 'redemption.recent' ? [] : undefined;
        return a(params);
      }) as RendererApi['call'],
      on: () => () => {},
    };
    setApi(api);
    useApp.setState({ ...initialAppState, socket: 'open', status: { redemptionOnline: true, intakeStopped: null } as EngineStatus });
    useRegister.setState({ ...initialRegisterState });
  });
  afterEach(() => {
    cancel();
    vi.useRealTimers();
  });

  it('scan a ticket, type the amount (re-checked), confirm', async () => {
    answers['scan.evaluate'] = (p) =>
      p.basket.amount !== null && p.basket.amount >= 1000 ? outcome() : outcome({ verdict: 'rejected', reason: 'below_min_amount', benefit: null });
    answers['redemption.redeem'] = () => result();

    await submitScan(CODE, 'wedge');
    expect(useRegister.getState().display).toMatchObject({ kind: 'outcome', outcome: { reason: 'below_min_amount' } });

    setAmountText('1200');
    await vi.advanceTimersByTimeAsync(400);
    expect(useRegister.getState().display).toMatchObject({ kind: 'outcome', outcome: { verdict: 'ok' } });
    expect(calls.filter((c) => c.method === 'scan.evaluate').at(-1)?.params.basket.amount).toBe(1200);

    await confirm();
    const redeem = calls.find((c) => c.method === 'redemption.redeem');
    expect(redeem?.params).toEqual({ raw: CODE, source: 'wedge', basket: { items: [], amount: 1200 } });
    expect(useRegister.getState()).toMatchObject({ display: { kind: 'redeemed' }, ticket: null, amountText: '' });
  });

  it('a re-check answered as a double scan (stale basket) is asked again after the window', async () => {
    let n = 0;
    answers['scan.evaluate'] = (p) => {
      if (p.online) return outcome(); // giftee's verify, once the ticket is locally ok
      n++;
      if (n === 1) return outcome({ verdict: 'rejected', reason: 'below_min_amount' });
      if (n === 2) return outcome({ verdict: 'rejected', reason: 'below_min_amount', duplicate: true });
      return p.basket.amount === 2000 ? outcome() : outcome({ verdict: 'rejected', reason: 'below_min_amount' });
    };
    await submitScan(CODE, 'wedge');
    setAmountText('2000');
    await vi.advanceTimersByTimeAsync(400);
    expect(useRegister.getState().basketDirty).toBe(true); // stale answer not trusted
    await vi.advanceTimersByTimeAsync(1_700);
    expect(n).toBe(3);
    expect(useRegister.getState()).toMatchObject({ basketDirty: false, display: { outcome: { verdict: 'ok' } } });
  });

  it('offline blocks confirm without calling the engine (the screen says so once, next to the buttons)', async () => {
    answers['scan.evaluate'] = () => outcome();
    await submitScan(CODE, 'wedge');
    useApp.setState({ status: { redemptionOnline: false, intakeStopped: null } as EngineStatus });
    await confirm();
    expect(calls.some((c) => c.method === 'redemption.redeem')).toBe(false);
    expect(useRegister.getState().notice).toBeNull();
  });

  it('an amount that is not one is never checked: no evaluation against a missing amount, no redeem', async () => {
    answers['scan.evaluate'] = (p) =>
      p.basket.amount !== null && p.basket.amount >= 1000 ? outcome() : outcome({ verdict: 'rejected', reason: 'below_min_amount', benefit: null });
    answers['redemption.redeem'] = () => result();
    await submitScan(CODE, 'wedge');
    const asked = () => calls.filter((c) => c.method === 'scan.evaluate').length;
    const before = asked();
    for (const bad of ['999999999', '1e3', '-100', '1500.5']) {
      setAmountText(bad);
      await vi.advanceTimersByTimeAsync(400);
    }
    expect(asked()).toBe(before);
    expect(useRegister.getState().busy).toBeNull();
    await confirm();
    expect(calls.some((c) => c.method === 'redemption.redeem')).toBe(false);
    setAmountText('1500');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.at(-1)?.params.basket.amount).toBe(1500);
    expect(useRegister.getState().display).toMatchObject({ outcome: { verdict: 'ok' } });
  });

  it("the engine's refusal of the basket (invalid_params) holds the ticket until the amount is fixed", async () => {
    const items = [{ ...coffee, quantity: 2 }];
    const refusal = '入力金額 500円 が商品の合計 960円 より少なくなっています / The typed amount (500 yen) is less than the items (960 yen)';
    answers['scan.evaluate'] = (p) => {
      if (p.basket.amount !== null && p.basket.amount < 960) throw new ApiError('invalid_params', refusal, { problem: 'amount_below_items' });
      return outcome();
    };
    useRegister.setState({ items, amountText: '500' });
    await submitScan(CODE, 'wedge');
    expect(useRegister.getState()).toMatchObject({ display: { kind: 'held', raw: CODE }, ticket: { raw: CODE }, basketProblem: refusal, error: null });
    expect(canConfirm(useRegister.getState(), true)).toBe(false);

    setAmountText('1200');
    expect(useRegister.getState().basketProblem).toBeNull(); // being checked again
    await vi.advanceTimersByTimeAsync(400);
    expect(useRegister.getState()).toMatchObject({ display: { kind: 'outcome', outcome: { verdict: 'ok' } }, basketProblem: null });
    expect(canConfirm(useRegister.getState(), true)).toBe(true);

    // Redeem refuses it too (the amount changed under it): said next to the amount, not as an "error".
    answers['redemption.redeem'] = () => {
      throw new ApiError('invalid_params', refusal);
    };
    await confirm();
    expect(useRegister.getState()).toMatchObject({ basketProblem: refusal, error: null, ticket: { raw: CODE } });
  });

  it('Esc, then the same ticket again inside the double-scan window: asked again once the window passed, no "ignored" notice', async () => {
    let n = 0;
    answers['scan.evaluate'] = (p) => {
      if (p.online) return outcome(); // giftee's verify after each locally ok scan
      n++;
      // The engine's double-scan filter: the same code and basket again within its window.
      return n === 2 ? outcome({ duplicate: true }) : outcome();
    };
    await submitScan(CODE, 'wedge');
    cancel();
    await submitScan(CODE, 'wedge');
    expect(useRegister.getState()).toMatchObject({ notice: null, display: { kind: 'idle' }, rescanWaiting: true });
    await vi.advanceTimersByTimeAsync(1_700);
    expect(n).toBe(3);
    expect(useRegister.getState()).toMatchObject({ notice: null, rescanWaiting: false, ticket: { raw: CODE }, display: { kind: 'outcome' } });
  });

  it('a true double scan (no Esc in between) is still ignored', async () => {
    let n = 0;
    // The online question (giftee's verify) after the first scan is not a scan: not counted.
    answers['scan.evaluate'] = (p) => (p.online ? outcome() : ++n === 2 ? outcome({ duplicate: true }) : outcome());
    await submitScan(CODE, 'wedge');
    await submitScan(CODE, 'wedge');
    expect(useRegister.getState().notice?.key).toBe('register.duplicate');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(n).toBe(2);
  });

  it('a locally ok ticket is asked of giftee (online) before it is usable; basket changes stay local and keep giftee’s refusal', async () => {
    const used = outcome({ verdict: 'rejected', reason: 'ticket_used', message: { ja: 'このギフト券はすでに使用済みです', en: 'used' } });
    let release!: () => void;
    answers['scan.evaluate'] = (p) => (p.online ? new Promise((r) => (release = () => r(used))) : outcome());
    const scanned = submitScan(CODE, 'wedge');
    await vi.waitFor(() => expect(calls.some((c) => c.params?.online === true)).toBe(true));
    // Meanwhile: 「giftee に確認中…」, confirm disabled, whatever the local answer said.
    expect(useRegister.getState()).toMatchObject({ busy: 'verifying', display: { outcome: { verdict: 'ok' } } });
    expect(canConfirm(useRegister.getState(), true)).toBe(false);
    release();
    await scanned;
    expect(useRegister.getState()).toMatchObject({ busy: null, display: { outcome: { verdict: 'rejected', reason: 'ticket_used' } } });
    expect(canConfirm(useRegister.getState(), true)).toBe(false);

    const before = calls.length;
    setAmountText('1500');
    await vi.advanceTimersByTimeAsync(400);
    const rechecks = calls.slice(before).filter((c) => c.method === 'scan.evaluate');
    expect(rechecks).toHaveLength(1);
    expect(rechecks[0].params.online).toBeUndefined();
    expect(useRegister.getState().display).toMatchObject({ outcome: { verdict: 'rejected', reason: 'ticket_used' } });
  });

  it('giftee unreachable at the online check: shown as the offline refusal; a ticket refused locally is not asked', async () => {
    answers['scan.evaluate'] = (p) =>
      p.online ? outcome({ verdict: 'blocked', reason: 'offline', message: { ja: 'オフライン', en: 'offline' } }) : outcome();
    await submitScan(CODE, 'wedge');
    expect(useRegister.getState()).toMatchObject({ busy: null, display: { outcome: { verdict: 'blocked', reason: 'offline' } } });
    expect(canConfirm(useRegister.getState(), true)).toBe(false);

    cancel();
    calls.length = 0;
    answers['scan.evaluate'] = () => outcome({ verdict: 'rejected', reason: 'below_min_amount', benefit: null });
    await submitScan(CODE.replace(/1$/, '2'), 'wedge');
    expect(calls.filter((c) => c.method === 'scan.evaluate').map((c) => c.params.online)).toEqual([undefined]);
  });

  it('scans are evaluated with the basket as it is after earlier scans', async () => {
    answers['scan.evaluate'] = (p) =>
      p.raw === '4901' ? outcome({ raw: '4901', normalized: '4901', kind: 'product', product: coffee, benefit: null }) : outcome();
    void submitScan('4901', 'wedge');
    void submitScan('4901', 'wedge');
    await submitScan(CODE, 'wedge');
    const last = calls.filter((c) => c.method === 'scan.evaluate').at(-1);
    expect(last?.params.basket.items).toEqual([{ ...coffee, quantity: 2 }]);
  });
});
