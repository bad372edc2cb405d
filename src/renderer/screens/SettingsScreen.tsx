import { useEffect, useId, useState, type ReactNode } from 'react';
import type { SecretKey, Settings, SystemId } from '../../shared/contract';
import { api, errorMessage } from '../api';
import type { FieldIssue } from '../api/client';
import { formatDateTime, formatHex, inLanguage, parseHex } from '../format';
import { useLang, useT, type MessageKey } from '../i18n';
import { issueFor, issueSummary } from '../settingsIssues';
import { useApp } from '../store/app';
import {
  clearSecret,
  dropDraft,
  editDraft,
  loadDevices,
  loadSettings,
  saveSecret,
  saveSection,
  setLocalIssues,
  testConnection,
  useSettings,
  type Section,
} from '../store/settings';

// ---------- small building blocks ----------

const NO_ISSUES: FieldIssue[] = [];

/** The section's last save problems, and the translated message for one field. */
function useIssues(section: Section): (path: string) => string | null {
  const lang = useLang();
  const issues = useSettings((s) => s.saves[section]?.issues) ?? NO_ISSUES;
  return (path) => issueFor(section, issues, path, lang);
}

function Field(props: { label: string; error?: string | null; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className={props.error ? 'form-row has-error' : 'form-row'}>
      <label htmlFor={id}>{props.label}</label>
      <div className="form-control">
        {props.children(id)}
        {props.hint && <div className="field-hint">{props.hint}</div>}
        {props.error && (
          <div className="field-error" role="alert">
            {props.error}
          </div>
        )}
      </div>
    </div>
  );
}

function TextInput(props: {
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string | null;
  testid: string;
  type?: string;
  placeholder?: string;
  hint?: string;
}) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {(id) => (
        <input
          id={id}
          type={props.type ?? 'text'}
          autoComplete="off"
          spellCheck={false}
          data-testid={props.testid}
          value={props.value}
          placeholder={props.placeholder}
          aria-invalid={!!props.error}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

function SelectInput<V extends string>(props: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange(v: V): void;
  testid: string;
  error?: string | null;
}) {
  return (
    <Field label={props.label} error={props.error}>
      {(id) => (
        <select id={id} data-testid={props.testid} value={props.value} onChange={(e) => props.onChange(e.target.value as V)}>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A section's form: the engine's current values with the unsaved edits over them (kept in the
 * settings store, so they survive leaving the screen).
 */
function useDraft<T>(section: Section, server: T | undefined, toDraft: (v: T) => Record<string, unknown>) {
  const edited = useSettings((s) => s.drafts[section]);
  const draft = server === undefined ? null : { ...toDraft(server), ...edited };
  return {
    draft,
    set(key: string, value: unknown) {
      editDraft(section, key, value);
    },
    saved() {
      dropDraft(section);
    },
    dirty: edited !== undefined,
  };
}

function TestButton({ system }: { system: SystemId }) {
  const t = useT();
  const result = useSettings((s) => s.tests[system]);
  const pending = !!result && 'pending' in result;
  return (
    <div className="test-connection">
      <button type="button" className="btn" data-testid={`test-${system}`} disabled={pending} onClick={() => void testConnection(system)}>
        {pending ? t('settings.testing') : t('settings.test')}
      </button>
      {result && !pending && (
        <span
          className={'ok' in result && result.ok ? 'test-result ok' : 'test-result ng'}
          data-testid={`test-result-${system}`}
          data-ok={'ok' in result ? String(result.ok) : 'false'}
          role="status"
        >
          {'error' in result
            ? t('settings.testNg', { message: result.error })
            : result.ok
              ? t('settings.testOk', { latency: result.latencyMs !== null ? t('common.ms', { n: Math.round(result.latencyMs) }) : '—' }) +
                (result.message ? ` — ${result.message}` : '')
              : t('settings.testNg', { message: result.message })}
        </span>
      )}
    </div>
  );
}

function SaveBar({ section, onSave, localError }: { section: Section; onSave(): void; localError?: string | null }) {
  const t = useT();
  const lang = useLang();
  const result = useSettings((s) => s.saves[section]);
  const dirty = useSettings((s) => s.drafts[section] !== undefined);
  return (
    <div className="save-bar">
      <button type="button" className="btn btn-primary" data-testid={`save-${section}`} onClick={onSave}>
        {t('settings.save')}
      </button>
      {localError ? (
        <span className="save-result ng" data-testid={`save-result-${section}`} role="alert">
          {localError}
        </span>
      ) : (
        result && (
          <span className={result.ok ? 'save-result ok' : 'save-result ng'} data-testid={`save-result-${section}`} role={result.ok ? 'status' : 'alert'}>
            {result.ok
              ? t('settings.saved')
              : `${t('settings.invalid')}: ${result.issues.length > 0 ? issueSummary(section, result.issues, lang) : inLanguage(result.message ?? '', lang)}`}
          </span>
        )
      )}
      {dirty && (
        <span className="unsaved muted" data-testid={`unsaved-${section}`}>
          {t('settings.unsaved')}
        </span>
      )}
    </div>
  );
}

function SecretField({ secretKey, label }: { secretKey: SecretKey; label: string }) {
  const t = useT();
  const view = useSettings((s) => s.view);
  const result = useSettings((s) => s.secretResults[secretKey]);
  const [value, setValue] = useState('');
  const secret = view?.secrets[secretKey];
  const store = view?.secretStore;
  const available = store?.available ?? false;
  const id = useId();
  const slug = secretKey.replace('.', '-');
  const save = async (): Promise<void> => {
    if (!value) return;
    const typed = value;
    setValue(''); // never keep (or show) the typed value once it is sent
    if (!(await saveSecret(secretKey, typed))) setValue(typed); // not stored: nothing lost, try again
  };
  return (
    <div className="form-row secret-row">
      <label htmlFor={id}>{label}</label>
      <div className="form-control">
        <div className="secret-current">
          <span className={secret?.set ? 'secret-state set' : 'secret-state'} data-testid={`secret-masked-${slug}`}>
            {secret?.set ? `${t('settings.secret.set')}: ${secret.masked}` : t('settings.secret.notSet')}
          </span>
          {secret?.set && (
            <button type="button" className="btn btn-small" data-testid={`secret-clear-${slug}`} disabled={!available} onClick={() => void clearSecret(secretKey)}>
              {t('settings.secret.clear')}
            </button>
          )}
        </div>
        <div className="secret-edit">
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            data-testid={`secret-input-${slug}`}
            value={value}
            disabled={!available}
            placeholder={t('settings.secret.placeholder')}
            onChange={(e) => setValue(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.nativeEvent.defaultPrevented) {
                e.preventDefault();
                void save();
              }
            }}
          />
          <button type="button" className="btn" data-testid={`secret-save-${slug}`} disabled={!available || value === ''} onClick={() => void save()}>
            {t('settings.secret.save')}
          </button>
        </div>
        {!available && store && (
          <div className="field-error" data-testid="secret-store-unavailable" role="alert">
            {t('settings.secret.unavailable', { message: store.message ?? '' })}
          </div>
        )}
        {result && (
          <div className={result.ok ? 'field-ok' : 'field-error'} data-testid={`secret-result-${slug}`} role={result.ok ? 'status' : 'alert'}>
            {result.ok ? t(result.action === 'cleared' ? 'settings.secret.cleared' : 'settings.secret.saved') : result.message}
          </div>
        )}
      </div>
    </div>
  );
}

function SectionBox({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="settings-section" data-testid={`settings-${id}`} aria-labelledby={`settings-${id}-title`}>
      <h2 id={`settings-${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function CredentialSource({ value, onChange, testid }: { value: string; onChange(v: 'keychain' | 'simulator'): void; testid: string }) {
  const t = useT();
  return (
    <SelectInput
      label={t('settings.credentialSource')}
      testid={testid}
      value={value as 'keychain' | 'simulator'}
      onChange={onChange}
      options={[
        { value: 'keychain', label: t('settings.credentialSource.keychain') },
        { value: 'simulator', label: t('settings.credentialSource.simulator') },
      ]}
    />
  );
}

// ---------- sections ----------

type SmaregiS = Settings['smaregi'];

function SmaregiSection() {
  const t = useT();
  const server = useSettings((s) => s.view?.settings.smaregi);
  const issue = useIssues('smaregi');
  const d = useDraft<SmaregiS>('smaregi', server, (v) => ({ ...v }));
  const catalog = useApp((s) => s.catalog);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  if (!d.draft) return null;
  const text = (key: keyof SmaregiS, label: MessageKey, placeholder?: string) => (
    <TextInput
      label={t(label)}
      testid={`smaregi-${key}`}
      value={String(d.draft![key] ?? '')}
      placeholder={placeholder}
      error={issue(key)}
      onChange={(v) => d.set(key, v)}
    />
  );
  const save = async (): Promise<void> => {
    if (await saveSection('smaregi', d.draft as Partial<SmaregiS>)) d.saved();
  };
  return (
    <SectionBox id="smaregi" title={t('settings.smaregi')}>
      {text('contractId', 'settings.smaregi.contractId')}
      {text('clientId', 'settings.smaregi.clientId')}
      {text('idBaseUrl', 'settings.smaregi.idBaseUrl', 'https://id.smaregi.jp')}
      {text('apiBaseUrl', 'settings.smaregi.apiBaseUrl', 'https://api.smaregi.jp')}
      {text('storeId', 'settings.smaregi.storeId')}
      {text('terminalId', 'settings.smaregi.terminalId')}
      <CredentialSource testid="smaregi-credentialSource" value={String(d.draft.credentialSource)} onChange={(v) => d.set('credentialSource', v)} />
      <SecretField secretKey="smaregi.clientSecret" label={t('settings.smaregi.clientSecret')} />
      <SaveBar section="smaregi" onSave={() => void save()} />
      <div className="section-tools">
        <TestButton system="smaregi" />
        <div className="catalog-tools">
          <span className="muted" data-testid="catalog-status">
            {t('settings.smaregi.catalog')}:{' '}
            {catalog
              ? t('settings.smaregi.catalogStatus', { coupons: catalog.coupons, products: catalog.products, at: formatDateTime(catalog.refreshedAt) })
              : '—'}
            {catalog?.lastError ? ` — ${catalog.lastError}` : ''}
          </span>
          <button
            type="button"
            className="btn"
            data-testid="catalog-refresh"
            disabled={catalog?.refreshing}
            onClick={() =>
              void api()
                .call('catalog.refresh', {})
                .then((c) => {
                  useApp.setState({ catalog: c });
                  setCatalogError(null);
                })
                .catch((e) => setCatalogError(errorMessage(e)))
            }
          >
            {t('settings.smaregi.catalogRefresh')}
          </button>
          {catalogError && <span className="field-error">{catalogError}</span>}
        </div>
      </div>
    </SectionBox>
  );
}

function GifteeSection() {
  const t = useT();
  const server = useSettings((s) => s.view?.settings.giftee);
  const issue = useIssues('giftee');
  const d = useDraft('giftee', server, (v) => ({ ...v }));
  if (!d.draft) return null;
  const save = async (): Promise<void> => {
    if (await saveSection('giftee', d.draft as Partial<Settings['giftee']>)) d.saved();
  };
  return (
    <SectionBox id="giftee" title={t('settings.giftee')}>
      <TextInput
        label={t('settings.giftee.baseUrl')}
        testid="giftee-baseUrl"
        value={String(d.draft.baseUrl ?? '')}
        error={issue('baseUrl')}
        onChange={(v) => d.set('baseUrl', v)}
      />
      <CredentialSource testid="giftee-credentialSource" value={String(d.draft.credentialSource)} onChange={(v) => d.set('credentialSource', v)} />
      <SecretField secretKey="giftee.accessToken" label={t('settings.giftee.accessToken')} />
      <SaveBar section="giftee" onSave={() => void save()} />
      <div className="section-tools">
        <TestButton system="giftee" />
      </div>
    </SectionBox>
  );
}

type ScannerS = Settings['scanner'];

function scannerDraft(v: ScannerS): Record<string, unknown> {
  return {
    vendorId: formatHex(v.vendorId),
    productId: formatHex(v.productId),
    usagePage: formatHex(v.usagePage),
    autoDetect: v.autoDetect,
    keyboardLayout: v.keyboardLayout,
    maxGapMs: String(v.wedge.maxGapMs),
    minLength: String(v.wedge.minLength),
    terminators: v.wedge.terminators,
    couponCodePrefix: v.couponCodePrefix,
    doubleScanWindowMs: String(v.doubleScanWindowMs),
  };
}

function ScannerSection() {
  const t = useT();
  const server = useSettings((s) => s.view?.settings.scanner);
  const issue = useIssues('scanner');
  const devices = useSettings((s) => s.devices);
  const devicesError = useSettings((s) => s.devicesError);
  const scanner = useApp((s) => s.status?.scanner);
  const d = useDraft('scanner', server, scannerDraft);
  useEffect(() => {
    void loadDevices();
  }, []);
  if (!d.draft) return null;
  const draft = d.draft;

  // Form fields → the contract's paths (the wedge's fields are nested).
  const PATH: Record<string, string> = { maxGapMs: 'wedge.maxGapMs', minLength: 'wedge.minLength' };
  const pathOf = (k: string): string => PATH[k] ?? k;

  const save = async (): Promise<void> => {
    const local: FieldIssue[] = [];
    const hex = (k: string): number | null => {
      const v = parseHex(String(draft[k] ?? ''));
      if (v === 'invalid') {
        local.push({ path: k, message: 'hex' });
        return null;
      }
      return v;
    };
    const int = (k: string): number => {
      const s = String(draft[k] ?? '').trim();
      if (!/^[0-9]+$/.test(s)) local.push({ path: pathOf(k), message: 'integer' });
      return Number(s);
    };
    const patch = {
      vendorId: hex('vendorId'),
      productId: hex('productId'),
      usagePage: hex('usagePage'),
      autoDetect: Boolean(draft.autoDetect),
      keyboardLayout: draft.keyboardLayout as 'us' | 'jis',
      wedge: { maxGapMs: int('maxGapMs'), minLength: int('minLength'), terminators: draft.terminators as ('Enter' | 'Tab')[] },
      couponCodePrefix: String(draft.couponCodePrefix ?? ''),
      doubleScanWindowMs: int('doubleScanWindowMs'),
    };
    if (local.length > 0) {
      setLocalIssues('scanner', local);
      return;
    }
    if (await saveSection('scanner', patch)) d.saved();
  };

  const text = (key: string, label: MessageKey, hint?: string) => (
    <TextInput label={t(label)} testid={`scanner-${key}`} value={String(draft[key] ?? '')} error={issue(pathOf(key))} hint={hint} onChange={(v) => d.set(key, v)} />
  );

  return (
    <SectionBox id="scanner" title={t('settings.scanner')}>
      <div className="device-status" data-testid="scanner-status">
        {t('settings.scanner.status')}: <strong>{t(`status.scanner.${scanner?.state ?? 'none'}`)}</strong>
        {scanner?.device ? ` — ${scanner.device}` : ''}
        {scanner?.message ? ` (${scanner.message})` : ''}
      </div>
      <h3>{t('settings.scanner.devices')}</h3>
      {devicesError && <div className="field-error">{devicesError}</div>}
      {devices && devices.length === 0 && <p className="muted">{t('settings.scanner.noDevices')}</p>}
      {devices && devices.length > 0 && (
        <table className="data-table" data-testid="scanner-devices">
          <thead>
            <tr>
              <th>{t('settings.scanner.mode')}</th>
              <th>VID:PID</th>
              <th>Usage page</th>
              <th />
              <th />
            </tr>
          </thead>
          <tbody>
            {devices.map((dev) => (
              <tr key={dev.path}>
                <td>{dev.mode}</td>
                <td className="mono">
                  {formatHex(dev.vendorId)}:{formatHex(dev.productId)}
                </td>
                <td className="mono">{formatHex(dev.usagePage)}</td>
                <td>
                  {[dev.manufacturer, dev.product].filter(Boolean).join(' ')}
                  {dev.likelyScanner && <span className="tag">{t('settings.scanner.likely')}</span>}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      d.set('vendorId', formatHex(dev.vendorId));
                      d.set('productId', formatHex(dev.productId));
                      d.set('usagePage', formatHex(dev.usagePage));
                    }}
                  >
                    {t('settings.scanner.use')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {text('vendorId', 'settings.scanner.vendorId')}
      {text('productId', 'settings.scanner.productId')}
      {text('usagePage', 'settings.scanner.usagePage')}
      <div className="form-row">
        <span />
        <label className="checkbox">
          <input type="checkbox" data-testid="scanner-autoDetect" checked={Boolean(draft.autoDetect)} onChange={(e) => d.set('autoDetect', e.target.checked)} />
          {t('settings.scanner.autoDetect')}
        </label>
      </div>
      <SelectInput
        label={t('settings.scanner.layout')}
        testid="scanner-keyboardLayout"
        value={draft.keyboardLayout as 'us' | 'jis'}
        onChange={(v) => d.set('keyboardLayout', v)}
        options={[
          { value: 'jis', label: t('settings.scanner.layout.jis') },
          { value: 'us', label: t('settings.scanner.layout.us') },
        ]}
      />
      {text('maxGapMs', 'settings.scanner.maxGap')}
      {text('minLength', 'settings.scanner.minLength')}
      {text('couponCodePrefix', 'settings.scanner.prefix')}
      {text('doubleScanWindowMs', 'settings.scanner.doubleScan')}
      <SaveBar section="scanner" onSave={() => void save()} />
      <div className="section-tools">
        <button type="button" className="btn" data-testid="scanner-rescan" onClick={() => void loadDevices()}>
          {t('settings.scanner.rescan')}
        </button>
      </div>
    </SectionBox>
  );
}

function RegisterSection() {
  const t = useT();
  const server = useSettings((s) => s.view?.settings.register);
  const issue = useIssues('register');
  const d = useDraft('register', server, (v) => ({ ...v }));
  if (!d.draft) return null;
  const save = async (): Promise<void> => {
    if (await saveSection('register', d.draft as Partial<Settings['register']>)) d.saved();
  };
  return (
    <SectionBox id="register" title={t('settings.register')}>
      <SelectInput
        label={t('settings.register.rounding')}
        testid="register-rounding"
        value={d.draft.rounding as 'floor' | 'round' | 'ceil'}
        onChange={(v) => d.set('rounding', v)}
        options={[
          { value: 'floor', label: t('settings.register.rounding.floor') },
          { value: 'round', label: t('settings.register.rounding.round') },
          { value: 'ceil', label: t('settings.register.rounding.ceil') },
        ]}
      />
      <SelectInput
        label={t('settings.register.language')}
        testid="register-language"
        value={d.draft.language as 'ja' | 'en'}
        onChange={(v) => d.set('language', v)}
        options={[
          { value: 'ja', label: '日本語' },
          { value: 'en', label: 'English' },
        ]}
      />
      <TextInput
        label={t('settings.register.giftSaleProductCode')}
        testid="register-giftSaleProductCode"
        value={String(d.draft.giftSaleProductCode ?? '')}
        hint={t('settings.register.giftSaleProductCodeHint')}
        error={issue('giftSaleProductCode')}
        onChange={(v) => d.set('giftSaleProductCode', v)}
      />
      <SaveBar section="register" onSave={() => void save()} />
    </SectionBox>
  );
}

const CHANNELS: readonly SystemId[] = ['nextengine', 'makeshop', 'linegift', 'ebisumart'];

/**
 * The other channels. The engine reports connectivity for each channel it has; one it does not
 * report is not in this version: said plainly, with nothing to test and nothing "checking".
 */
function ChannelsSection() {
  const t = useT();
  const connectivity = useApp((s) => s.status?.connectivity);
  const available = CHANNELS.filter((c) => connectivity?.[c] !== undefined);
  return (
    <SectionBox id="channels" title={t('settings.channels')}>
      {available.length < CHANNELS.length && <p className="muted">{t('settings.channels.hint')}</p>}
      {CHANNELS.map((c) =>
        connectivity?.[c] === undefined ? (
          <div className="channel-row" key={c} data-testid={`channel-${c}`} data-available="false">
            <span className="channel-name">{t(`system.${c}`)}</span>
            <span className="muted">{t('settings.channels.unavailable')}</span>
          </div>
        ) : (
          <div className="channel-row" key={c} data-testid={`channel-${c}`} data-available="true">
            <span className="channel-name">
              {t(`system.${c}`)}
              <span className={`pill pill-${connectivity[c]}`}>
                {t(connectivity[c] === 'online' ? 'status.online' : connectivity[c] === 'offline' ? 'status.offline' : 'status.unknown')}
              </span>
            </span>
            <TestButton system={c} />
          </div>
        ),
      )}
    </SectionBox>
  );
}

export function SettingsScreen() {
  const t = useT();
  const view = useSettings((s) => s.view);
  const loadError = useSettings((s) => s.loadError);
  const demo = useApp((s) => s.status?.demo ?? false);
  useEffect(() => {
    void loadSettings();
  }, []);
  if (!view) {
    return (
      <div className="settings">
        <p className="muted">{loadError ? t('common.error', { message: loadError }) : t('settings.loading')}</p>
      </div>
    );
  }
  return (
    <div className="settings">
      {demo && (
        <p className="settings-demo-note" data-testid="settings-demo-note">
          {t('settings.demoNote')}
        </p>
      )}
      <SmaregiSection />
      <GifteeSection />
      <ScannerSection />
      <RegisterSection />
      <ChannelsSection />
    </div>
  );
}
