import { ContractError } from '../shared/contract/envelope';
import { isStorageError } from './db';
import type { IntakeGuard } from './context';
import type { Logger } from './log';

/**
 * Stops taking new changes when the data folder is full or read-only. Whatever was already
 * committed stays intact (SQLite rolls the failed transaction back); the manager sees why.
 */
export function createIntakeGuard(log: Logger): IntakeGuard {
  let stopped: { code: string; message: string } | null = null;
  return {
    stopped: () => stopped,
    clear: () => {
      stopped = null;
    },
    write<T>(fn: () => T): T {
      try {
        const out = fn();
        stopped = null;
        return out;
      } catch (err) {
        if (!isStorageError(err)) throw err;
        const code = (err as { code?: string }).code ?? 'SQLITE_FULL';
        const full = code === 'SQLITE_FULL';
        stopped = {
          code,
          message: full
            ? 'データフォルダの空き容量がありません。新しい処理を止めました（送信待ちのデータは失われていません） / The data folder is full: new changes are refused; queued changes are safe.'
            : 'データフォルダに書き込めません。新しい処理を止めました（送信待ちのデータは失われていません） / The data folder cannot be written: new changes are refused; queued changes are safe.',
        };
        log.error('storage error: intake stopped', { code });
        throw new ContractError('storage_full', stopped.message, { code });
      }
    },
  };
}
