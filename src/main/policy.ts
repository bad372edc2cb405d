/**
 * The shell's security rules as pure functions (no electron import), so they are unit-tested under
 * Node; security.ts and ipc.ts apply them to Electron's objects.
 */

/** Where our renderer is loaded from: the built file, or the dev server in development only. */
export interface RendererOrigin {
  /** file:// URL of out/renderer/index.html. */
  indexFileUrl: string;
  /** ELECTRON_RENDERER_URL while developing (never honoured in a packaged app); else null. */
  devUrl: string | null;
}

/**
 * The renderer needs nothing from the network — the engine does all external I/O — so the policy
 * names no remote origin at all. Header-delivered CSP only reaches http(s) responses (the dev
 * server); the built file:// page carries the same rules in its own <meta> tag.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A document URL is ours: the renderer's index.html (any #route or ?query), or the dev server. */
export function isOwnRendererUrl(url: string | null | undefined, origin: RendererOrigin): boolean {
  const u = url ? parse(url) : null;
  if (!u) return false;
  if (u.protocol === 'file:') {
    const own = parse(origin.indexFileUrl);
    return own !== null && own.protocol === 'file:' && own.host === u.host && own.pathname === u.pathname;
  }
  const dev = origin.devUrl ? parse(origin.devUrl) : null;
  return dev !== null && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === dev.origin;
}

/** The only URLs handed to the OS browser: plain http(s), no embedded credentials. */
export function isSafeExternalUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && u.hostname !== '';
}

/**
 * Network requests the renderer's session may make: none, except to the dev server (page, modules,
 * HMR socket) while developing. Everything else is cancelled before it leaves — a second wall
 * behind the CSP, which a page's own <meta> could loosen.
 */
export function isAllowedNetworkRequest(url: string, origin: RendererOrigin): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'file:' || u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:' || u.protocol === 'chrome-extension:') {
    return true;
  }
  const dev = origin.devUrl ? parse(origin.devUrl) : null;
  if (!dev) return false;
  const scheme = u.protocol === 'ws:' ? 'http:' : u.protocol === 'wss:' ? 'https:' : u.protocol;
  return scheme === dev.protocol && u.host === dev.host;
}

/** Downloads: only files the page built itself (blob:/data: links, e.g. a CSV export). */
export function isAllowedDownload(url: string): boolean {
  const u = parse(url);
  return u !== null && (u.protocol === 'blob:' || u.protocol === 'data:');
}
