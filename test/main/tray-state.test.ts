import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineStatus, SyncProgress } from '../../src/shared/contract';
import { applyEngineEvent, trayIconFile, trayMenu, trayState, TRAY_ACTION_METHODS, type TrayStateName } from '../../src/main/tray-state';
import { EngineStatusSchema, isMethodName } from '../../src/shared/contract';

function status(over: { sync?: Partial<EngineStatus['sync']>; connectivity?: EngineStatus['connectivity']; intakeStopped?: EngineStatus['intakeStopped'] } = {}): EngineStatus {
  return EngineStatusSchema.parse({
    appVersion: '0.1.0',
    schemaVersion: 4,
    dataDir: '/tmp/x',
    demo: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    connectivity: over.connectivity ?? { smaregi: 'online', giftee: 'online' },
    redemptionOnline: true,
    sync: { paused: false, draining: false, pending: 0, failed: 0, ...over.sync },
    intakeStopped: over.intakeStopped ?? null,
    scanner: { state: 'none', device: null, message: null },
  });
}

describe('trayState', () => {
  it('is online with the pending count in the tooltip', () => {
    const v = trayState(status({ sync: { pending: 3 } }), 'ready');
    expect(v.state).toBe('online');
    expect(v.tooltip).toBe('Register Companion — オンライン・送信待ち 3件');
    expect(v.pendingCount).toBe(3);
    expect(v.connected).toBe(true);
  });

  it('is syncing while the outbox drains', () => {
    const v = trayState(status({ sync: { draining: true, pending: 12 } }), 'ready');
    expect(v.state).toBe('syncing');
    expect(v.tooltip).toBe('Register Companion — 同期中・送信待ち 12件');
  });

  it('is offline when Smaregi or giftee is offline, naming which', () => {
    expect(trayState(status({ connectivity: { smaregi: 'offline', giftee: 'online' } }), 'ready').tooltip).toBe(
      'Register Companion — オフライン（スマレジ）・送信待ち 0件',
    );
    const both = trayState(status({ connectivity: { smaregi: 'offline', giftee: 'offline' }, sync: { pending: 2 } }), 'ready');
    expect(both.state).toBe('offline');
    expect(both.tooltip).toBe('Register Companion — オフライン（スマレジ・giftee）・送信待ち 2件');
  });

  it('does not count "unknown" reachability as offline', () => {
    expect(trayState(status({ connectivity: { smaregi: 'unknown', giftee: 'unknown' } }), 'ready').state).toBe('online');
  });

  it('is offline while the engine is unreachable, keeping the last known count', () => {
    const start = trayState(null, 'connecting');
    expect(start.state).toBe('offline');
    expect(start.tooltip).toBe('Register Companion — オフライン（起動中）');
    expect(start.connected).toBe(false);
    const restarting = trayState(status({ sync: { pending: 5 } }), 'reconnecting');
    expect(restarting.state).toBe('offline');
    expect(restarting.tooltip).toBe('Register Companion — オフライン（再接続中）・送信待ち 5件');
    expect(restarting.connected).toBe(false);
    expect(trayState(status(), 'stopped').tooltip).toBe('Register Companion — オフライン（停止中）・送信待ち 0件');
  });

  it('needs attention when deliveries failed, intake stopped, or the engine cannot start', () => {
    const failed = trayState(status({ sync: { failed: 2, pending: 1 } }), 'ready');
    expect(failed.state).toBe('attention');
    expect(failed.failedCount).toBe(2);
    expect(failed.tooltip).toBe('Register Companion — 要確認（送信失敗 2件）・送信待ち 1件');
    const full = trayState(status({ intakeStopped: { code: 'storage_full', message: 'disk full' } }), 'ready');
    expect(full.state).toBe('attention');
    expect(full.tooltip).toBe('Register Companion — 要確認（データを保存できません）・送信待ち 0件');
    const fatal = trayState(null, 'fatal');
    expect(fatal.state).toBe('attention');
    expect(fatal.tooltip).toBe('Register Companion — 要確認（エンジンを起動できません）');
  });

  it('ranks attention over offline over syncing over online', () => {
    const everything = status({ sync: { failed: 1, draining: true }, connectivity: { smaregi: 'offline' } });
    expect(trayState(everything, 'ready').state).toBe('attention');
    expect(trayState(everything, 'reconnecting').state).toBe('attention');
    const offlineAndDraining = status({ sync: { draining: true }, connectivity: { giftee: 'offline' } });
    expect(trayState(offlineAndDraining, 'ready').state).toBe('offline');
    expect(trayState(status({ sync: { draining: true } }), 'reconnecting').state).toBe('offline');
    expect(trayState(status({ sync: { draining: true } }), 'ready').state).toBe('syncing');
  });

  it('says when sync is paused', () => {
    const v = trayState(status({ sync: { paused: true, pending: 4 } }), 'ready');
    expect(v.state).toBe('online');
    expect(v.paused).toBe(true);
    expect(v.tooltip).toBe('Register Companion — オンライン・同期一時停止中・送信待ち 4件');
  });
});

describe('applyEngineEvent', () => {
  const progress = (p: Partial<SyncProgress>): SyncProgress => ({
    paused: false,
    draining: true,
    remaining: 0,
    done: 0,
    etaSeconds: null,
    perTarget: [],
    ...p,
  });

  it('replaces the status on a valid status event and ignores an invalid one', () => {
    const s = status({ sync: { pending: 7 } });
    expect(applyEngineEvent(null, { kind: 'event', event: 'status', data: s })).toEqual(s);
    expect(applyEngineEvent(s, { kind: 'event', event: 'status', data: { nonsense: true } })).toBe(s);
  });

  it('updates the sync part from sync.progress, counting in-flight items as pending', () => {
    const s = status({ sync: { pending: 7 } });
    const next = applyEngineEvent(s, {
      kind: 'event',
      event: 'sync.progress',
      data: progress({
        draining: true,
        paused: false,
        perTarget: [
          { target: 'smaregi', pending: 2, inFlight: 1, failed: 1, sent: 10 },
          { target: 'giftee', pending: 1, inFlight: 0, failed: 0, sent: 3 },
        ],
      }),
    });
    expect(next?.sync).toEqual({ paused: false, draining: true, pending: 4, failed: 1 });
    expect(trayState(next, 'ready').state).toBe('attention');
    expect(next?.connectivity).toEqual(s.connectivity);
  });

  it('needs a status before progress means anything, and ignores other events', () => {
    expect(applyEngineEvent(null, { kind: 'event', event: 'sync.progress', data: progress({}) })).toBeNull();
    const s = status();
    expect(applyEngineEvent(s, { kind: 'event', event: 'engine.connection', data: { state: 'ready', attempt: 0 } })).toBe(s);
    expect(applyEngineEvent(s, { kind: 'event', event: 'sync.progress', data: { remaining: 'x' } })).toBe(s);
  });
});

describe('trayMenu', () => {
  const labels = (items: ReturnType<typeof trayMenu>) => items.map((i) => (i.type === 'separator' ? '---' : i.label));

  it('offers open, sync now, pause and quit, under a status line', () => {
    const items = trayMenu(trayState(status({ sync: { pending: 3 } }), 'ready'));
    expect(labels(items)).toEqual(['オンライン・送信待ち 3件', '---', '開く', '今すぐ同期', '同期を一時停止', '---', '終了']);
    expect(items.filter((i) => i.type === 'item' && i.action !== null).every((i) => i.type === 'item' && i.enabled)).toBe(true);
  });

  it('offers resume while paused, and no sync now', () => {
    const items = trayMenu(trayState(status({ sync: { paused: true } }), 'ready'));
    const byAction = Object.fromEntries(items.flatMap((i) => (i.type === 'item' && i.action ? [[i.action, i]] : [])));
    expect(byAction.resume?.label).toBe('同期を再開');
    expect(byAction.pause).toBeUndefined();
    expect(byAction['sync-now']?.enabled).toBe(false);
  });

  it('disables the sync actions while the engine is not answering, but never open or quit', () => {
    for (const conn of ['connecting', 'reconnecting', 'fatal'] as const) {
      const items = trayMenu(trayState(null, conn));
      for (const i of items) {
        if (i.type !== 'item' || !i.action) continue;
        expect(i.enabled).toBe(i.action === 'open' || i.action === 'quit');
      }
    }
  });

  it('maps the sync actions to contract methods', () => {
    expect(TRAY_ACTION_METHODS).toEqual({ 'sync-now': 'sync.now', pause: 'sync.pause', resume: 'sync.resume' });
    for (const m of Object.values(TRAY_ACTION_METHODS)) expect(isMethodName(m!)).toBe(true);
  });
});

describe('trayIconFile', () => {
  const states: TrayStateName[] = ['online', 'offline', 'syncing', 'attention'];

  it('picks the theme variant, and template images on macOS except for attention', () => {
    expect(trayIconFile('online', { platform: 'win32', dark: true })).toEqual({ file: 'tray/online-dark.png', template: false });
    expect(trayIconFile('offline', { platform: 'linux', dark: false })).toEqual({ file: 'tray/offline-light.png', template: false });
    expect(trayIconFile('syncing', { platform: 'darwin', dark: true })).toEqual({ file: 'tray/syncingTemplate.png', template: true });
    expect(trayIconFile('attention', { platform: 'darwin', dark: true })).toEqual({ file: 'tray/attention-dark.png', template: false });
  });

  it('only names files that exist in resources/, with their @2x versions', () => {
    for (const state of states) {
      for (const platform of ['win32', 'darwin', 'linux'] as const) {
        for (const dark of [true, false]) {
          const { file } = trayIconFile(state, { platform, dark });
          expect(existsSync(join('resources', file)), file).toBe(true);
          expect(existsSync(join('resources', file.replace(/\.png$/, '@2x.png'))), file).toBe(true);
        }
      }
    }
  });
});
