import type Database from 'better-sqlite3';
import { base } from './001_base';
import { catalog } from './002_catalog';
import { redemption } from './003_redemption';
import { outbox } from './004_outbox';

export interface Migration {
  version: number;
  name: string;
  /** SQL, or a function for changes SQL alone cannot make. Runs inside a transaction. */
  up: string | ((db: Database.Database) => void);
}

/** Append only: a released migration is never edited, a new one is added. */
export const MIGRATIONS: readonly Migration[] = [base, catalog, redemption, outbox];
