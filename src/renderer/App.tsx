import { useEffect } from 'react';
import { DEFAULT_SETTINGS } from '../shared/contract/settings';
import { Banners } from './components/Banners';
import { Header, TabBar } from './components/Header';
import { useWedgeScanner } from './scan/useWedgeScanner';
import { LogScreen } from './screens/LogScreen';
import { RegisterScreen } from './screens/RegisterScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { SyncScreen } from './screens/SyncScreen';
import { SCREENS, setScreen, useApp } from './store/app';
import { submitScan } from './store/register';
import { setLanguage, useSettings } from './store/settings';

/** F1–F4 switch screens, F9 switches the language: on every screen. */
function useGlobalKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const m = /^F([1-4])$/.exec(e.key);
      if (m) {
        e.preventDefault();
        setScreen(SCREENS[Number(m[1]) - 1]);
        return;
      }
      if (e.key === 'F9') {
        e.preventDefault();
        void setLanguage(useApp.getState().language === 'ja' ? 'en' : 'ja');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  const screen = useApp((s) => s.screen);
  const lang = useApp((s) => s.language);
  const scanner = useSettings((s) => s.view?.settings.scanner ?? DEFAULT_SETTINGS.scanner);
  useGlobalKeys();
  useWedgeScanner((text) => void submitScan(text, 'wedge'), { wedge: scanner.wedge, layout: scanner.keyboardLayout });
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  return (
    <div className="app" data-screen={screen}>
      <Banners />
      <Header />
      <TabBar />
      <main className="screen" data-testid={`screen-${screen}`}>
        {screen === 'register' && <RegisterScreen />}
        {screen === 'settings' && <SettingsScreen />}
        {screen === 'sync' && <SyncScreen />}
        {screen === 'log' && <LogScreen />}
      </main>
    </div>
  );
}
