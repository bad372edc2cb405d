import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRequest, guardInvoke, type InvokeSender } from '../../src/main/ipc-guard';
import {
  CONTENT_SECURITY_POLICY,
  isAllowedDownload,
  isAllowedNetworkRequest,
  isOwnRendererUrl,
  isSafeExternalUrl,
  type RendererOrigin,
} from '../../src/main/policy';

const indexFile = join('/opt/Register Companion/resources/app.asar/out/renderer', 'index.html');
const prod: RendererOrigin = { indexFileUrl: pathToFileURL(indexFile).href, devUrl: null };
const dev: RendererOrigin = { ...prod, devUrl: 'http://localhost:5173/' };
const own: InvokeSender = { frameUrl: prod.indexFileUrl, isMainFrame: true, fromAppWindow: true };
const request = { kind: 'request', id: 'r1', method: 'status.get', params: {} };

describe('guardInvoke', () => {
  it('admits a valid request for a known method from our own page, including its #routes', () => {
    const v = guardInvoke(own, request, prod);
    expect(v).toEqual({ ok: true, request });
    expect(guardInvoke({ ...own, frameUrl: `${prod.indexFileUrl}#/settings` }, request, prod).ok).toBe(true);
    expect(guardInvoke({ ...own, frameUrl: `${prod.indexFileUrl}?lang=en` }, request, prod).ok).toBe(true);
  });

  it('refuses senders that are not our window main frame showing our page', () => {
    const cases: Array<[string, InvokeSender]> = [
      ['subframe', { ...own, isMainFrame: false }],
      ['other webContents', { ...own, fromAppWindow: false }],
      ['frame gone', { ...own, frameUrl: null }],
      ['another local file', { ...own, frameUrl: pathToFileURL('/tmp/evil/index.html').href }],
      ['a sibling file', { ...own, frameUrl: pathToFileURL(join(indexFile, '..', 'other.html')).href }],
      ['a remote page', { ...own, frameUrl: 'https://evil.example/index.html' }],
      ['a data URL', { ...own, frameUrl: 'data:text/html,<script>1</script>' }],
      ['about:blank', { ...own, frameUrl: 'about:blank' }],
      ['the dev server when not developing', { ...own, frameUrl: 'http://localhost:5173/' }],
    ];
    for (const [name, sender] of cases) {
      const v = guardInvoke(sender, request, prod);
      expect(v.ok, name).toBe(false);
      if (!v.ok) {
        expect(v.reply).toEqual({ kind: 'reply', id: 'r1', ok: false, error: { code: 'bad_message', message: expect.stringContaining('refused') } });
        expect(v.reason).toContain('foreign sender');
      }
    }
  });

  it('admits the dev server origin only while developing', () => {
    expect(guardInvoke({ ...own, frameUrl: 'http://localhost:5173/#/sync' }, request, dev).ok).toBe(true);
    expect(guardInvoke({ ...own, frameUrl: 'http://localhost:5174/' }, request, dev).ok).toBe(false);
    expect(guardInvoke({ ...own, frameUrl: 'http://127.0.0.1:5173/' }, request, dev).ok).toBe(false);
  });

  it('answers malformed envelopes with bad_message, echoing a usable id', () => {
    const bad: unknown[] = [
      null,
      'status.get',
      42,
      { ...request, kind: 'reply' },
      { ...request, id: '' },
      { ...request, id: 7 },
      { kind: 'request', id: 'r1', params: {} },
      { ...request, method: 'x'.repeat(101) },
    ];
    for (const m of bad) {
      const v = guardInvoke(own, m, prod);
      expect(v.ok, JSON.stringify(m)).toBe(false);
      if (!v.ok) {
        expect(v.reply.ok).toBe(false);
        if (!v.reply.ok) expect(v.reply.error.code).toBe('bad_message');
        expect(v.reason).toBe('malformed envelope');
      }
    }
    const noId = guardInvoke(own, { kind: 'request', method: 'status.get' }, prod);
    expect(!noId.ok && noId.reply.id).toBe('');
  });

  it('answers unknown methods, including inherited property names, with unknown_method', () => {
    for (const method of ['nope.nothing', 'toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      const v = guardInvoke(own, { ...request, method }, prod);
      expect(v.ok, method).toBe(false);
      if (!v.ok && !v.reply.ok) {
        expect(v.reply.error.code).toBe('unknown_method');
        expect(v.reply.id).toBe('r1');
      }
    }
  });

  it('applies the same message check the preload runs before sending', () => {
    expect(checkRequest(request)).toEqual({ ok: true, request });
    const bad = checkRequest({ ...request, kind: 'event' });
    expect(!bad.ok && !bad.reply.ok && bad.reply.error.code).toBe('bad_message');
    const unknown = checkRequest({ ...request, method: 'engine.selfDestruct' });
    expect(!unknown.ok && !unknown.reply.ok && unknown.reply.error.code).toBe('unknown_method');
  });

  it('checks the sender before looking at the message', () => {
    const v = guardInvoke({ ...own, isMainFrame: false }, { ...request, method: 'nope' }, prod);
    expect(!v.ok && !v.reply.ok && v.reply.error.code).toBe('bad_message');
  });
});

describe('policy', () => {
  it('recognises our own renderer URL and nothing else', () => {
    expect(isOwnRendererUrl(prod.indexFileUrl, prod)).toBe(true);
    expect(isOwnRendererUrl('not a url', prod)).toBe(false);
    expect(isOwnRendererUrl(undefined, prod)).toBe(false);
    expect(isOwnRendererUrl('file://evilhost' + new URL(prod.indexFileUrl).pathname, prod)).toBe(false);
  });

  it('opens only plain http(s) URLs externally', () => {
    for (const ok of ['https://developers.smaregi.jp/', 'http://example.com/a?b=c#d']) expect(isSafeExternalUrl(ok), ok).toBe(true);
    for (const no of ['javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'mailto:a@b.c', 'https://user:pw@example.com/', 'ms-settings:', 'not a url', '']) {
      expect(isSafeExternalUrl(no), no).toBe(false);
    }
  });

  it('lets the renderer reach no network origin, except the dev server while developing', () => {
    for (const url of ['https://api.smaregi.jp/x', 'http://127.0.0.1:8080/', 'ws://127.0.0.1:5173/', 'wss://evil.example/']) {
      expect(isAllowedNetworkRequest(url, prod), url).toBe(false);
    }
    expect(isAllowedNetworkRequest('file:///opt/x/index.html', prod)).toBe(true);
    expect(isAllowedNetworkRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedNetworkRequest('ws://localhost:5173/?token=x', dev)).toBe(true);
    expect(isAllowedNetworkRequest('https://localhost:5173/', dev)).toBe(false);
    expect(isAllowedNetworkRequest('ws://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNetworkRequest('https://api.smaregi.jp/x', dev)).toBe(false);
  });

  it('names no remote origin or wildcard in the CSP and limits connections to self', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|wss?:|\*|unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('allows downloads only of what the page made itself', () => {
    expect(isAllowedDownload('blob:file:///5f0c2e0a-1111-4222-8333-944445555666')).toBe(true);
    expect(isAllowedDownload('data:text/csv;charset=utf-8,a,b')).toBe(true);
    expect(isAllowedDownload('https://evil.example/payload.exe')).toBe(false);
    expect(isAllowedDownload('file:///etc/passwd')).toBe(false);
  });
});
