import type { EventEnvelope, ReplyEnvelope, RequestEnvelope } from '../../shared/contract';

/** The raw envelope channel: what the Electron preload exposes, and what the WebSocket client implements. */
export interface RawTransport {
  invoke(request: RequestEnvelope): Promise<ReplyEnvelope>;
  subscribe(listener: (event: EventEnvelope) => void): () => void;
}

/** State of the browser-mode socket itself (the engine behind it reports its own state separately). */
export type SocketState = 'connecting' | 'open' | 'reconnecting';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge). Absent in browser mode. */
    registerCompanion?: RawTransport;
  }
}
