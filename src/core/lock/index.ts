import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError } from '../../shared/contract/envelope';

export const LOCK_FILE = 'engine.lock';

export interface DataDirLock {
  release(): void;
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One engine per data folder: the app and a CLI command must never open the same database twice.
 * The lock file holds the owner's pid; a lock whose owner died (crash, SIGKILL) is taken over.
 */
export function lockDataDir(dataDir: string, owner: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, JSON.stringify({ pid: process.pid, owner, at: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            const held = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
            if (held.pid === process.pid) rmSync(file, { force: true });
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let held: { pid?: number; owner?: string } = {};
      try {
        held = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        /* half-written by a process that died: stale */
      }
      if (held.pid && processAlive(held.pid)) {
        throw new ContractError(
          'data_dir_in_use',
          `The data folder ${dataDir} is in use by a running Register Companion (${held.owner ?? 'engine'}, pid ${held.pid}). ` +
            'Close the app first, or point --data-dir at another folder.',
          { pid: held.pid, owner: held.owner ?? null },
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new ContractError('data_dir_in_use', `Could not take the lock on ${dataDir}`);
}
