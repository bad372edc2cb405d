import type { RendererApi } from '../../shared/contract';
import { createApi, type ApiObserver } from './client';
import type { RawTransport, SocketState } from './types';
import { createWsTransport, socketUrlFor } from './ws';

export { ApiError, errorMessage, fieldIssues } from './client';
export type { SocketState } from './types';

export interface Connection {
  api: RendererApi;
  mode: 'electron' | 'browser';
  /** Browser mode only: the socket's own state. Electron's IPC channel is always up. */
  onSocketState(listener: (state: SocketState, attempt: number) => void): () => void;
}

/** Electron when the preload exposed its bridge, otherwise browser mode over the host's WebSocket. */
export function connect(observer: ApiObserver = {}): Connection {
  const bridge: RawTransport | undefined = window.registerCompanion;
  if (bridge && typeof bridge.invoke === 'function' && typeof bridge.subscribe === 'function') {
    return { api: createApi(bridge, observer), mode: 'electron', onSocketState: () => () => {} };
  }
  const ws = createWsTransport({ url: socketUrlFor(window.location) });
  return {
    api: createApi(ws, observer),
    mode: 'browser',
    onSocketState(listener) {
      listener(ws.state, ws.attempt);
      return ws.onState(listener);
    },
  };
}

let current: RendererApi | null = null;

export function setApi(api: RendererApi): void {
  current = api;
}

/** The app's one API, set at start-up by main.tsx. */
export function api(): RendererApi {
  if (!current) throw new Error('API not initialised');
  return current;
}
