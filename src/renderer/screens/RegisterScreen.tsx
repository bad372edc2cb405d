import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import type { ReasonCode, ScanOutcome } from '../../shared/contract';
import { formatBenefit, formatCode, formatCouponBenefit, formatCouponConditions, formatTime, formatYen, inLanguage, reasonText } from '../format';
import { useLang, useT, type Lang, type MessageKey, type Translate } from '../i18n';
import { redemptionAllowed, useApp } from '../store/app';
import { itemsTotal } from '../store/basket';
import {
  amountInvalid,
  canConfirm,
  cancel,
  changeSelectedQuantity,
  confirm,
  refreshRecent,
  removeSelected,
  selectItem,
  setAmountText,
  submitScan,
  useRegister,
  voidLast,
  type Display,
} from '../store/register';

function isTextField(el: Element | null): boolean {
  return el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && el.type !== 'checkbox' && el.type !== 'radio');
}

/** Refusals that depend on the basket: while the amount is wrong they say nothing true. */
const BASKET_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>(['below_min_amount', 'above_max_amount', 'no_target_item']);

/** What stops the basket from being checked at all: an amount that is not one, or the engine's refusal of it. */
function basketBlock(s: { amountText: string; basketProblem: string | null }): MessageKey | null {
  if (amountInvalid(s)) return 'register.amountInvalid';
  if (s.basketProblem !== null) return 'register.checkBasket';
  return null;
}

function OutcomeView({
  outcome,
  offline,
  block,
  verifying,
  t,
  lang,
}: {
  outcome: ScanOutcome;
  offline: boolean;
  /** The locally ok ticket is being checked with giftee: not called usable until it answers. */
  verifying: boolean;
  /** The basket cannot be checked: said instead of a verdict that depends on it. */
  block: MessageKey | null;
  t: Translate;
  lang: Lang;
}) {
  const blocked = block !== null && (outcome.reason === null || BASKET_REASONS.has(outcome.reason));
  // Offline blocks redemption even if an evaluation made before the drop said "ok".
  const reason = blocked ? null : (outcome.reason ?? (offline && outcome.verdict === 'ok' && outcome.kind === 'giftee' ? 'offline' : null));
  const message = blocked
    ? t(block)
    : outcome.reason && outcome.message
      ? outcome.message[lang]
      : reason
        ? reasonText(reason, lang)
        : null;
  const ok = outcome.verdict === 'ok' && reason === null && !blocked;
  const pending = ok && verifying;
  return (
    <div
      className={`outcome ${ok && !pending ? 'outcome-ok' : pending ? 'outcome-verifying' : 'outcome-refused'}`}
      data-verdict={pending ? 'verifying' : ok ? 'ok' : outcome.verdict}
    >
      <div className="outcome-head">
        <span className={`kind-badge kind-${outcome.kind}`} data-testid="scan-kind" data-kind={outcome.kind}>
          {t(`kind.${outcome.kind}`)}
        </span>
        <span className="outcome-code" data-testid="scan-code">
          {formatCode(outcome.normalized || outcome.raw)}
        </span>
      </div>
      {outcome.coupon && (
        <div className="outcome-coupon" data-testid="scan-coupon">
          {outcome.coupon.couponName}
        </div>
      )}
      {outcome.coupon && formatCouponConditions(outcome.coupon, lang) && (
        <div className="outcome-conditions" data-testid="scan-conditions">
          {formatCouponConditions(outcome.coupon, lang)}
        </div>
      )}
      {outcome.benefit && !blocked ? (
        <div className="outcome-benefit" data-testid="scan-benefit">
          {formatBenefit(outcome.benefit, lang)}
        </div>
      ) : (
        outcome.coupon && (
          <div className="outcome-benefit nominal" data-testid="scan-benefit">
            {formatCouponBenefit(outcome.coupon, lang)}
          </div>
        )
      )}
      {message ? (
        <div className="outcome-reason" data-testid="scan-reason" data-reason={blocked ? 'basket' : (reason ?? undefined)} role="alert">
          <span aria-hidden="true">✕ </span>
          {message}
        </div>
      ) : null}
      {offline && outcome.kind === 'giftee' && message !== null && reason !== 'offline' && (
        <div className="outcome-reason outcome-offline" data-testid="scan-offline" role="alert">
          <span aria-hidden="true">✕ </span>
          {reasonText('offline', lang)}
        </div>
      )}
      {!message && pending ? (
        <div className="outcome-verifying-note" data-testid="scan-verifying" role="status">
          {t('register.verifying')}
        </div>
      ) : null}
      {!message && ok && !pending ? (
        <div className="outcome-ready" data-testid="scan-ready">
          ✓ {t('verdict.ok')} — {t('register.ready')}
        </div>
      ) : null}
    </div>
  );
}

function ResultPanel() {
  const t = useT();
  const lang = useLang();
  const display: Display = useRegister((s) => s.display);
  const busy = useRegister((s) => s.busy);
  const notice = useRegister((s) => s.notice);
  const error = useRegister((s) => s.error);
  const block = useRegister(basketBlock);
  // "Checking…" only while an answer is coming (not while a wrong amount waits to be fixed).
  const checking = useRegister((s) => s.busy === 'evaluating' || s.rescanWaiting || (s.basketDirty && s.ticket !== null && block === null));
  const online = useApp((s) => s.status?.redemptionOnline ?? true);

  let body;
  if (busy === 'redeeming') {
    body = <div className="result-waiting result-busy">{t('register.redeeming')}</div>;
  } else if (display.kind === 'idle') {
    body = (
      <div className="result-waiting">
        <div className="result-waiting-main">{t('register.waiting')}</div>
        <div className="result-waiting-hint">{t('register.waitingHint')}</div>
      </div>
    );
  } else if (display.kind === 'outcome') {
    body = <OutcomeView outcome={display.outcome} offline={!online} block={block} verifying={busy === 'verifying'} t={t} lang={lang} />;
  } else if (display.kind === 'held') {
    body = (
      <div className="outcome outcome-refused" data-testid="scan-held">
        <div className="outcome-head">
          <span className="outcome-code" data-testid="scan-code">
            {formatCode(display.raw)}
          </span>
        </div>
        <div className="outcome-reason" data-testid="scan-reason" data-reason="basket" role="alert">
          <span aria-hidden="true">✕ </span>
          {t(block ?? 'register.checkBasket')}
        </div>
      </div>
    );
  } else if (display.kind === 'redeemed') {
    const r = display.result;
    body = (
      <div className="outcome outcome-success" data-testid="redeem-success">
        <div className="success-title">✓ {t('register.redeemed')}</div>
        {r.coupon && <div className="outcome-coupon">{r.coupon.couponName}</div>}
        {r.benefit && (
          <div className="success-discount" data-testid="redeem-discount">
            {r.benefit.awardType === '3'
              ? formatBenefit(r.benefit, lang)
              : t('register.redeemedDiscount', { discount: formatYen(r.benefit.discountYen, lang) })}
          </div>
        )}
        <div className="outcome-code">{formatCode(r.normalized)}</div>
      </div>
    );
  } else if (display.kind === 'voided') {
    body = (
      <div className="outcome outcome-voided" data-testid="redeem-voided">
        <div className="success-title">{t('register.voided')}</div>
        {display.result.coupon && <div className="outcome-coupon">{display.result.coupon.couponName}</div>}
        <div className="outcome-code">{formatCode(display.result.normalized)}</div>
      </div>
    );
  } else {
    body = (
      <div className="outcome outcome-unresolved" data-testid="redeem-unresolved" role="alert">
        <div className="outcome-reason">{t('register.unresolved')}</div>
        <div className="outcome-code">{formatCode(display.result.normalized)}</div>
      </div>
    );
  }

  return (
    <section className="result-panel" data-testid="scan-result" data-display={display.kind} aria-live="assertive">
      {body}
      {checking && <div className="result-evaluating">{t('register.evaluating')}</div>}
      {notice && (
        <div className="result-notice" data-testid="scan-notice">
          {t(notice.key, notice.vars)}
        </div>
      )}
      {error && (
        <div className="result-error" data-testid="register-error" role="alert">
          {t('register.error', { message: inLanguage(error, lang) })}
        </div>
      )}
    </section>
  );
}

function Basket({ amountRef }: { amountRef: RefObject<HTMLInputElement | null> }) {
  const t = useT();
  const lang = useLang();
  const items = useRegister((s) => s.items);
  const selected = useRegister((s) => s.selected);
  const amountText = useRegister((s) => s.amountText);
  const invalid = amountInvalid({ amountText });
  const problem = useRegister((s) => s.basketProblem);
  return (
    <section className="basket" aria-labelledby="basket-title">
      <h2 id="basket-title">{t('register.basket')}</h2>
      {items.length === 0 ? (
        <p className="basket-empty">{t('register.basketEmpty')}</p>
      ) : (
        <ul className="basket-items" data-testid="basket-items">
          {items.map((it, i) => (
            <li
              key={it.productId}
              className={i === selected ? 'basket-item selected' : 'basket-item'}
              data-testid="basket-item"
              aria-selected={i === selected}
            >
              <span className="basket-name">{it.name}</span>
              <span className="basket-price">{formatYen(it.price, lang)}</span>
              <span className="basket-qty">
                <button type="button" className="qty-btn" tabIndex={-1} aria-label="−" onClick={() => changeSelectedQuantity(-1, i)}>
                  −
                </button>
                <span data-testid="basket-qty">{it.quantity}</span>
                <button type="button" className="qty-btn" tabIndex={-1} aria-label="+" onClick={() => changeSelectedQuantity(1, i)}>
                  +
                </button>
              </span>
              <span className="basket-line">{formatYen(it.price * it.quantity, lang)}</span>
              <button type="button" className="remove-btn" tabIndex={-1} aria-label={t('register.remove')} onClick={() => removeSelected(i)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {items.length > 0 && (
        <div className="basket-total" data-testid="basket-total">
          <span>{t('register.itemsTotal')}</span>
          <span>{formatYen(itemsTotal(items), lang)}</span>
        </div>
      )}
      <label className="field amount-field">
        <span className="field-label">
          {t('register.amount')} <kbd>F6</kbd>
        </span>
        <input
          ref={amountRef}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          className={invalid || problem ? 'amount-input invalid' : 'amount-input'}
          data-testid="amount-input"
          value={amountText}
          aria-invalid={invalid || problem !== null}
          aria-describedby="amount-note"
          onChange={(e) => setAmountText(e.target.value)}
        />
        {invalid ? (
          <span className="amount-error" id="amount-note" data-testid="amount-error" role="alert">
            {t('register.amountInvalidHint')}
          </span>
        ) : problem ? (
          <span className="amount-error" id="amount-note" data-testid="amount-error" data-source="engine" role="alert">
            {inLanguage(problem, lang)}
          </span>
        ) : (
          <span className="field-hint" id="amount-note">
            {t('register.amountHint')}
          </span>
        )}
      </label>
    </section>
  );
}

function ManualEntry({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const t = useT();
  const [value, setValue] = useState('');
  const submit = (): void => {
    const raw = value.trim();
    if (!raw) return;
    setValue('');
    void submitScan(raw, 'manual');
  };
  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter' && !e.nativeEvent.defaultPrevented && !e.nativeEvent.isComposing) {
      e.preventDefault();
      // Nothing typed (the looked-up code was taken): Enter confirms, as everywhere else on the screen.
      if (value.trim() === '') void confirm();
      else submit();
    }
  };
  return (
    <section className="manual">
      <label className="field">
        <span className="field-label">
          {t('register.manual')} <kbd>F7</kbd>
        </span>
        <span className="manual-row">
          <input
            ref={inputRef}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            maxLength={100}
            className="manual-input"
            data-testid="manual-input"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            onKeyDown={onKeyDown}
          />
          <button type="button" className="btn" data-testid="manual-submit" onClick={submit}>
            {t('register.manualSubmit')}
          </button>
        </span>
        <span className="field-hint">{t('register.manualHint')}</span>
      </label>
    </section>
  );
}

function Recent() {
  const t = useT();
  const lang = useLang();
  const recent = useRegister((s) => s.recent);
  useEffect(() => {
    void refreshRecent();
  }, []);
  return (
    <section className="recent" aria-labelledby="recent-title">
      <h2 id="recent-title">{t('register.recent')}</h2>
      {recent.length === 0 ? (
        <p className="muted">{t('register.recentEmpty')}</p>
      ) : (
        <table className="recent-table" data-testid="recent-list">
          <tbody>
            {recent.map((r) => (
              <tr key={r.id} data-testid="recent-row" data-status={r.status ?? r.verdict}>
                <td className="nowrap">{formatTime(r.at)}</td>
                <td>{r.couponName ?? t(`kind.${r.kind}`)}</td>
                <td className="num">{r.discountYen !== null ? formatYen(r.discountYen, lang) : '—'}</td>
                <td className={`status-cell status-${r.status ?? r.verdict}`}>
                  {r.status ? t(`redemptionStatus.${r.status}`) : t(`verdict.${r.verdict}`)}
                  {r.reason && r.status !== 'redeemed' ? ` — ${reasonText(r.reason, lang)}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function RegisterScreen() {
  const t = useT();
  const rootRef = useRef<HTMLDivElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const manualRef = useRef<HTMLInputElement>(null);
  const state = useRegister();
  const app = useApp();
  const allowed = redemptionAllowed(app);
  const confirmEnabled = canConfirm(state, allowed);
  const { display, items, amountText, lastRedemption, voidArmed, busy } = state;

  // Keyboard: the whole screen works without a mouse.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
      const target = document.activeElement;
      const inManual = target === manualRef.current;
      const inAmount = target === amountRef.current;
      const inOtherField = isTextField(target) && !inManual && !inAmount;
      const onControl = target instanceof HTMLButtonElement || target instanceof HTMLSelectElement;
      switch (e.key) {
        case 'F12':
          e.preventDefault();
          void confirm();
          return;
        case 'Enter':
          if (inManual || inOtherField || onControl) return;
          e.preventDefault();
          void confirm();
          return;
        case 'Escape':
          e.preventDefault();
          cancel();
          rootRef.current?.focus({ preventScroll: true });
          return;
        case 'F6':
          e.preventDefault();
          amountRef.current?.focus();
          amountRef.current?.select();
          return;
        case 'F7':
          e.preventDefault();
          manualRef.current?.focus();
          return;
        case 'F10':
          e.preventDefault();
          void voidLast();
          return;
      }
      if (inManual || inOtherField) return;
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        e.preventDefault();
        selectItem(e.key === 'ArrowUp' ? -1 : 1);
      } else if (e.key === '+' || e.code === 'NumpadAdd') {
        e.preventDefault();
        changeSelectedQuantity(1);
      } else if (e.key === '-' || e.code === 'NumpadSubtract') {
        e.preventDefault();
        changeSelectedQuantity(-1);
      } else if (e.key === 'Delete' && !inAmount) {
        e.preventDefault();
        removeSelected();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Focus: ready for the scanner on arrival; the amount field after a ticket when nothing is in the
  // basket yet, or when the engine refused the basket; back to the screen after a redemption, and
  // after a manual lookup (so that Enter confirms). The screen takes the focus without scrolling:
  // it is taller than a 768-px window, and focusing it would scroll the header away.
  useEffect(() => {
    rootRef.current?.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    const manual = manualRef.current;
    const lookedUp = manual !== null && document.activeElement === manual && manual.value === '';
    if (display.kind === 'held' || (display.kind === 'outcome' && state.ticket && items.length === 0 && amountText === '')) {
      amountRef.current?.focus();
    } else if (display.kind === 'redeemed' || display.kind === 'voided' || display.kind === 'idle') {
      if (document.activeElement !== manual) rootRef.current?.focus({ preventScroll: true });
    } else if (lookedUp && state.ticket) {
      rootRef.current?.focus({ preventScroll: true }); // a ticket to confirm; a failed lookup keeps the field for retyping
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [display]);

  return (
    <div className="register" ref={rootRef} tabIndex={-1} data-testid="register-root">
      <div className="register-main">
        <ResultPanel />
        <div className="register-actions">
          <button
            type="button"
            className="btn btn-confirm"
            data-testid="confirm-button"
            disabled={!confirmEnabled}
            title={!allowed ? t('register.offlineBlocked') : undefined}
            onClick={() => void confirm()}
          >
            {t('register.confirm')} <kbd>Enter</kbd>
          </button>
          <button type="button" className="btn btn-cancel" data-testid="cancel-button" onClick={() => cancel()}>
            {t('register.cancel')} <kbd>Esc</kbd>
          </button>
          <button
            type="button"
            className={voidArmed ? 'btn btn-void armed' : 'btn btn-void'}
            data-testid="void-button"
            disabled={!lastRedemption?.redemptionId || busy !== null}
            onClick={() => void voidLast()}
          >
            {voidArmed ? t('register.voidConfirm') : t('register.void')} <kbd>F10</kbd>
          </button>
        </div>
        {!allowed && (app.status !== null || state.ticket !== null) && (
          <div className="blocked-note" data-testid="confirm-blocked">
            {t('register.offlineBlocked')}
          </div>
        )}
        <Recent />
      </div>
      <aside className="register-side">
        <Basket amountRef={amountRef} />
        <ManualEntry inputRef={manualRef} />
        <CatalogLine />
      </aside>
      <footer className="shortcuts" aria-label={t('shortcut.title')}>
        <span>{t('shortcut.confirm')}</span>
        <span>{t('shortcut.cancel')}</span>
        <span>{t('shortcut.qty')}</span>
        <span>{t('shortcut.amount')}</span>
        <span>{t('shortcut.manual')}</span>
        <span>{t('shortcut.void')}</span>
        <span>{t('shortcut.tabs')}</span>
        <span>{t('shortcut.lang')}</span>
      </footer>
    </div>
  );
}

function CatalogLine() {
  const t = useT();
  const catalog = useApp((s) => s.catalog);
  return (
    <p className="catalog-line muted" data-testid="catalog-line" title={catalog?.lastError ?? undefined}>
      {catalog?.refreshedAt
        ? t('register.catalog', { coupons: catalog.coupons, products: catalog.products })
        : t('register.catalogNever')}
      {catalog?.lastError ? ` — ${catalog.lastError}` : ''}
    </p>
  );
}
