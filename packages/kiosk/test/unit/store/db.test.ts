import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  appliedMigrations,
  cardKey,
  getSetting,
  MIGRATIONS,
  openStore,
  SETTING,
  StoreError,
  setSetting,
} from '../../../src/store/index.ts';
import { useTempStores } from './helpers.ts';

const temp = useTempStores();

describe('openStore', () => {
  it('applies every migration once and records it', () => {
    const path = temp.path();
    const first = temp.open(path);
    expect(appliedMigrations(first)).toEqual(MIGRATIONS.map((m) => m.version));
    first.close();
    const again = temp.open(path);
    const rows = again.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toHaveLength(MIGRATIONS.length);
    expect(appliedMigrations(again)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const store = temp.open(temp.path(), { busyTimeoutMs: 1234 });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it('refuses a database newer than the code with a clear error', () => {
    const path = temp.path();
    temp.open(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')").run();
    raw.close();
    expect(() => openStore(path)).toThrowError(/schema is version 99, newer than this kiosk software knows/);
    try {
      openStore(path);
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('schema-too-new');
    }
  });

  it('runs a failing migration step in a transaction: nothing of it stays', () => {
    const path = temp.path();
    const broken = [
      ...MIGRATIONS,
      { version: 100, name: 'half', sql: 'CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;' },
    ];
    expect(() => openStore(path, { migrations: broken })).toThrowError(/schema step 100 \(half\) failed/);
    const store = temp.open(path);
    expect(appliedMigrations(store)).not.toContain(100);
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
  });

  it('refuses to create a file when mustExist is set', () => {
    expect(() => openStore(temp.path(), { mustExist: true })).toThrowError(/no kiosk database/);
  });

  it('works in memory too', () => {
    const store = openStore(':memory:');
    expect(appliedMigrations(store)).toHaveLength(MIGRATIONS.length);
    store.close();
  });
});

describe('settings', () => {
  it('keeps JSON values and survives reopening', () => {
    const path = temp.path();
    const store = temp.open(path);
    setSetting(store, 'ui.languages', ['ja', 'en']);
    expect(getSetting(store, 'missing', 7)).toBe(7);
    store.close();
    expect(getSetting(temp.open(path), 'ui.languages')).toEqual(['ja', 'en']);
  });

  it('generates the card key once, randomly, per database', () => {
    const path = temp.path();
    const a = temp.open(path);
    const key = cardKey(a);
    expect(key).toHaveLength(32);
    a.close();
    expect(cardKey(temp.open(path)).equals(key)).toBe(true);
    expect(cardKey(temp.open(temp.path())).equals(key)).toBe(false);
    expect(getSetting<string>(temp.open(path), SETTING.cardKey)).toMatch(/^[0-9a-f]{64}$/);
  });
});
