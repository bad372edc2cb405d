import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ContractError } from '../../shared/contract/envelope';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DB_FILE = 'register-companion.sqlite';

/** Thrown when the file was written by a newer app: we refuse rather than "repair" it. */
export class SchemaTooNewError extends ContractError {
  constructor(found: number, known: number) {
    super(
      'schema_too_new',
      `The database was written by a newer version of Register Companion (schema ${found}; this version knows up to ${known}). ` +
        'Install the newer version again; the data has not been changed.',
    );
  }
}

/**
 * Opens the engine's database: WAL (readers never block the writer), synchronous=FULL (a committed
 * sale survives a power cut), foreign keys on, then runs pending migrations in one transaction each.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 32 MB page cache: bulk enqueues and catalog refreshes stay in memory until commit.
    db.pragma('cache_size = -32000');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const known = latestVersion(migrations);
  const from = schemaVersion(db);
  if (from > known) throw new SchemaTooNewError(from, known);
  const pending = [...migrations].filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: schemaVersion(db) };
}

/** SQLITE_FULL / read-only folder: the data folder cannot take more writes. */
export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return code === 'SQLITE_FULL' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_') || code === 'SQLITE_CANTOPEN';
}
