/**
 * What the tray shows, as pure functions of the engine's status and the supervisor's connection
 * state. No electron import: unit-tested under plain Node (test/main/tray-state.test.ts).
 */
import {
  EngineStatusSchema,
  SyncProgressSchema,
  type EngineStatus,
  type EventEnvelope,
  type MethodName,
} from '../shared/contract';
import type { ConnectionState } from '../host/supervisor';

export type TrayStateName = 'online' | 'offline' | 'syncing' | 'attention';

export interface TrayView {
  state: TrayStateName;
  /** e.g. 「オンライン・送信待ち 3件」 */
  summary: string;
  /** The summary after the app's name: 「Register Companion — オンライン・送信待ち 3件」 */
  tooltip: string;
  /** Items waiting to be delivered (pending + in flight); 0 when unknown. */
  pendingCount: number;
  failedCount: number;
  paused: boolean;
  /** The engine answers calls: the sync menu items are usable. */
  connected: boolean;
}

export const APP_TITLE = 'Register Companion';

export const STATE_LABELS: Record<TrayStateName, string> = {
  online: 'オンライン',
  offline: 'オフライン',
  syncing: '同期中',
  attention: '要確認',
};

const SYSTEM_LABELS: Record<string, string> = {
  smaregi: 'スマレジ',
  giftee: 'giftee',
  nextengine: 'ネクストエンジン',
  makeshop: 'MakeShop',
  linegift: 'LINEギフト',
  ebisumart: 'ebisumart',
};

const CONNECTION_REASONS: Partial<Record<ConnectionState, string>> = {
  connecting: '起動中',
  reconnecting: '再接続中',
  stopped: '停止中',
};

/**
 * Precedence, highest first: needs attention (something failed, intake stopped, the engine cannot
 * start) > offline (an external system is offline, or the engine is unreachable) > syncing
 * (the outbox is draining) > online. While the engine restarts, the last known status is kept: its
 * failed and pending items are in SQLite and still there.
 */
export function trayState(status: EngineStatus | null, connection: ConnectionState): TrayView {
  const pendingCount = status?.sync.pending ?? 0;
  const failedCount = status?.sync.failed ?? 0;
  const paused = status?.sync.paused ?? false;
  const connected = connection === 'ready' && status !== null;

  let state: TrayStateName;
  let reason = '';
  if (connection === 'fatal') {
    state = 'attention';
    reason = 'エンジンを起動できません';
  } else if (status?.intakeStopped) {
    state = 'attention';
    reason = 'データを保存できません';
  } else if (failedCount > 0) {
    state = 'attention';
    reason = `送信失敗 ${failedCount}件`;
  } else if (!connected) {
    state = 'offline';
    reason = CONNECTION_REASONS[connection] ?? '';
  } else {
    const offline = Object.entries(status.connectivity)
      .filter(([, s]) => s === 'offline')
      .map(([id]) => SYSTEM_LABELS[id] ?? id);
    if (offline.length > 0) {
      state = 'offline';
      reason = offline.join('・');
    } else {
      state = status.sync.draining ? 'syncing' : 'online';
    }
  }

  const parts = [`${STATE_LABELS[state]}${reason ? `（${reason}）` : ''}`];
  if (paused) parts.push('同期一時停止中');
  // Without any status yet the count is unknown: say nothing rather than a reassuring 0.
  if (status) parts.push(`送信待ち ${pendingCount}件`);
  const summary = parts.join('・');
  return { state, summary, tooltip: `${APP_TITLE} — ${summary}`, pendingCount, failedCount, paused, connected };
}

/**
 * Folds an engine event into the last known status: `status` replaces it, `sync.progress` updates
 * its sync part (counted as status.get counts: pending = pending + in flight). Invalid data is ignored.
 */
export function applyEngineEvent(status: EngineStatus | null, event: EventEnvelope): EngineStatus | null {
  if (event.event === 'status') {
    const parsed = EngineStatusSchema.safeParse(event.data);
    return parsed.success ? parsed.data : status;
  }
  if (event.event === 'sync.progress' && status) {
    const parsed = SyncProgressSchema.safeParse(event.data);
    if (!parsed.success) return status;
    const p = parsed.data;
    return {
      ...status,
      sync: {
        paused: p.paused,
        draining: p.draining,
        pending: p.perTarget.reduce((n, t) => n + t.pending + t.inFlight, 0),
        failed: p.perTarget.reduce((n, t) => n + t.failed, 0),
      },
    };
  }
  return status;
}

export type TrayAction = 'open' | 'sync-now' | 'pause' | 'resume' | 'quit';

export type TrayMenuItem = { type: 'separator' } | { type: 'item'; label: string; enabled: boolean; action: TrayAction | null };

/** The contract method each sync action calls. */
export const TRAY_ACTION_METHODS: Partial<Record<TrayAction, MethodName>> = {
  'sync-now': 'sync.now',
  pause: 'sync.pause',
  resume: 'sync.resume',
};

/** Context menu: a status line (disabled; tooltips are easy to miss on macOS), then the actions. */
export function trayMenu(view: TrayView): TrayMenuItem[] {
  return [
    { type: 'item', label: view.summary, enabled: false, action: null },
    { type: 'separator' },
    { type: 'item', label: '開く', enabled: true, action: 'open' },
    { type: 'item', label: '今すぐ同期', enabled: view.connected && !view.paused, action: 'sync-now' },
    view.paused
      ? { type: 'item', label: '同期を再開', enabled: view.connected, action: 'resume' }
      : { type: 'item', label: '同期を一時停止', enabled: view.connected, action: 'pause' },
    { type: 'separator' },
    { type: 'item', label: '終了', enabled: true, action: 'quit' },
  ];
}

/**
 * Which file under resources/ to show. macOS menu bar: template images (the system colours them
 * for light/dark and highlight) — except "needs attention", which stays coloured to catch the eye.
 * Elsewhere: the variant for the bar's theme. `@2x` files are picked up by nativeImage itself.
 */
export function trayIconFile(state: TrayStateName, opts: { platform: NodeJS.Platform; dark: boolean }): { file: string; template: boolean } {
  if (opts.platform === 'darwin' && state !== 'attention') return { file: `tray/${state}Template.png`, template: true };
  return { file: `tray/${state}-${opts.dark ? 'dark' : 'light'}.png`, template: false };
}
