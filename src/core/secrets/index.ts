import { createRequire } from 'node:module';
import { ContractError } from '../../shared/contract/envelope';
import type { SecretKey } from '../../shared/contract/settings';

export const KEYCHAIN_SERVICE = 'register-companion';

/**
 * The only door to secrets. Values go to and come from the OS keychain; nothing else in the engine
 * stores them. There is deliberately no plaintext fallback.
 */
export interface SecretStore {
  readonly kind: string;
  get(key: SecretKey): Promise<string | null>;
  set(key: SecretKey, value: string): Promise<void>;
  delete(key: SecretKey): Promise<void>;
  /** Whether the keychain can be used at all, and if not why (shown in Settings). */
  check(): Promise<{ available: boolean; message: string | null }>;
}

export class SecretStoreUnavailable extends ContractError {
  constructor(cause: string) {
    super(
      'secret_store_unavailable',
      `The OS keychain cannot be used, so secrets cannot be saved (${cause}). ` +
        'On Linux, start a Secret Service (e.g. gnome-keyring) in the desktop session; nothing was written.',
    );
  }
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

function loadKeytar(): Keytar {
  // keytar is a CommonJS native module; load it lazily so a missing library is a clear error, not a crash.
  const require = createRequire(import.meta.url);
  return require('keytar') as Keytar;
}

function short(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0].slice(0, 200);
}

/** keytar-backed store (macOS Keychain, Windows Credential Manager, Linux Secret Service). */
export function createKeytarStore(service = KEYCHAIN_SERVICE): SecretStore {
  let keytar: Keytar | null = null;
  const kt = (): Keytar => {
    if (keytar) return keytar;
    try {
      keytar = loadKeytar();
      return keytar;
    } catch (err) {
      throw new SecretStoreUnavailable(short(err));
    }
  };
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SecretStoreUnavailable) throw err;
      throw new SecretStoreUnavailable(short(err));
    }
  };
  return {
    kind: 'keytar',
    get: (key) => guard(() => kt().getPassword(service, key)),
    set: (key, value) => guard(() => kt().setPassword(service, key, value)),
    delete: (key) => guard(async () => void (await kt().deletePassword(service, key))),
    async check() {
      try {
        await kt().findCredentials(service);
        return { available: true, message: null };
      } catch (err) {
        return { available: false, message: (err instanceof SecretStoreUnavailable ? err : new SecretStoreUnavailable(short(err))).message };
      }
    },
  };
}

/** In-memory store for unit tests of code that needs one (never used by the app). */
export function createMemorySecretStore(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    kind: 'memory',
    values,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
    check: async () => ({ available: true, message: null }),
  };
}

/** What the renderer may see of a secret after saving. */
export function maskSecret(value: string | null): { set: boolean; masked: string } {
  if (!value) return { set: false, masked: '' };
  const tail = value.length >= 12 ? value.slice(-2) : '';
  return { set: true, masked: '•'.repeat(8) + tail };
}
