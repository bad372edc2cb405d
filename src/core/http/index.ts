/**
 * The engine's one HTTP client. Every external call goes through `requestJson`, so timeouts,
 * error classification and Retry-After handling are the same for every channel.
 */

export type HttpFailureKind =
  | 'network' // refused, reset, closed unanswered, DNS failure
  | 'timeout' // no answer in time: the request may or may not have been applied
  | 'status' // the server answered with a non-2xx status
  | 'bad_response'; // 2xx with a body we cannot read: the request may have been applied

export class HttpError extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    readonly status: number | null = null,
    readonly body: unknown = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  /** Retry later: the network, a timeout, 5xx, 408, 429 or an unreadable answer. */
  get retryable(): boolean {
    if (this.kind !== 'status') return true;
    const s = this.status ?? 0;
    return s >= 500 || s === 408 || s === 429;
  }

  /** The answer may have been lost after the server applied the request. */
  get outcomeUnknown(): boolean {
    return this.kind === 'timeout' || this.kind === 'bad_response' || (this.kind === 'network' && !this.refused);
  }

  /** A connection that was refused never reached the server. */
  get refused(): boolean {
    return this.kind === 'network' && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(this.message);
  }
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (serialised here) or a ready form/text body. */
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

function causeText(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ? `${e.cause.code}: ` : '';
  return `${code}${e?.cause?.message ?? e?.message ?? String(err)}`;
}

/**
 * Sends one request and reads a JSON answer. Non-2xx statuses throw `HttpError('status')` with the
 * parsed body (when it is JSON) so adapters can read the vendor's error message.
 */
export async function requestJson<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(req.json);
  } else if (req.form) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    body = new URLSearchParams(req.form).toString();
  }
  const timeoutMs = req.timeoutMs ?? 10_000;
  let res: Response;
  let text: string;
  try {
    res = await fetch(req.url, { method: req.method ?? 'GET', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new HttpError('timeout', `no answer within ${timeoutMs} ms from ${new URL(req.url).host}`);
    }
    throw new HttpError('network', `connection to ${new URL(req.url).host} failed (${causeText(err)})`);
  }
  let parsed: unknown = null;
  let parseFailed = false;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parseFailed = true;
      parsed = text.slice(0, 500);
    }
  }
  if (res.status < 200 || res.status >= 300) {
    throw new HttpError(
      'status',
      `HTTP ${res.status} from ${new URL(req.url).host}`,
      res.status,
      parsed,
      parseRetryAfter(res.headers.get('retry-after')),
    );
  }
  if (parseFailed) {
    throw new HttpError('bad_response', `unreadable answer (not JSON) from ${new URL(req.url).host}`, res.status, parsed);
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}
