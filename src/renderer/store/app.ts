import { create } from 'zustand';
import type { EngineStatus, EventData } from '../../shared/contract';
import type { SocketState } from '../api/types';
import type { Lang } from '../i18n/translate';

export type Screen = 'register' | 'settings' | 'sync' | 'log';
export const SCREENS: readonly Screen[] = ['register', 'settings', 'sync', 'log'];

export type EngineConnection = EventData<'engine.connection'>;
export type CatalogStatus = EventData<'catalog'>;

export interface AppState {
  screen: Screen;
  status: EngineStatus | null;
  /** Browser mode's socket; always 'open' under Electron. */
  socket: SocketState;
  socketAttempt: number;
  /** The engine behind the host (from `engine.connection`, or inferred from `engine_unavailable` replies). */
  engine: EngineConnection;
  language: Lang;
  catalog: CatalogStatus | null;
  /** Bumped to ask the register screen to take the keyboard focus back. */
  focusTick: number;
}

export const initialAppState: AppState = {
  screen: 'register',
  status: null,
  socket: 'connecting',
  socketAttempt: 0,
  engine: { state: 'ready', attempt: 0 },
  language: 'ja',
  catalog: null,
  focusTick: 0,
};

export const useApp = create<AppState>()(() => ({ ...initialAppState }));

/** What the reconnecting banner shows, or null when everything is connected. */
export function reconnectingInfo(s: Pick<AppState, 'socket' | 'socketAttempt' | 'engine'>): { attempt: number } | null {
  if (s.socket === 'reconnecting') return { attempt: s.socketAttempt };
  if (s.engine.state === 'fatal') return null; // not coming back by itself: its own banner says why
  if (s.engine.state !== 'ready') return { attempt: s.engine.attempt };
  return null;
}

/** Redemption is allowed only when the engine is reachable and says giftee is online. */
export function redemptionAllowed(s: Pick<AppState, 'status' | 'socket' | 'engine'>): boolean {
  return s.status !== null && s.status.redemptionOnline && s.socket === 'open' && s.engine.state === 'ready' && s.status.intakeStopped === null;
}

export function setScreen(screen: Screen): void {
  useApp.setState({ screen });
}
