import type { EngineStatus } from '../../shared/contract/status';
import type { Catalog } from '../catalog';
import type { ConnectivityMonitor } from '../connectivity';
import type { EngineContext, EngineModule } from '../context';
import { schemaVersion } from '../db';
import type { Outbox } from '../outbox';
import type { Scanner } from '../scan';

/** status.get and the `status` event: one snapshot of everything the tray and banners show. */
export function createStatusModule(
  ctx: EngineContext,
  deps: { connectivity: ConnectivityMonitor; outbox: Outbox; scanner: Scanner; catalog: Catalog },
): EngineModule & { snapshot(): EngineStatus; publish(): void } {
  const startedAt = ctx.now().toISOString();
  let last = '';
  let timer: NodeJS.Timeout | null = null;

  function snapshot(): EngineStatus {
    const p = deps.outbox.progress();
    const pending = p.perTarget.reduce((n, t) => n + t.pending + t.inFlight, 0);
    const failed = p.perTarget.reduce((n, t) => n + t.failed, 0);
    return {
      appVersion: ctx.appVersion,
      schemaVersion: schemaVersion(ctx.db),
      dataDir: ctx.dataDir,
      demo: ctx.demo() !== null,
      demoSims: ctx.demo()?.urls ?? null,
      startedAt,
      connectivity: deps.connectivity.snapshot() as Record<string, EngineStatus['connectivity'][string]>,
      redemptionOnline: deps.connectivity.isOnline('giftee'),
      sync: { paused: p.paused, draining: p.draining, pending, failed },
      intakeStopped: ctx.intake.stopped(),
      scanner: deps.scanner.status(),
    };
  }

  /** Emits `status` only when something changed (checked cheaply on a short timer and on demand). */
  function publish() {
    const s = snapshot();
    const key = JSON.stringify({ ...s, startedAt: '' });
    if (key === last) return;
    last = key;
    ctx.emit('status', s);
  }

  return {
    name: 'status',
    snapshot,
    publish,
    handlers: { 'status.get': () => snapshot() },
    start() {
      deps.connectivity.onChange(() => publish());
      ctx.settings.onChange(() => publish());
      timer = setInterval(publish, 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
