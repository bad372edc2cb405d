import { shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isAllowedDownload, isAllowedNetworkRequest, isSafeExternalUrl, type RendererOrigin } from './policy';

type Log = (message: string) => void;

/** The one way out to the OS browser (http/https only); nothing else calls shell.openExternal. */
export function safeOpenExternal(url: string, log: Log): void {
  if (!isSafeExternalUrl(url)) {
    log(`refused to open external URL ${JSON.stringify(url.slice(0, 200))}`);
    return;
  }
  void shell.openExternal(url).catch((err: unknown) => log(`openExternal failed: ${(err as Error)?.message ?? err}`));
}

/**
 * Session-wide rules: CSP on every http(s) response (the dev server; file:// pages use their
 * <meta>), every network request from the renderer cancelled (it has no business on the network),
 * every permission and device request denied, downloads only of what the page itself made.
 */
export function installSessionSecurity(ses: Session, origin: RendererOrigin, log: Log): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    const allowed = isAllowedNetworkRequest(details.url, origin);
    if (!allowed) log(`blocked renderer request to ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`denied permission request: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('will-download', (event, item) => {
    // The renderer saves its own exports (CSV) through blob: links; Electron asks where to save.
    if (isAllowedDownload(item.getURL())) return;
    log(`blocked a download of ${item.getURL().slice(0, 200)}`);
    event.preventDefault();
  });
}

/**
 * Rules for every webContents the app ever creates (applied from app 'web-contents-created'):
 * no navigation at all (routes are in-page: reloads and #hash changes do not navigate), no redirects, no new windows (http(s) links go to the OS
 * browser instead), no <webview>.
 */
export function hardenWebContents(contents: WebContents, log: Log): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`blocked navigation to ${url.slice(0, 200)}`);
    if (isSafeExternalUrl(url)) safeOpenExternal(url, log);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`blocked redirect to ${url.slice(0, 200)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) safeOpenExternal(url, log);
    else log(`blocked window.open of ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}
