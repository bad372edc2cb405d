import type { Connection } from '../api';
import { ApiError, api as currentApi, errorMessage, setApi } from '../api';
import { useApp } from './app';
import { refreshRecent, submitScan } from './register';
import { applySettingsView, loadSettings } from './settings';
import { onProgressEvent, loadProgress } from './sync';

let recentTimer: ReturnType<typeof setTimeout> | null = null;
function refreshRecentSoon(): void {
  if (recentTimer) return;
  recentTimer = setTimeout(() => {
    recentTimer = null;
    void refreshRecent();
  }, 200);
}

/** Everything the screens show at start and after a reconnect. */
export async function refetchAll(): Promise<void> {
  const a = currentApi();
  await Promise.all([
    a.call('status.get', {}).then((status) => useApp.setState({ status })).catch((e) => console.warn('status.get:', errorMessage(e))),
    loadSettings(),
    a.call('catalog.status', {}).then((catalog) => useApp.setState({ catalog })).catch(() => undefined),
    refreshRecent(),
    loadProgress(),
  ]);
}

/**
 * Wire the connection to the stores: events feed them, socket and engine state drive the
 * reconnecting banner, and coming back (socket open again, or engine `ready`) re-fetches everything.
 */
export function wire(conn: Connection): void {
  setApi(conn.api);
  const { api } = conn;

  if (conn.mode === 'electron') useApp.setState({ socket: 'open', socketAttempt: 0 });
  conn.onSocketState((socket, socketAttempt) => {
    const before = useApp.getState().socket;
    useApp.setState({ socket, socketAttempt });
    if (socket === 'open' && before !== 'open') void refetchAll();
  });

  api.on('status', (status) => useApp.setState({ status }));
  api.on('settings', (view) => applySettingsView(view));
  api.on('catalog', (catalog) => useApp.setState({ catalog }));
  api.on('scan.received', ({ raw, source }) => void submitScan(raw, source));
  api.on('redemption.logged', () => refreshRecentSoon());
  api.on('sync.progress', (p) => onProgressEvent(p, useApp.getState().screen === 'sync'));
  api.on('engine.connection', (engine) => {
    const before = useApp.getState().engine.state;
    useApp.setState({ engine });
    if (engine.state === 'ready' && before !== 'ready') void refetchAll();
  });
}

/** Infer the engine's state from call results, for hosts that answer for a restarting engine. */
export function observeCall(_method: string, error: ApiError | null): void {
  const s = useApp.getState();
  if (error?.code === 'engine_unavailable' && s.socket === 'open' && s.engine.state === 'ready') {
    useApp.setState({ engine: { state: 'reconnecting', attempt: s.engine.attempt } });
  } else if (error === null && s.engine.state !== 'ready') {
    useApp.setState({ engine: { state: 'ready', attempt: 0 } });
    void refetchAll();
  }
}
