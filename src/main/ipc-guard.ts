/**
 * Admission check for `rc:invoke`, pure so it is tested without Electron: only our own window's
 * main frame, showing our own renderer, may call; only a well-formed request for a known method
 * passes. Everything else gets an error reply (never an exception across IPC) and a log line.
 */
import { RequestEnvelopeSchema, isMethodName, type MethodName, type ReplyEnvelope, type RequestEnvelope } from '../shared/contract';
import { isOwnRendererUrl, type RendererOrigin } from './policy';

export interface InvokeSender {
  /** URL of the frame that sent the message (null when the frame is gone). */
  frameUrl: string | null;
  /** The sending frame is its page's top frame (not an iframe). */
  isMainFrame: boolean;
  /** The message came from the app's main window (not some other webContents). */
  fromAppWindow: boolean;
}

export type InvokeVerdict =
  | { ok: true; request: RequestEnvelope & { method: MethodName } }
  | { ok: false; reply: ReplyEnvelope; reason: string };

function refuse(id: string, code: 'bad_message' | 'unknown_method', message: string, reason: string): InvokeVerdict {
  return { ok: false, reason, reply: { kind: 'reply', id, ok: false, error: { code, message } } };
}

const replyId = (message: unknown) => {
  const rawId = (message as { id?: unknown } | null)?.id;
  return typeof rawId === 'string' ? rawId.slice(0, 100) : '';
};

export function guardInvoke(sender: InvokeSender, message: unknown, origin: RendererOrigin): InvokeVerdict {
  if (!sender.fromAppWindow || !sender.isMainFrame || !isOwnRendererUrl(sender.frameUrl, origin)) {
    const where = `${sender.fromAppWindow ? 'app window' : 'other webContents'}, ${sender.isMainFrame ? 'main frame' : 'subframe'}, ${sender.frameUrl ?? 'no url'}`;
    return refuse(replyId(message), 'bad_message', 'Request refused: it did not come from the app window.', `foreign sender (${where})`);
  }
  return checkRequest(message);
}

/** The message half of the check: a well-formed request for a known method. The preload uses it too. */
export function checkRequest(message: unknown): InvokeVerdict {
  const id = replyId(message);
  const parsed = RequestEnvelopeSchema.safeParse(message);
  if (!parsed.success) {
    return refuse(id, 'bad_message', 'Malformed message: expected {kind:"request", id, method, params}', 'malformed envelope');
  }
  const { method } = parsed.data;
  if (!isMethodName(method)) return refuse(id, 'unknown_method', `Unknown method: ${method}`, `unknown method ${JSON.stringify(method)}`);
  return { ok: true, request: { ...parsed.data, method } };
}
