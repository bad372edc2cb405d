/**
 * A stand-in browser-mode host with an in-memory fake engine, for developing and screenshotting the
 * renderer without the real engine, and for renderer-only browser tests (e.g. the socket dropping).
 * Every reply and event is checked against the contract, so the fake cannot drift from it silently.
 *
 *   npx tsx test/e2e/fake-host.ts --renderer out/renderer [--port 0]
 *
 * Prints `Register Companion UI: http://127.0.0.1:PORT/?token=TOKEN` like the real host. Test hooks
 * (no token, local only): POST /__fake/offline {"offline":true}, POST /__fake/drop (close sockets),
 * POST /__fake/backlog {"n":20,"failed":1}, POST /__fake/engine {"state":"reconnecting"|"ready"}.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  DEFAULT_SETTINGS,
  RequestEnvelopeSchema,
  SettingsSchema,
  events,
  isMethodName,
  methods,
  type BasketItem,
  type CouponView,
  type EngineStatus,
  type HistoryEntry,
  type OutboxItem,
  type RedemptionLogEntry,
  type ScanOutcome,
  type Settings,
  type SettingsView,
} from '../../src/shared/contract';
import { REASON_MESSAGES } from '../../src/shared/reasons';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const rendererDir = resolve(arg('--renderer') ?? 'out/renderer');
const token = randomBytes(18).toString('base64url');

// ---------------- fake data ----------------

const coupons: CouponView[] = [
  {
    couponId: '101',
    couponName: 'ギフト券 500円引き',
    couponDivision: 'giftee',
    serialNumber: '1234567',
    summary: null,
    awardType: '1',
    awardValue: '500',
    startDate: '2020-01-01',
    endDate: '2099-12-31',
    minTargetPrice: '1000',
    maxTargetPrice: null,
  },
  {
    couponId: '102',
    couponName: 'ギフト券 10%割引',
    couponDivision: 'giftee',
    serialNumber: '7654321',
    summary: null,
    awardType: '2',
    awardValue: '10',
    startDate: '2020-01-01',
    endDate: '2099-12-31',
    minTargetPrice: null,
    maxTargetPrice: null,
  },
  {
    couponId: '103',
    couponName: 'コーヒー1杯無料',
    couponDivision: 'giftee',
    serialNumber: '5550001',
    summary: null,
    awardType: '3',
    awardValue: '9001',
    startDate: '2020-01-01',
    endDate: '2099-12-31',
    minTargetPrice: null,
    maxTargetPrice: null,
  },
  {
    couponId: '104',
    couponName: '通常クーポン',
    couponDivision: '通常',
    serialNumber: '1111111',
    summary: null,
    awardType: '1',
    awardValue: '100',
    startDate: null,
    endDate: null,
    minTargetPrice: null,
    maxTargetPrice: null,
  },
];
const products: Omit<BasketItem, 'quantity'>[] = [
  { productId: '9001', productCode: '4901234567894', name: 'ブレンドコーヒー', price: 480 },
  { productId: '9002', productCode: '4909876543210', name: 'チーズケーキ', price: 650 },
  { productId: '9003', productCode: '4900000000017', name: '焼き菓子詰め合わせ', price: 1_800 },
];

let settings: Settings = SettingsSchema.parse({
  smaregi: { contractId: 'sb_sim0001', clientId: 'sim-client-id', credentialSource: 'simulator' },
  giftee: { credentialSource: 'simulator' },
});
const secrets: Record<string, string> = {};
let redemptionOnline = true;
let paused = false;
let engineState: 'connecting' | 'ready' | 'reconnecting' = 'ready';
const used = new Set<string>();
const log: RedemptionLogEntry[] = [];
const redemptions = new Map<string, ScanOutcome & { redemptionId: string; status: 'redeemed' | 'voided'; saleId: string }>();
const outbox: OutboxItem[] = [];
const history: HistoryEntry[] = [];
const throughput = new Map<string, { sent: number; failed: number }>();
let drainDone = 0;
const startedAt = new Date().toISOString();

function mask(v: string): string {
  return v.length <= 4 ? '••••' : `••••${v.slice(-4)}`;
}

function settingsView(): SettingsView {
  return {
    settings,
    secrets: {
      'smaregi.clientSecret': { set: !!secrets['smaregi.clientSecret'], masked: secrets['smaregi.clientSecret'] ? mask(secrets['smaregi.clientSecret']) : '' },
      'giftee.accessToken': { set: !!secrets['giftee.accessToken'], masked: secrets['giftee.accessToken'] ? mask(secrets['giftee.accessToken']) : '' },
    },
    secretStore: { available: true, message: null },
  };
}

function counts() {
  const targets = ['smaregi', 'nextengine'];
  return targets.map((target) => {
    const mine = outbox.filter((o) => o.target === target);
    return {
      target,
      pending: mine.filter((o) => o.state === 'pending').length,
      inFlight: mine.filter((o) => o.state === 'in_flight').length,
      failed: mine.filter((o) => o.state === 'failed').length,
      sent: mine.filter((o) => o.state === 'sent').length,
    };
  });
}

function progress() {
  const remaining = outbox.filter((o) => o.state === 'pending' || o.state === 'in_flight').length;
  return {
    paused,
    draining: remaining > 0 && !paused,
    remaining,
    done: remaining > 0 ? drainDone : 0,
    etaSeconds: remaining > 0 ? remaining * 0.4 : null,
    perTarget: counts(),
  };
}

function status(): EngineStatus {
  return {
    appVersion: '0.1.0-fake',
    schemaVersion: 4,
    dataDir: '/tmp/fake',
    demo: true,
    demoSims: null,
    startedAt,
    connectivity: { smaregi: 'online', giftee: redemptionOnline ? 'online' : 'offline', nextengine: 'online' },
    redemptionOnline,
    sync: { paused, draining: progress().draining, pending: progress().remaining, failed: outbox.filter((o) => o.state === 'failed').length },
    intakeStopped: null,
    scanner: { state: 'none', device: null, message: null },
  };
}

function basketAmount(basket: { items: BasketItem[]; amount: number | null }): number {
  return basket.amount ?? basket.items.reduce((s, i) => s + i.price * i.quantity, 0);
}

function evaluate(raw: string, basket: { items: BasketItem[]; amount: number | null }): ScanOutcome {
  const normalized = raw.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const base: ScanOutcome = {
    raw,
    normalized,
    kind: 'unknown',
    prefix: null,
    couponId: null,
    coupon: null,
    verdict: 'rejected',
    reason: 'not_gift_ticket',
    message: REASON_MESSAGES.not_gift_ticket,
    benefit: null,
    product: null,
    duplicate: false,
  };
  const product = products.find((p) => p.productCode === normalized);
  if (product) return { ...base, kind: 'product', verdict: 'ok', reason: null, message: null, product };
  if (!/^[0-9]{24}$/.test(normalized)) return base;
  const prefix = normalized.slice(0, 7);
  const coupon = coupons.find((c) => c.serialNumber === prefix);
  const refuse = (reason: keyof typeof REASON_MESSAGES, verdict: 'rejected' | 'blocked' = 'rejected'): ScanOutcome => ({
    ...base,
    kind: 'giftee',
    prefix,
    couponId: coupon?.couponId ?? null,
    coupon: coupon ?? null,
    verdict,
    reason,
    message: REASON_MESSAGES[reason],
  });
  if (!coupon) return refuse('unknown_prefix');
  if (coupon.couponDivision !== 'giftee') return refuse('not_giftee_coupon');
  if (!redemptionOnline) return refuse('offline', 'blocked');
  if (used.has(normalized)) return refuse('ticket_used');
  const amount = basketAmount(basket);
  if (coupon.minTargetPrice && amount < Number(coupon.minTargetPrice)) return refuse('below_min_amount');
  const freeItems = coupon.awardType === '3' ? products.filter((p) => p.productId === coupon.awardValue).map((p) => ({ productId: p.productId, name: p.name, price: p.price })) : [];
  const discountYen =
    coupon.awardType === '1' ? Math.min(amount, Number(coupon.awardValue)) : coupon.awardType === '2' ? Math.floor((amount * Number(coupon.awardValue)) / 100) : freeItems.reduce((s, i) => s + i.price, 0);
  return {
    ...base,
    kind: 'giftee',
    prefix,
    couponId: coupon.couponId,
    coupon,
    verdict: 'ok',
    reason: null,
    message: null,
    benefit: { awardType: coupon.awardType, awardValue: coupon.awardValue, discountYen, freeItems },
  };
}

function addLog(source: RedemptionLogEntry['source'], o: ScanOutcome, status: RedemptionLogEntry['status'], redemptionId: string | null, amount: number | null): RedemptionLogEntry {
  const e: RedemptionLogEntry = {
    id: randomUUID(),
    at: new Date().toISOString(),
    source,
    raw: o.raw,
    normalized: o.normalized,
    kind: o.kind,
    couponId: o.couponId,
    couponName: o.coupon?.couponName ?? null,
    verdict: o.verdict,
    reason: o.reason,
    status,
    redemptionId,
    discountYen: o.benefit?.discountYen ?? null,
    amountYen: amount,
  };
  log.unshift(e);
  return e;
}

function enqueue(target: string, kind: string, payload: unknown, fail = false): void {
  outbox.push({
    id: randomUUID(),
    target,
    kind,
    orderingKey: `${target}:${kind}`,
    state: fail ? 'failed' : 'pending',
    attempts: fail ? 1 : 0,
    createdAt: new Date().toISOString(),
    nextAttemptAt: null,
    sentAt: null,
    lastError: fail ? '400 Bad Request: productId 99999 does not exist' : null,
    payload,
    remoteRef: null,
  });
}

// ---------------- handlers ----------------

type Handler = (p: any, source?: string) => unknown;
const handlers: Record<string, Handler> = {
  'status.get': () => status(),
  'engine.flush': () => ({ delivered: 0, pending: progress().remaining }),
  'settings.get': () => settingsView(),
  'settings.update': (p) => {
    const next = structuredClone(settings) as Record<string, Record<string, unknown>>;
    for (const [k, v] of Object.entries(p)) next[k] = { ...next[k], ...(v as object) };
    settings = SettingsSchema.parse(next);
    broadcast('settings', settingsView());
    return settingsView();
  },
  'secrets.set': (p) => {
    secrets[p.key] = p.value;
    return settingsView();
  },
  'secrets.clear': (p) => {
    delete secrets[p.key];
    return settingsView();
  },
  'settings.testConnection': (p) => ({
    system: p.system,
    ok: p.system === 'giftee' ? redemptionOnline : p.system !== 'makeshop',
    latencyMs: 42,
    message: p.system === 'makeshop' ? '認証情報が設定されていません' : 'OK',
  }),
  'scan.evaluate': (p) => {
    const o = evaluate(p.raw, p.basket);
    addLog(p.source, o, null, null, basketAmount(p.basket));
    return o;
  },
  'redemption.redeem': (p) => {
    const o = evaluate(p.raw, p.basket);
    const amount = basketAmount(p.basket);
    if (o.verdict !== 'ok' || o.kind !== 'giftee') {
      addLog(p.source, o, o.verdict === 'blocked' ? 'blocked' : 'rejected', null, amount);
      return { ...o, redemptionId: null, status: o.verdict === 'blocked' ? 'blocked' : 'rejected', saleId: null };
    }
    used.add(o.normalized);
    const redemptionId = randomUUID();
    const r = { ...o, redemptionId, status: 'redeemed' as const, saleId: randomUUID() };
    redemptions.set(redemptionId, r);
    const entry = addLog(p.source, o, 'redeemed', redemptionId, amount);
    enqueue('smaregi', 'smaregi.transaction', { couponId: o.couponId, amount, discount: o.benefit?.discountYen, items: p.basket.items });
    broadcast('redemption.logged', entry);
    return r;
  },
  'redemption.void': (p) => {
    const r = redemptions.get(p.redemptionId);
    if (!r) throw Object.assign(new Error('No such redemption'), { code: 'not_found' });
    used.delete(r.normalized);
    const v = { ...r, status: 'voided' as const };
    redemptions.set(p.redemptionId, v);
    broadcast('redemption.logged', addLog('manual', r, 'voided', r.redemptionId, null));
    return v;
  },
  'redemption.recent': (p) => log.filter((e) => e.status === 'redeemed' || e.status === 'voided').slice(0, p.limit),
  'redemption.log': (p) => {
    const rows = log.filter(
      (e) =>
        (!p.text || e.normalized.includes(p.text) || (e.couponName ?? '').includes(p.text)) &&
        (!p.verdict || e.verdict === p.verdict) &&
        (!p.from || e.at >= p.from) &&
        (!p.to || e.at < p.to),
    );
    return { total: rows.length, rows: rows.slice(p.offset, p.offset + p.limit) };
  },
  'redemption.exportCsv': () => ({
    filename: 'redemptions.csv',
    csv: '\ufeffat,code,coupon,status\n' + log.map((e) => `${e.at},${e.normalized},${e.couponName ?? ''},${e.status ?? e.verdict}`).join('\n'),
  }),
  'catalog.lookupProduct': (p) => products.find((x) => x.productCode === p.code) ?? null,
  'catalog.refresh': () => ({ coupons: coupons.length, products: products.length, refreshedAt: new Date().toISOString(), lastError: null, refreshing: false }),
  'catalog.status': () => ({ coupons: coupons.length, products: products.length, refreshedAt: startedAt, lastError: null, refreshing: false }),
  'scanner.devices': () => [
    { path: '/dev/hidraw0', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 2, product: 'Xenon 1900', manufacturer: 'Honeywell', likelyScanner: true, mode: 'hid-pos' },
    { path: '/dev/hidraw1', vendorId: 0x046d, productId: 0xc31c, usagePage: 1, usage: 6, product: 'USB Keyboard', manufacturer: 'Logitech', likelyScanner: false, mode: 'hid-keyboard' },
  ],
  'outbox.list': (p) => {
    const items = outbox.filter((o) => (!p.state || o.state === p.state) && (!p.target || o.target === p.target));
    return { total: items.length, items: items.slice(p.offset, p.offset + p.limit) };
  },
  'outbox.resend': (p) => {
    let n = 0;
    for (const o of outbox) {
      if (o.state === 'failed' && ('ids' in p ? p.ids.includes(o.id) : true)) {
        o.state = 'pending';
        o.lastError = null;
        o.payload = { ...(o.payload as object), fixed: true };
        n++;
      }
    }
    broadcast('sync.progress', progress());
    return { requeued: n };
  },
  'sync.progress': () => progress(),
  'sync.now': () => progress(),
  'sync.pause': () => {
    paused = true;
    return progress();
  },
  'sync.resume': () => {
    paused = false;
    return progress();
  },
  'sync.history': (p) => {
    const rows = history.filter((h) => (!p.text || h.summary.includes(p.text) || h.kind.includes(p.text)) && (!p.direction || h.direction === p.direction));
    return { total: rows.length, rows: rows.slice(p.offset, p.offset + p.limit) };
  },
  'sync.throughput': () => {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    return Array.from({ length: 60 }, (_, i) => {
      const minute = new Date(now - (59 - i) * 60_000).toISOString();
      const b = throughput.get(minute.slice(0, 16)) ?? { sent: 0, failed: 0 };
      return { minute, ...b };
    });
  },
};

// Seed a little history so the screens have something to show.
for (let i = 0; i < 50; i++) {
  const at = new Date(Date.now() - (50 - i) * 70_000).toISOString();
  const key = at.slice(0, 16);
  const b = throughput.get(key) ?? { sent: 0, failed: 0 };
  b.sent += 1 + (i % 3);
  if (i % 17 === 0) b.failed += 1;
  throughput.set(key, b);
  history.unshift({
    id: randomUUID(),
    at,
    direction: i % 4 === 0 ? 'received' : 'sent',
    target: i % 4 === 0 ? 'nextengine' : 'smaregi',
    kind: i % 4 === 0 ? 'nextengine.order' : 'smaregi.stock.set',
    outboxId: null,
    summary: i % 4 === 0 ? `受注 NE-${1000 + i}` : `在庫 商品${9000 + (i % 3)} → ${20 - (i % 7)}`,
    payload: { productId: String(9000 + (i % 3)), stock: 20 - (i % 7) },
    ok: i % 17 !== 0,
    error: i % 17 === 0 ? '400 Bad Request' : null,
  });
}

// Drain the fake outbox: one item every 300 ms.
setInterval(() => {
  if (paused) return;
  const next = outbox.find((o) => o.state === 'pending');
  if (!next) {
    drainDone = 0;
    return;
  }
  const bad = (next.payload as { bad?: boolean; fixed?: boolean })?.bad && !(next.payload as { fixed?: boolean }).fixed;
  next.attempts += 1;
  next.state = bad ? 'failed' : 'sent';
  next.lastError = bad ? '400 Bad Request: productId 99999 does not exist' : null;
  next.sentAt = bad ? null : new Date().toISOString();
  drainDone += 1;
  const key = new Date().toISOString().slice(0, 16);
  const b = throughput.get(key) ?? { sent: 0, failed: 0 };
  if (bad) b.failed += 1;
  else b.sent += 1;
  throughput.set(key, b);
  history.unshift({
    id: randomUUID(),
    at: new Date().toISOString(),
    direction: 'sent',
    target: next.target,
    kind: next.kind,
    outboxId: next.id,
    summary: `${next.kind} ${next.id.slice(0, 8)}`,
    payload: next.payload,
    ok: !bad,
    error: bad ? next.lastError : null,
  });
  broadcast('sync.progress', progress());
  broadcast('status', status());
}, 300);

// ---------------- server ----------------

const clients = new Set<WebSocket>();

function broadcast(event: keyof typeof events, data: unknown): void {
  const parsed = events[event].safeParse(data);
  if (!parsed.success) {
    process.stderr.write(`[fake-host] invalid event ${event}: ${parsed.error.message}\n`);
    return;
  }
  const text = JSON.stringify({ kind: 'event', event, data });
  for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
}

function handle(msg: unknown): unknown {
  const env = RequestEnvelopeSchema.safeParse(msg);
  if (!env.success) return { kind: 'reply', id: '', ok: false, error: { code: 'bad_message', message: 'bad envelope' } };
  const { id, method } = env.data;
  if (engineState !== 'ready') return { kind: 'reply', id, ok: false, error: { code: 'engine_unavailable', message: 'The engine is restarting' } };
  if (!isMethodName(method)) return { kind: 'reply', id, ok: false, error: { code: 'unknown_method', message: method } };
  const p = methods[method].params.safeParse(env.data.params);
  if (!p.success) return { kind: 'reply', id, ok: false, error: { code: 'invalid_params', message: 'invalid params', details: p.error.issues } };
  try {
    const result = handlers[method](p.data);
    const r = (methods[method].result as import('zod').ZodType).safeParse(result);
    if (!r.success) {
      process.stderr.write(`[fake-host] invalid result for ${method}: ${r.error.message}\n`);
      return { kind: 'reply', id, ok: false, error: { code: 'internal', message: 'fake produced an invalid result' } };
    }
    return { kind: 'reply', id, ok: true, result };
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'internal';
    return { kind: 'reply', id, ok: false, error: { code, message: (e as Error).message } };
  }
}

async function body(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

const server = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname.startsWith('/__fake/')) {
      const b = await body(req);
      switch (url.pathname) {
        case '/__fake/offline':
          redemptionOnline = !b.offline;
          broadcast('status', status());
          break;
        case '/__fake/drop':
          for (const c of clients) c.terminate();
          break;
        case '/__fake/backlog':
          for (let i = 0; i < (b.n ?? 20); i++) enqueue(i % 5 === 0 ? 'nextengine' : 'smaregi', 'smaregi.stock.set', { productId: String(9000 + i), stock: i });
          for (let i = 0; i < (b.failed ?? 0); i++) enqueue('smaregi', 'smaregi.transaction', { productId: '99999', bad: true }, false);
          broadcast('sync.progress', progress());
          break;
        case '/__fake/engine':
          engineState = b.state;
          broadcast('engine.connection', { state: b.state, attempt: b.attempt ?? 1 });
          break;
        case '/__fake/scan':
          broadcast('scan.received', { raw: b.raw, source: 'hid-pos' });
          break;
      }
      res.writeHead(204).end();
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep)) return void res.writeHead(403).end();
    try {
      if (!(await stat(file)).isFile()) throw new Error();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(await readFile(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  })();
});

const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/ws' || url.searchParams.get('token') !== token) {
    socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      ws.send(JSON.stringify(handle(msg)));
    });
  });
});

server.listen(Number(arg('--port') ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`Register Companion UI: http://127.0.0.1:${port}/?token=${token}\n`);
});
void DEFAULT_SETTINGS;
