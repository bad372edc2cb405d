import { create } from 'zustand';
import type {
  BasketItem,
  RedemptionLogEntry,
  RedemptionResult,
  ScanOutcome,
  ScanSource,
} from '../../shared/contract';
import { ApiError, api, errorMessage } from '../api';
import type { MessageKey, Vars } from '../i18n/translate';
import { redemptionAllowed, setScreen, useApp } from './app';
import { useSettings } from './settings';
import { parseAmount } from '../format';
import { addProduct, changeQuantity, clampSelection, removeItem, toBasket } from './basket';

/** What the big result panel shows. */
export type Display =
  | { kind: 'idle' }
  /** A scan's evaluation (dry run), or a redemption attempt that was refused. */
  | { kind: 'outcome'; outcome: ScanOutcome }
  | { kind: 'redeemed'; result: RedemptionResult }
  | { kind: 'voided'; result: RedemptionResult }
  /** giftee's answer was lost: the engine resolves it; the cashier must not scan again. */
  | { kind: 'unresolved'; result: RedemptionResult }
  /** A ticket the engine would not check with this basket (`invalid_params`): fix the amount, it is checked again. */
  | { kind: 'held'; raw: string };

/** giftee's own refusal of a ticket, from an online check. */
export type GifteeRefusal = Pick<ScanOutcome, 'reason' | 'message'>;

const GIFTEE_REASONS: ReadonlySet<ScanOutcome['reason']> = new Set(['ticket_used', 'ticket_expired', 'ticket_unknown']);

/** The refusal giftee gave this ticket, if the online check gave one. */
export function gifteeRefusalOf(o: ScanOutcome): GifteeRefusal | null {
  return o.kind === 'giftee' && o.verdict === 'rejected' && GIFTEE_REASONS.has(o.reason) ? { reason: o.reason, message: o.message } : null;
}

/** A local re-check (basket change) of a ticket giftee already refused: the refusal stands. */
export function withGifteeRefusal(o: ScanOutcome, refused: GifteeRefusal | undefined): ScanOutcome {
  return refused && o.verdict === 'ok' ? { ...o, verdict: 'rejected', reason: refused.reason, message: refused.message } : o;
}

/** A scan whose local answer is ok for a giftee ticket is asked again online (giftee's verify). */
export function needsGifteeCheck(o: ScanOutcome): boolean {
  return o.kind === 'giftee' && o.verdict === 'ok' && !o.duplicate;
}

export interface Notice {
  key: MessageKey;
  vars?: Vars;
}

export interface RegisterState {
  items: BasketItem[];
  selected: number;
  amountText: string;
  /**
   * The gift ticket (or coupon) scan waiting to be confirmed. `checked`: asked of giftee once
   * (online check) since it was scanned. `refused`: giftee said
   * the ticket is used / expired / unknown — it holds whatever the basket, so it outlives the
   * local re-checks a basket change makes.
   */
  ticket: { raw: string; source: ScanSource; checked?: boolean; refused?: GifteeRefusal } | null;
  display: Display;
  notice: Notice | null;
  /** `verifying`: a locally ok ticket is being checked with giftee (verify only); confirm waits. */
  busy: 'evaluating' | 'verifying' | 'redeeming' | 'voiding' | null;
  error: string | null;
  /** The basket changed after the ticket was last evaluated. */
  basketDirty: boolean;
  /** The redemption just made, which may still be voided. */
  lastRedemption: RedemptionResult | null;
  voidArmed: boolean;
  recent: RedemptionLogEntry[];
  /**
   * The engine's `invalid_params` answer about the basket (e.g. an amount below the scanned
   * items), as sent ("日本語 / English"): shown next to the amount; confirm waits until it is fixed.
   */
  basketProblem: string | null;
  /** A code cleared with Esc was scanned again inside the double-scan window: asked again shortly. */
  rescanWaiting: boolean;
}

export const initialRegisterState: RegisterState = {
  items: [],
  selected: -1,
  amountText: '',
  ticket: null,
  display: { kind: 'idle' },
  notice: null,
  busy: null,
  error: null,
  basketDirty: false,
  lastRedemption: null,
  voidArmed: false,
  recent: [],
  basketProblem: null,
  rescanWaiting: false,
};

export const useRegister = create<RegisterState>()(() => ({ ...initialRegisterState }));

const get = useRegister.getState;
const set = useRegister.setState;

// ---- pure transitions (exported for tests) ----

/** The state after a scan's evaluation came back. */
export function applyScanOutcome(s: RegisterState, raw: string, source: ScanSource, outcome: ScanOutcome): Partial<RegisterState> {
  if (outcome.kind === 'product') {
    if (outcome.duplicate) return { notice: { key: 'register.duplicate' } };
    if (!outcome.product) return { notice: { key: 'register.productNotFound', vars: { code: outcome.normalized || raw } } };
    const items = addProduct(s.items, outcome.product);
    const selected = items.findIndex((it) => it.productId === outcome.product!.productId);
    return {
      items,
      selected,
      basketDirty: s.ticket !== null,
      notice: { key: 'register.productAdded', vars: { name: outcome.product.name } },
    };
  }
  if (outcome.duplicate) return { notice: { key: 'register.duplicate' } };
  // Only a giftee ticket can be redeemed; a coupon code is shown, not confirmed.
  const isTicket = outcome.kind === 'giftee';
  return {
    display: { kind: 'outcome', outcome },
    ticket: isTicket ? { raw, source } : null,
    basketDirty: false,
    basketProblem: null,
    notice: null,
    voidArmed: false,
  };
}

/** The state after `redemption.redeem` answered. */
export function applyRedeemResult(s: RegisterState, result: RedemptionResult): Partial<RegisterState> {
  switch (result.status) {
    case 'redeemed':
      return {
        display: { kind: 'redeemed', result },
        lastRedemption: result,
        ticket: null,
        items: [],
        selected: -1,
        amountText: '',
        basketDirty: false,
        notice: null,
      };
    case 'pending':
    case 'unresolved':
      return { display: { kind: 'unresolved', result }, ticket: null, basketDirty: false };
    case 'voided':
      return { display: { kind: 'voided', result }, ticket: null };
    case 'rejected':
    case 'blocked':
    default:
      // Keep the ticket and basket: the cashier may fix the amount and confirm again.
      return { display: { kind: 'outcome', outcome: result }, basketDirty: false, lastRedemption: s.lastRedemption };
  }
}

/** The typed amount is not a number of yen (the field is red; nothing is checked against it). */
export function amountInvalid(s: Pick<RegisterState, 'amountText'>): boolean {
  return parseAmount(s.amountText) === 'invalid';
}

/** Whether Enter/F12 may redeem now. */
export function canConfirm(s: RegisterState, allowed: boolean): boolean {
  if (!allowed || s.busy !== null || s.ticket === null) return false;
  if (amountInvalid(s) || s.basketProblem !== null) return false;
  if (s.display.kind !== 'outcome') return false;
  return s.display.outcome.verdict === 'ok' || s.basketDirty;
}

/** The engine refused the basket itself (`invalid_params` from scan.evaluate / redemption.redeem). */
export function isBasketRefusal(e: unknown): e is ApiError {
  return e instanceof ApiError && e.code === 'invalid_params';
}

// ---- actions (talk to the engine) ----

let queue: Promise<unknown> = Promise.resolve();
/** Scans, confirms and voids run one after another, in the order they happened. */
function serial<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

function failure(err: unknown): Partial<RegisterState> {
  return { error: errorMessage(err), busy: null };
}

/** Esc presses so far, and for each code (whitespace-free) how many there had been when it was last sent for evaluation. */
let clears = 0;
const lastAsked = new Map<string, number>();
let rescanTimer: ReturnType<typeof setTimeout> | null = null;
/** Bumped by every scan: a later scan makes a waiting re-ask moot. */
let scanSeq = 0;

function doubleScanWindowMs(): number {
  return useSettings.getState().view?.settings.scanner.doubleScanWindowMs ?? 1_500;
}

export function submitScan(raw: string, source: ScanSource): Promise<void> {
  const text = raw.slice(0, 1000);
  if (useApp.getState().screen !== 'register') setScreen('register');
  scanSeq++;
  return serial(() => evaluateScan(text, source, true));
}

async function evaluateScan(text: string, source: ScanSource, mayAskAgain: boolean): Promise<void> {
  const key = text.replace(/\s/g, '');
  const askedBefore = lastAsked.get(key);
  lastAsked.delete(key); // re-inserted last: the map drops its oldest entries
  lastAsked.set(key, clears);
  if (lastAsked.size > 200) lastAsked.delete(lastAsked.keys().next().value as string);
  set({ busy: 'evaluating', error: null });
  try {
    const s = get();
    const outcome = await api().call('scan.evaluate', { raw: text, source, basket: toBasket(s.items, s.amountText) });
    if (outcome.duplicate && mayAskAgain && askedBefore !== undefined && askedBefore < clears) {
      // Scanned again after Esc cleared it: a new question, not a double scan. The engine still
      // answers inside its window with the old answer, so ask again once the window has passed.
      set({ busy: null, rescanWaiting: true });
      if (rescanTimer) clearTimeout(rescanTimer);
      const seq = scanSeq;
      rescanTimer = setTimeout(() => {
        rescanTimer = null;
        void serial(async () => {
          set({ rescanWaiting: false });
          if (seq === scanSeq) await evaluateScan(text, source, false);
        });
      }, doubleScanWindowMs() + 100);
      return;
    }
    const next = applyScanOutcome(get(), text, source, outcome);
    // A locally ok ticket is not shown as usable until giftee has been asked (used elsewhere, expired, unknown).
    set({ ...next, busy: needsGifteeCheck(outcome) ? 'verifying' : null });
    if (needsGifteeCheck(outcome)) await checkWithGiftee(text, source);
    else if (outcome.kind === 'product' && get().ticket && get().basketDirty) await reevaluateNow();
  } catch (e) {
    if (isBasketRefusal(e)) {
      // Only a ticket (or coupon code) is checked against the basket: hold it until the basket is fixed.
      set({
        ticket: { raw: text, source },
        display: { kind: 'held', raw: text },
        basketProblem: e.message,
        basketDirty: false,
        notice: null,
        voidArmed: false,
        busy: null,
      });
    } else {
      set(failure(e));
    }
  }
}

/**
 * The scan's online check: `scan.evaluate` with `online: true` (giftee's verify; nothing is
 * consumed). Only after a scan — basket changes are re-checked locally, not with giftee.
 */
async function checkWithGiftee(raw: string, source: ScanSource): Promise<void> {
  set({ busy: 'verifying' });
  try {
    const s = get();
    const outcome = await api().call('scan.evaluate', { raw, source, basket: toBasket(s.items, s.amountText), online: true });
    const ticket = get().ticket;
    if (ticket?.raw !== raw) {
      set({ busy: null }); // something replaced the ticket meanwhile
      return;
    }
    const refused = gifteeRefusalOf(outcome) ?? undefined;
    // blocked / offline comes back as an outcome too, and is shown as the offline refusal it is.
    set({ display: { kind: 'outcome', outcome }, ticket: { ...ticket, checked: true, refused }, busy: null });
  } catch (e) {
    if (isBasketRefusal(e) && get().ticket?.raw === raw) set({ basketProblem: e.message, busy: null });
    else set(failure(e));
  }
}

let retryTimer: ReturnType<typeof setTimeout> | null = null;

async function reevaluateNow(): Promise<void> {
  const s = get();
  if (!s.ticket) return;
  if (retryTimer) {
    clearTimeout(retryTimer);
    retryTimer = null;
  }
  // Never checked against an amount that is not one: the cashier sees 「金額が正しくありません」.
  if (amountInvalid(s)) return;
  set({ busy: 'evaluating' });
  try {
    const outcome = await api().call('scan.evaluate', {
      raw: s.ticket.raw,
      source: s.ticket.source,
      basket: toBasket(s.items, s.amountText),
    });
    if (get().ticket?.raw !== s.ticket.raw) {
      set({ busy: null }); // something replaced the ticket meanwhile
    } else if (outcome.duplicate) {
      // Inside the double-scan window the engine answers with the first scan's outcome (the old
      // basket). Keep the basket marked as changed (redeem re-checks it anyway) and ask again
      // once the window has passed.
      set({ busy: null, basketDirty: true });
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (get().ticket?.raw === s.ticket!.raw) void reevaluate();
      }, doubleScanWindowMs() + 100);
    } else {
      const ticket = get().ticket;
      set({
        display: { kind: 'outcome', outcome: withGifteeRefusal(outcome, ticket?.refused) },
        // A held code turns out to be a coupon code: shown, not confirmed.
        ticket: outcome.kind === 'giftee' ? ticket : null,
        basketDirty: false,
        basketProblem: null,
        busy: null,
      });
      // A ticket first found locally ok now (held, or refused for its amount at the scan) is asked
      // of giftee once; later basket changes stay local.
      if (ticket && !ticket.checked && needsGifteeCheck(outcome)) await checkWithGiftee(ticket.raw, ticket.source);
    }
  } catch (e) {
    if (isBasketRefusal(e) && get().ticket?.raw === s.ticket.raw) set({ basketProblem: e.message, basketDirty: false, busy: null });
    else set(failure(e));
  }
}

/** Re-check the current ticket against the changed basket. */
export function reevaluate(): Promise<void> {
  return serial(reevaluateNow);
}

let amountTimer: ReturnType<typeof setTimeout> | null = null;

export function setAmountText(text: string): void {
  set({ amountText: text, basketDirty: get().ticket !== null, basketProblem: null });
  if (amountTimer) clearTimeout(amountTimer);
  amountTimer = null;
  if (get().ticket && !amountInvalid(get())) amountTimer = setTimeout(() => void reevaluate(), 350);
}

function basketChanged(items: BasketItem[], selected: number): void {
  set({ items, selected: clampSelection(selected, items.length), basketDirty: get().ticket !== null, basketProblem: null });
  if (get().ticket) void reevaluate();
}

export function selectItem(delta: number): void {
  const s = get();
  if (s.items.length === 0) return;
  const next = s.selected < 0 ? 0 : (s.selected + delta + s.items.length) % s.items.length;
  set({ selected: next });
}

export function changeSelectedQuantity(delta: number, index = get().selected): void {
  const s = get();
  if (index < 0 || index >= s.items.length) return;
  basketChanged(changeQuantity(s.items, index, delta), index);
}

export function removeSelected(index = get().selected): void {
  const s = get();
  if (index < 0 || index >= s.items.length) return;
  basketChanged(removeItem(s.items, index), index);
}

export function confirm(): Promise<void> {
  return serial(async () => {
    if (amountTimer) {
      clearTimeout(amountTimer);
      amountTimer = null;
    }
    const s = get();
    const app = useApp.getState();
    // Offline: the screen already says so next to the buttons (once); nothing to add here.
    if (!s.ticket || !redemptionAllowed(app) || !canConfirm(s, true)) return;
    set({ busy: 'redeeming', error: null, voidArmed: false });
    try {
      const result = await api().call('redemption.redeem', {
        raw: s.ticket.raw,
        source: s.ticket.source,
        basket: toBasket(s.items, s.amountText),
      });
      set({ ...applyRedeemResult(get(), result), busy: null });
    } catch (e) {
      if (isBasketRefusal(e)) set({ basketProblem: e.message, busy: null });
      else set(failure(e));
      if (e instanceof ApiError && e.code === 'engine_unavailable') set({ notice: { key: 'register.unresolved' } });
    }
    void refreshRecent();
  });
}

/** Esc: clear the ticket, the basket and the amount. */
export function cancel(): void {
  if (amountTimer) clearTimeout(amountTimer);
  amountTimer = null;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  if (rescanTimer) clearTimeout(rescanTimer);
  rescanTimer = null;
  clears++;
  set({
    items: [],
    selected: -1,
    amountText: '',
    ticket: null,
    display: { kind: 'idle' },
    notice: null,
    error: null,
    basketDirty: false,
    basketProblem: null,
    rescanWaiting: false,
    voidArmed: false,
  });
}

let voidTimer: ReturnType<typeof setTimeout> | null = null;

/** The first press arms the void (for a few seconds), the second one voids the last redemption. */
export function voidLast(): Promise<void> {
  const s = get();
  const target = s.lastRedemption;
  if (!target?.redemptionId || s.busy) return Promise.resolve();
  if (!s.voidArmed) {
    set({ voidArmed: true });
    if (voidTimer) clearTimeout(voidTimer);
    voidTimer = setTimeout(() => set({ voidArmed: false }), 5_000);
    return Promise.resolve();
  }
  if (voidTimer) clearTimeout(voidTimer);
  return serial(async () => {
    set({ busy: 'voiding', voidArmed: false, error: null });
    try {
      const result = await api().call('redemption.void', { redemptionId: target.redemptionId! });
      set({
        display: result.status === 'voided' ? { kind: 'voided', result } : { kind: 'outcome', outcome: result },
        lastRedemption: result.status === 'voided' ? null : get().lastRedemption,
        busy: null,
      });
    } catch (e) {
      set(failure(e));
    }
    void refreshRecent();
  });
}

export async function refreshRecent(): Promise<void> {
  try {
    const recent = await api().call('redemption.recent', { limit: 10 });
    set({ recent });
  } catch {
    /* the list stays as it was; a banner tells if the engine is away */
  }
}
