import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type SqlDatabase, type SqlValue, UniqueViolationError } from './sql-database.ts';

/**
 * better-sqlite3 behind the async surface. There is one connection, so a transaction that awaits
 * would otherwise let another request's statements run inside it: every statement and every
 * transaction takes the connection in turn, and only the transaction's own handle bypasses the queue.
 */
export function openSqlite(file: string): SqlDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T> | T): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };

  const direct: Omit<SqlDatabase, 'transaction' | 'close'> = {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      translate(() => db.prepare(sql).all(...params) as T[]),
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      translate(() => db.prepare(sql).get(...params) as T | undefined),
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      translate(() => db.prepare(sql).run(...params).changes),
  };

  const nested = (): SqlDatabase => ({
    ...direct,
    transaction: (work) => work(nested()),
    close: () => Promise.reject(new Error('close the database, not a transaction')),
  });

  return {
    dialect: 'sqlite',
    all: (sql, params) => inTurn(() => direct.all(sql, params)),
    get: (sql, params) => inTurn(() => direct.get(sql, params)),
    run: (sql, params) => inTurn(() => direct.run(sql, params)),
    transaction: (work) =>
      inTurn(async () => {
        // IMMEDIATE takes the write lock at once, so a second process fails fast instead of mid-way.
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(nested());
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () =>
      inTurn(() => {
        if (db.open) db.close();
      }),
  };
}

function translate<T>(statement: () => T): T {
  try {
    return statement();
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
      throw new UniqueViolationError((error as Error).message, { cause: error });
    throw error;
  }
}
