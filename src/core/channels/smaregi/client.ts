import { HttpError, requestJson, type HttpRequest } from '../../http';
import type { SmaregiConfig } from '../../context';

/** Scopes the app asks for (Smaregi POS API, `pos.<resource>:read|write`). */
export const SMAREGI_SCOPES = [
  'pos.products:read',
  'pos.stores:read',
  'pos.stock:read',
  'pos.stock:write',
  'pos.transactions:read',
  'pos.transactions:write',
  'pos.customers:read',
].join(' ');

/** Smaregi errors are RFC 7807 problem details; `detail` is the Japanese message. */
export function smaregiErrorText(err: unknown): string {
  if (err instanceof HttpError && err.kind === 'status') {
    const b = err.body as { title?: string; detail?: string; error?: string } | null;
    const detail = b?.detail ?? b?.error ?? '';
    return `Smaregi ${err.status}${b?.title ? ` ${b.title}` : ''}${detail ? `: ${detail}` : ''}`;
  }
  return (err as Error)?.message ?? String(err);
}

export type Query = Record<string, string | number | undefined | null>;

export interface SmaregiClient {
  /** GET/POST/PATCH a POS resource (path relative to `/{contractId}/pos`). Refreshes an expired token once. */
  request<T>(method: NonNullable<HttpRequest['method']>, path: string, opts?: { query?: Query; json?: unknown; timeoutMs?: number }): Promise<T>;
  /** Reads every page of a list endpoint (`limit` ≤ 1000, pages from 1, stops on a short page). */
  listAll<T>(path: string, query?: Query, opts?: { limit?: number; onPage?: (rows: T[], page: number) => void }): Promise<T[]>;
  /** Forgets the cached token (e.g. after settings changed). */
  reset(): void;
}

/** Builds a query string; `+` in datetimes is percent-encoded as Smaregi requires. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Thin client for the Smaregi Platform API: client-credentials token per contract (cached, renewed
 * 60 s before expiry and once on a 401, one token request at a time), JSON requests, paging.
 * Errors are `HttpError`s.
 */
export function createSmaregiClient(config: () => SmaregiConfig | null, opts: { timeoutMs?: number } = {}): SmaregiClient {
  let token: { value: string; expiresAt: number; key: string } | null = null;
  /**
   * The token request under way, shared by every caller that needs a token meanwhile (single
   * flight): concurrent first calls, or several requests refused with 401 at once, cost one token.
   */
  let inflight: { key: string; promise: Promise<string> } | null = null;
  /** Bumped by reset(): a token request begun before it must not install its (stale) token. */
  let generation = 0;
  const timeoutMs = opts.timeoutMs ?? 10_000;

  const cfg = (): SmaregiConfig => {
    const c = config();
    if (!c) throw new HttpError('status', 'Smaregi is not configured (設定 → スマレジ)', 0);
    return c;
  };

  async function fetchToken(c: SmaregiConfig, key: string, gen: number): Promise<string> {
    const secret = await c.clientSecret();
    if (!secret) throw new HttpError('status', 'Smaregi client secret is not set (設定 → スマレジ)', 401);
    const basic = Buffer.from(`${c.clientId}:${secret}`).toString('base64');
    const res = await requestJson<{ access_token: string; expires_in: number | string }>({
      method: 'POST',
      url: `${c.idBaseUrl.replace(/\/$/, '')}/app/${encodeURIComponent(c.contractId)}/token`,
      headers: { authorization: `Basic ${basic}` },
      form: { grant_type: 'client_credentials', scope: SMAREGI_SCOPES },
      timeoutMs,
    });
    const ttl = Number(res.body.expires_in) || 3600;
    if (gen === generation) token = { value: res.body.access_token, expiresAt: Date.now() + ttl * 1000, key };
    return res.body.access_token;
  }

  /**
   * A valid token. `rejected` is the token a request was just refused with (401): a new one is
   * fetched unless another caller has already replaced it.
   */
  function getToken(rejected?: string): Promise<string> {
    const c = cfg();
    const key = `${c.idBaseUrl}|${c.contractId}|${c.clientId}`;
    if (token && token.key === key && token.value !== rejected && Date.now() < token.expiresAt - 60_000) return Promise.resolve(token.value);
    if (inflight && inflight.key === key) return inflight.promise;
    const gen = generation;
    const promise = fetchToken(c, key, gen).finally(() => {
      if (inflight?.promise === promise) inflight = null;
    });
    inflight = { key, promise };
    return promise;
  }

  async function request<T>(method: NonNullable<HttpRequest['method']>, path: string, o: { query?: Query; json?: unknown; timeoutMs?: number } = {}): Promise<T> {
    const c = cfg();
    const url = `${c.apiBaseUrl.replace(/\/$/, '')}/${encodeURIComponent(c.contractId)}/pos${path}${queryString(o.query)}`;
    const send = (bearer: string) =>
      requestJson<T>({ method, url, headers: { authorization: `Bearer ${bearer}` }, json: o.json, timeoutMs: o.timeoutMs ?? timeoutMs });
    const bearer = await getToken();
    try {
      return (await send(bearer)).body;
    } catch (err) {
      // An expired or revoked token: get a new one (shared with other callers refused meanwhile) and repeat the call once.
      if (err instanceof HttpError && err.kind === 'status' && err.status === 401) return (await send(await getToken(bearer))).body;
      throw err;
    }
  }

  async function listAll<T>(path: string, query: Query = {}, o: { limit?: number; onPage?: (rows: T[], page: number) => void } = {}): Promise<T[]> {
    const limit = Math.min(1000, Math.max(1, o.limit ?? 1000));
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const rows = await request<T[]>('GET', path, { query: { ...query, limit, page } });
      if (!Array.isArray(rows)) throw new HttpError('bad_response', `Smaregi ${path}: expected a list`);
      all.push(...rows);
      o.onPage?.(rows, page);
      if (rows.length < limit) return all;
    }
  }

  return {
    request,
    listAll,
    reset: () => {
      token = null;
      inflight = null;
      generation += 1;
    },
  };
}
