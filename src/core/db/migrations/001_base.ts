import type { Migration } from './index';

export const base: Migration = {
  version: 1,
  name: 'base',
  up: `
    -- Non-secret settings, one JSON value per section. Secrets live only in the OS keychain.
    CREATE TABLE settings (
      section TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    -- Small engine facts (install id, terminal transaction sequence, ...).
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
