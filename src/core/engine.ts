import { join } from 'node:path';
import {
  ContractError,
  RequestEnvelopeSchema,
  isMethodName,
  methods,
  type EventData,
  type EventEnvelope,
  type EventName,
  type MethodName,
  type ParamsIn,
  type ReplyEnvelope,
  type Result,
} from '../shared/contract';
import type { SecretKey } from '../shared/contract/settings';
import { createCatalog } from './catalog';
import { createGifteeChannel } from './channels/giftee';
import { createSmaregiChannel } from './channels/smaregi';
import { createConnectivityMonitor } from './connectivity';
import { resolveConfigs, type DemoInfo, type EngineContext, type EngineModule, type Handlers } from './context';
import { DB_FILE, isStorageError, openDatabase, type Db } from './db';
import { createIntakeGuard } from './intake';
import { lockDataDir, type DataDirLock } from './lock';
import { createLogger, type Logger } from './log';
import { createOutbox } from './outbox';
import { createRedemption } from './redemption';
import { createScanner } from './scan';
import { createKeytarStore, type SecretStore } from './secrets';
import { createSettingsModule } from './settings/module';
import { createSettingsStore } from './settings';
import { createStatusModule } from './status';
import { APP_VERSION } from './version';

/** A catalog older than this is refreshed by `settle` (the app refreshes it on this period). */
const CATALOG_STALE_MS = 10 * 60_000;

export interface EngineOptions {
  dataDir: string;
  /** 'auto': start the built-in simulators with demo data when Smaregi is not configured. */
  demo?: 'auto' | 'off';
  /** Demo seed override (tests). */
  demoSeed?: unknown;
  secrets?: SecretStore;
  log?: Logger;
  /** Who holds the data-dir lock: 'app', 'cli', ... (shown to a second process). */
  owner?: string;
  logToStderr?: boolean;
  /** Skip background timers (CLI one-shot commands start what they need). */
  background?: boolean;
}

export interface Engine {
  readonly ctx: EngineContext;
  /** Typed call, as the CLI uses it. Throws ContractError on failure. */
  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M>>;
  /** Handles one raw message from a host: always answers, never throws. */
  handle(message: unknown): Promise<ReplyEnvelope>;
  onEvent(listener: (event: EventEnvelope) => void): () => void;
  /**
   * For one-shot engines (the CLI), what the background would have done by now: probe connectivity,
   * load the catalog if it is missing or older than its refresh period, and settle redemptions a
   * crash left open (a consumed ticket gets its sale recorded).
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

function errorReply(id: string, err: unknown, log: Logger): ReplyEnvelope {
  if (err instanceof ContractError) return { kind: 'reply', id, ok: false, error: { code: err.code, message: err.message, details: err.details } };
  if (isStorageError(err)) {
    return { kind: 'reply', id, ok: false, error: { code: 'storage_full', message: `The data folder cannot be written (${(err as Error).message}); nothing was changed.` } };
  }
  log.error('handler failed', { err });
  return { kind: 'reply', id, ok: false, error: { code: 'internal', message: (err as Error)?.message ?? String(err) } };
}

async function startDemoSimulators(seed: unknown): Promise<{ info: DemoInfo; close(): Promise<void> }> {
  // Loaded only in demo mode: a configured store never starts the simulators.
  const sim = await import('../sim/index');
  const running = await sim.startSimulators(seed ? { seed: seed as never } : {});
  return { info: { urls: running.urls as Record<string, string> }, close: () => running.close() };
}

/**
 * Builds the engine on a data folder: takes the folder's lock, opens and migrates the database,
 * wires every concern, starts them. Used by the engine process (`main.ts`) and in-process by the CLI.
 */
export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const lock: DataDirLock = lockDataDir(opts.dataDir, opts.owner ?? 'engine');
  const cleanups: Array<() => void | Promise<void>> = [() => lock.release()];
  try {
    const log = opts.log ?? createLogger({ dir: join(opts.dataDir, 'logs'), stderr: opts.logToStderr });
    const db: Db = openDatabase(join(opts.dataDir, DB_FILE));
    cleanups.push(() => void db.close());
    const settings = createSettingsStore(db);
    const secretStore = opts.secrets ?? createKeytarStore();

    let demoSims: { info: DemoInfo; close(): Promise<void> } | null = null;
    if ((opts.demo ?? 'auto') === 'auto' && !settings.get().smaregi.apiBaseUrl) {
      demoSims = await startDemoSimulators(opts.demoSeed);
      cleanups.push(() => demoSims?.close());
      log.info('demo mode: simulators started', { urls: demoSims.info.urls });
    }

    const listeners = new Set<(e: EventEnvelope) => void>();
    const secret = async (key: SecretKey) => {
      const v = await secretStore.get(key);
      if (v) log.redact(v);
      return v;
    };
    const configs = resolveConfigs(settings, demoSims?.info ?? null, secret);
    const ctx: EngineContext = {
      db,
      dataDir: opts.dataDir,
      log,
      settings,
      secrets: secretStore,
      appVersion: APP_VERSION,
      demo: configs.demo,
      emit<E extends EventName>(event: E, data: EventData<E>) {
        const env: EventEnvelope = { kind: 'event', event, data };
        for (const l of listeners) l(env);
      },
      now: () => new Date(),
      smaregiConfig: configs.smaregi,
      gifteeConfig: configs.giftee,
      secret,
      intake: createIntakeGuard(log),
    };

    const smaregi = createSmaregiChannel(ctx);
    const giftee = createGifteeChannel(ctx);
    const channels = [smaregi, giftee];
    const connectivity = createConnectivityMonitor(ctx, channels);
    const outbox = createOutbox(ctx, { channels, connectivity });
    const catalog = createCatalog(ctx, { smaregi });
    const scanner = createScanner(ctx);
    const redemption = createRedemption(ctx, { catalog, giftee, connectivity, outbox });
    const settingsModule = createSettingsModule(ctx, channels);
    const status = createStatusModule(ctx, { connectivity, outbox, scanner, catalog });
    const flushModule: EngineModule = {
      name: 'flush',
      handlers: { 'engine.flush': ({ timeoutMs }) => outbox.flush(timeoutMs) },
    };

    const modules: EngineModule[] = [connectivity, outbox, catalog, scanner, redemption, settingsModule, status, flushModule];
    const handlers: Partial<Handlers> = {};
    for (const m of modules) Object.assign(handlers, m.handlers);

    // Background work starts only in a long-lived engine; every module still gets stopped, since a
    // one-shot engine takes resources too (the drain lease of a `sync now`).
    for (const m of modules) {
      if (opts.background !== false) await m.start?.();
      if (m.stop) cleanups.push(() => m.stop?.());
    }

    async function dispatch(method: MethodName, rawParams: unknown): Promise<unknown> {
      const spec = methods[method];
      const parsed = spec.params.safeParse(rawParams ?? {});
      if (!parsed.success) {
        throw new ContractError(
          'invalid_params',
          `${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`,
          parsed.error.issues,
        );
      }
      const handler = handlers[method] as ((p: unknown) => unknown) | undefined;
      if (!handler) throw new ContractError('unknown_method', `${method} is not available in this version`);
      const result = await handler(parsed.data);
      return spec.result.parse(result);
    }

    let stopped = false;
    return {
      ctx,
      async call(method, params) {
        return (await dispatch(method, params)) as never;
      },
      async handle(message) {
        const env = RequestEnvelopeSchema.safeParse(message);
        const id = typeof (message as { id?: unknown })?.id === 'string' ? (message as { id: string }).id : '';
        if (!env.success) {
          log.warn('malformed message', { issues: env.error.issues.map((i) => i.message) });
          return { kind: 'reply', id, ok: false, error: { code: 'bad_message', message: 'Malformed message: expected {kind:"request", id, method, params}' } };
        }
        const { method } = env.data;
        if (!isMethodName(method)) {
          log.warn('unknown method', { method });
          return { kind: 'reply', id, ok: false, error: { code: 'unknown_method', message: `Unknown method: ${method}` } };
        }
        try {
          return { kind: 'reply', id, ok: true, result: await dispatch(method, env.data.params) };
        } catch (err) {
          return errorReply(id, err, log);
        }
      },
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async settle() {
        await connectivity.checkNow();
        const refreshed = catalog.status().refreshedAt;
        if (refreshed === null || Date.now() - Date.parse(refreshed) > CATALOG_STALE_MS) await catalog.refresh().catch(() => undefined);
        await redemption.resolveOpen();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        for (const c of cleanups.reverse()) {
          try {
            await c();
          } catch (err) {
            log.warn('cleanup failed', { err });
          }
        }
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        /* best effort */
      }
    }
    throw err;
  }
}
