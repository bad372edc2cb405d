/**
 * The renderer's only door to the app: `window.registerCompanion` with exactly two functions.
 * No ipcRenderer, no Node: the page can send contract requests and listen to engine events, and
 * nothing else. Requests are checked against the contract here before they cross into the shell
 * (which checks them again: the page is not trusted).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { EventEnvelopeSchema, type EventEnvelope, type ReplyEnvelope } from '../shared/contract/index';
// Both are free of electron and Node imports (bundled into this sandboxed preload).
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../main/ipc-channels';
import { checkRequest } from '../main/ipc-guard';

const api = {
  invoke(request: unknown): Promise<ReplyEnvelope> {
    const verdict = checkRequest(request);
    if (!verdict.ok) return Promise.resolve(verdict.reply);
    return ipcRenderer.invoke(INVOKE_CHANNEL, verdict.request) as Promise<ReplyEnvelope>;
  },
  subscribe(listener: (event: EventEnvelope) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe(listener): listener must be a function');
    const handler = (_e: Electron.IpcRendererEvent, envelope: unknown) => {
      const parsed = EventEnvelopeSchema.safeParse(envelope);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('registerCompanion', api);
