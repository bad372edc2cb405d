import type { IncomingHttpHeaders } from 'node:http';

/** A request as a simulator route sees it: already read, body parsed. */
export interface SimRequest {
  method: string;
  /** The raw path (not decoded), without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON, a form object (x-www-form-urlencoded), the raw text, or undefined when empty. */
  body: unknown;
  rawBody: string;
  /** Decoded `:name` segments of the matched route. */
  params: Record<string, string>;
}

/** What a route answers. `body` is sent as JSON unless `raw` is given. */
export interface SimReply {
  status: number;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export interface SimContext<S> {
  /** The simulator's live, mutable data. */
  state: S;
  /** The simulator's clock (real time plus the offset set via `POST /__sim/clock`). */
  now(): number;
  name: string;
}

export type SimHandler<S> = (req: SimRequest, ctx: SimContext<S>) => SimReply | Promise<SimReply>;

export interface SimRoute<S> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/literal/:param/...`; a `:param` matches one non-empty segment. */
  path: string;
  handler: SimHandler<S>;
}

/** Errors the framework itself produces, rendered in each system's own error style. */
export type FrameworkError =
  | 'not_found'
  | 'method_not_allowed'
  | 'bad_json'
  | 'payload_too_large'
  | 'rate_limited'
  | 'server_error'
  | 'internal_error';

export type ErrorStyle = (status: number, kind: FrameworkError, message: string) => SimReply;

export type FaultMode = 'offline' | '429' | '500' | 'timeout' | 'reset' | 'badjson';

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  /** The status sent, or null when no answer was sent (offline, timeout, reset). */
  status: number | null;
  /** The fault applied to this request, or null. */
  fault: FaultMode | null;
  /** Whether the request reached the simulated system (its effects happened). */
  applied: boolean;
}

export function flattenHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
