import type { EventData, EventName, MethodName, Params, Result } from '../shared/contract';
import type { SecretKey } from '../shared/contract/settings';
import { SIM_CREDENTIALS } from '../sim/credentials';
import type { Db } from './db';
import type { Logger } from './log';
import type { SecretStore } from './secrets';
import type { SettingsStore } from './settings';

export type Handler<M extends MethodName> = (params: Params<M>) => Promise<Result<M>> | Result<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** One concern of the engine: the methods it answers, and what it starts and stops. */
export interface EngineModule {
  readonly name: string;
  readonly handlers?: Partial<Handlers>;
  start?(): void | Promise<void>;
  /** Called on shutdown in reverse order; must not throw. */
  stop?(): void | Promise<void>;
}

/** Built-in simulators started in demo mode (no Smaregi connection configured). */
export interface DemoInfo {
  urls: Record<string, string>;
}

export interface SmaregiConfig {
  idBaseUrl: string;
  apiBaseUrl: string;
  contractId: string;
  clientId: string;
  clientSecret(): Promise<string | null>;
  storeId: string;
  terminalId: string;
}

export interface GifteeConfig {
  baseUrl: string;
  accessToken(): Promise<string | null>;
  storeId: string;
  terminalId: string;
}

/** Everything a module may use. Built once per engine by `createEngine`. */
export interface EngineContext {
  readonly db: Db;
  readonly dataDir: string;
  readonly log: Logger;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly appVersion: string;
  /** Demo mode: simulators in use because no Smaregi connection is configured (decided afresh on each call). */
  demo(): DemoInfo | null;
  emit<E extends EventName>(event: E, data: EventData<E>): void;
  now(): Date;
  /** Effective connection settings, with demo mode and simulator credentials resolved; null = not configured. */
  smaregiConfig(): SmaregiConfig | null;
  gifteeConfig(): GifteeConfig | null;
  /** Reads a secret from the keychain (registering it with the log's redaction). */
  secret(key: SecretKey): Promise<string | null>;
  /** Storage trouble (SQLITE_FULL, read-only folder): stops intake until cleared. */
  readonly intake: IntakeGuard;
}

export interface IntakeGuard {
  stopped(): { code: string; message: string } | null;
  /** Runs a write; a storage error stops intake and is rethrown as a clear ContractError. */
  write<T>(fn: () => T): T;
  /** Try again after the manager freed space. */
  clear(): void;
}

/** Resolves where each system lives: demo simulators, or the stored settings (+ keychain secrets). */
export function resolveConfigs(
  settings: SettingsStore,
  demoSims: DemoInfo | null,
  secret: (key: SecretKey) => Promise<string | null>,
): { demo(): DemoInfo | null; smaregi(): SmaregiConfig | null; giftee(): GifteeConfig | null } {
  // Demo mode lasts while no Smaregi connection is configured; configuring one leaves it at once.
  const demoNow = (): DemoInfo | null => (demoSims && !settings.get().smaregi.apiBaseUrl ? demoSims : null);
  return {
    demo: demoNow,
    smaregi() {
      const demo = demoNow();
      const s = settings.get().smaregi;
      const storeId = s.storeId || '1';
      const terminalId = s.terminalId || '1';
      if (demo) {
        const url = demo.urls.smaregi;
        const c = SIM_CREDENTIALS.smaregi;
        return { idBaseUrl: url, apiBaseUrl: url, contractId: c.contractId, clientId: c.clientId, clientSecret: async () => c.clientSecret, storeId, terminalId };
      }
      if (!s.apiBaseUrl || !s.idBaseUrl || !s.contractId || !s.clientId) return null;
      const sim = s.credentialSource === 'simulator';
      return {
        idBaseUrl: s.idBaseUrl,
        apiBaseUrl: s.apiBaseUrl,
        contractId: s.contractId,
        clientId: s.clientId,
        clientSecret: sim ? async () => SIM_CREDENTIALS.smaregi.clientSecret : () => secret('smaregi.clientSecret'),
        storeId,
        terminalId,
      };
    },
    giftee() {
      const demo = demoNow();
      const s = settings.get();
      const storeId = s.smaregi.storeId || '1';
      const terminalId = s.smaregi.terminalId || '1';
      if (demo) return { baseUrl: demo.urls.giftee, accessToken: async () => SIM_CREDENTIALS.giftee.accessToken, storeId, terminalId };
      if (!s.giftee.baseUrl) return null;
      const sim = s.giftee.credentialSource === 'simulator';
      return {
        baseUrl: s.giftee.baseUrl,
        accessToken: sim ? async () => SIM_CREDENTIALS.giftee.accessToken : () => secret('giftee.accessToken'),
        storeId,
        terminalId,
      };
    },
  };
}
