import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimReply } from './types';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Reads the whole request body; past the limit the rest is drained and `tooLarge` is set. */
export function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge }));
    req.on('error', reject);
  });
}

export type ParsedBody = { ok: true; body: unknown } | { ok: false; error: string; tooLarge?: boolean };

/** JSON (by content type, or by shape when no content type is sent), form objects, else the raw text. */
export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw === '') return { ok: true, body: undefined };
  const ct = (contentType ?? '').toLowerCase();
  const looksJson = /^\s*[[{]/.test(raw);
  if (ct.includes('json') || (ct === '' && looksJson)) {
    try {
      return { ok: true, body: JSON.parse(raw) as unknown };
    } catch (e) {
      return { ok: false, error: `request body is not valid JSON (${(e as Error).message})` };
    }
  }
  if (ct.includes('application/x-www-form-urlencoded')) {
    return { ok: true, body: Object.fromEntries(new URLSearchParams(raw)) };
  }
  return { ok: true, body: raw };
}

export function queryObject(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of q) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export function serialise(reply: SimReply): { text: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let text = '';
  if (reply.raw !== undefined) {
    text = reply.raw;
  } else if (reply.body !== undefined) {
    text = JSON.stringify(reply.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json; charset=utf-8';
    }
  }
  return { text, headers };
}

export function send(res: ServerResponse, reply: SimReply): void {
  const { text, headers } = serialise(reply);
  res.writeHead(reply.status, { ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A 200 body that is certainly not valid JSON: a prefix of the real answer plus a stray character. */
export function brokenJson(reply: SimReply): string {
  const { text } = serialise(reply);
  const base = text.startsWith('{') || text.startsWith('[') ? text : '{"data":';
  return `${base.slice(0, Math.max(1, Math.floor(base.length / 2)))}…`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
