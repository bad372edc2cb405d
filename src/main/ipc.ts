import { ipcMain, type BrowserWindow } from 'electron';
import type { EventEnvelope, ReplyEnvelope } from '../shared/contract';
import type { Supervisor } from '../host/supervisor';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-channels';
import { guardInvoke } from './ipc-guard';
import { isOwnRendererUrl, type RendererOrigin } from './policy';


/**
 * `rc:invoke`: admitted by guardInvoke (our window's main frame, a valid request for a known
 * method), then forwarded to the engine through the supervisor, which always answers.
 */
export function registerIpc(opts: { supervisor: Supervisor; origin: RendererOrigin; window(): BrowserWindow | null; log(message: string): void }): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, message: unknown): Promise<ReplyEnvelope> => {
    const win = opts.window();
    const frame = event.senderFrame;
    const verdict = guardInvoke(
      {
        frameUrl: frame?.url ?? null,
        isMainFrame: frame !== null && frame.parent === null,
        fromAppWindow: win !== null && !win.isDestroyed() && event.sender === win.webContents,
      },
      message,
      opts.origin,
    );
    if (!verdict.ok) {
      opts.log(`rc:invoke refused: ${verdict.reason}`);
      return verdict.reply;
    }
    return opts.supervisor.call(verdict.request);
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/** Sends an engine event to the window, if it still shows our own page. */
export function sendEvent(win: BrowserWindow | null, event: EventEnvelope, origin: RendererOrigin): void {
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
  if (!isOwnRendererUrl(win.webContents.mainFrame.url, origin)) return;
  win.webContents.send(EVENT_CHANNEL, event);
}
