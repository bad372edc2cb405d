import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestVersion, openDatabase, schemaVersion, SchemaTooNewError } from '../../src/core/db';
import { MIGRATIONS } from '../../src/core/db/migrations';

describe('migrations', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rc-mig-'));
    file = join(dir, 'db.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a fresh database at the latest version with WAL, FULL sync and foreign keys', () => {
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['settings', 'meta', 'outbox', 'sync_history', 'sync_cursors']));
    db.close();
  });

  it('upgrades an older database in place and keeps its data', () => {
    const old = openDatabase(file, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(old)).toBe(1);
    old.prepare("INSERT INTO settings(section, value, updated_at) VALUES ('register', '{\"rounding\":\"ceil\"}', 'x')").run();
    old.close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(db.prepare("SELECT value FROM settings WHERE section = 'register'").get()).toEqual({ value: '{"rounding":"ceil"}' });
    db.close();
  });

  it('runs each migration in a transaction: a failing one leaves the previous version intact', () => {
    openDatabase(file, MIGRATIONS.slice(0, 1)).close();
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', up: 'CREATE TABLE t(x); SELECT * FROM no_such_table;' }];
    expect(() => openDatabase(file, broken)).toThrow(/no_such_table/);
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('refuses a database written by a newer version, with a clear message, and changes nothing', () => {
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    let err: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaTooNewError);
    expect((err as Error).message).toMatch(/newer version.*schema 999/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(999);
    again.close();
  });
});
