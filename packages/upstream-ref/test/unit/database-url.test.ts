import { describe, expect, it } from 'vitest';
import { numberPlaceholders } from '../../src/db/postgres-placeholders.ts';
import { DatabaseUrlError, parseDatabaseUrl } from '../../src/db/sql-database.ts';

describe('numberPlaceholders', () => {
  it('numbers each ? in order', () => {
    expect(numberPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
    );
  });

  it('leaves question marks inside string literals and quoted identifiers alone', () => {
    expect(numberPlaceholders(`SELECT '?', 'it''s ?', "col?" FROM t WHERE x = ?`)).toBe(
      `SELECT '?', 'it''s ?', "col?" FROM t WHERE x = $1`,
    );
  });

  it('changes nothing without placeholders', () => {
    expect(numberPlaceholders('SELECT 1')).toBe('SELECT 1');
  });
});

describe('parseDatabaseUrl', () => {
  it('reads sqlite files, memory and postgres URLs', () => {
    expect(parseDatabaseUrl('sqlite:var/upstream.db')).toEqual({
      dialect: 'sqlite',
      file: 'var/upstream.db',
    });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({ dialect: 'postgres', url: 'postgres://u@h/db' });
    expect(parseDatabaseUrl('postgresql://u@h/db').dialect).toBe('postgres');
  });

  it('refuses anything else with the accepted forms named', () => {
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(DatabaseUrlError);
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/sqlite:FILE.*postgres/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/needs a file name/);
  });
});
