import type { ConnState } from '../../shared/contract';
import { useT, type MessageKey } from '../i18n';
import { SCREENS, setScreen, useApp, type Screen } from '../store/app';
import { setLanguage, useSettings } from '../store/settings';

const TAB_KEYS: Record<Screen, MessageKey> = {
  register: 'tab.register',
  settings: 'tab.settings',
  sync: 'tab.sync',
  log: 'tab.log',
};

function connKey(state: ConnState | undefined): MessageKey {
  return state === 'online' ? 'status.online' : state === 'offline' ? 'status.offline' : 'status.unknown';
}

export function LanguageToggle() {
  const t = useT();
  const lang = useApp((s) => s.language);
  return (
    <button
      type="button"
      className="lang-toggle"
      data-testid="language-toggle"
      lang={lang === 'ja' ? 'en' : 'ja'}
      title={t('lang.toggleHint')}
      onClick={() => void setLanguage(lang === 'ja' ? 'en' : 'ja')}
    >
      {t('lang.toggle')}
    </button>
  );
}

export function Header() {
  const t = useT();
  const status = useApp((s) => s.status);
  const scannerState = status?.scanner.state ?? 'none';
  return (
    <header className="app-header">
      <h1 className="app-title">{t('app.title')}</h1>
      <ul className="status-pills" aria-label="status">
        <li className={`pill pill-${status?.connectivity.giftee ?? 'unknown'}`} data-testid="pill-giftee">
          {t('status.giftee')}: {t(connKey(status?.connectivity.giftee))}
        </li>
        <li className={`pill pill-${status?.connectivity.smaregi ?? 'unknown'}`} data-testid="pill-smaregi">
          {t('status.smaregi')}: {t(connKey(status?.connectivity.smaregi))}
        </li>
        <li className={`pill pill-scanner-${scannerState}`} data-testid="pill-scanner" title={status?.scanner.message ?? undefined}>
          {t('status.scanner')}: {t(`status.scanner.${scannerState}`)}
        </li>
        {status && status.sync.pending > 0 && (
          <li className="pill pill-pending" data-testid="pill-pending">
            {t('status.pending', { n: status.sync.pending })}
          </li>
        )}
        {status && status.sync.failed > 0 && (
          <li className="pill pill-failed" data-testid="pill-failed">
            {t('status.failed', { n: status.sync.failed })}
          </li>
        )}
        {status?.sync.paused && <li className="pill pill-paused">{t('status.syncPaused')}</li>}
      </ul>
      <LanguageToggle />
    </header>
  );
}

export function TabBar() {
  const t = useT();
  const screen = useApp((s) => s.screen);
  const unsaved = useSettings((s) => Object.keys(s.drafts).length > 0);
  return (
    <nav className="tabbar" role="tablist" aria-label="screens">
      {SCREENS.map((s, i) => (
        <button
          key={s}
          type="button"
          role="tab"
          aria-selected={screen === s}
          className={screen === s ? 'tab tab-active' : 'tab'}
          data-testid={`tab-${s}`}
          onClick={() => setScreen(s)}
        >
          {t(TAB_KEYS[s])}
          {s === 'settings' && unsaved && (
            <span className="tab-unsaved" data-testid="tab-settings-unsaved" title={t('settings.unsaved')} aria-label={t('settings.unsaved')}>
              ●
            </span>
          )}{' '}
          <kbd>F{i + 1}</kbd>
        </button>
      ))}
    </nav>
  );
}
