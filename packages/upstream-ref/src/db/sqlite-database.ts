import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BoundedCache } from '@myna/protocol/bounded-cache.js';
import Database from 'better-sqlite3';
import {
  type DatabaseLog,
  type Durability,
  type SqlDatabase,
  type SqlValue,
  STDERR_DATABASE_LOG,
  UniqueViolationError,
  type WriteOptions,
} from './sql-database.ts';

/**
 * better-sqlite3 behind the async surface. There is one connection, so a transaction that awaits
 * would otherwise let another request's statements run inside it: every statement and every
 * transaction takes the connection in turn, and only the transaction's own handle bypasses the queue.
 *
 * Durability: better-sqlite3 is synchronous, so a commit that waits for fsync (a few milliseconds on
 * an ordinary disk) stops every request, not only its own. Under WAL, `synchronous = FULL` syncs the
 * log at each commit; `NORMAL` only at checkpoints, so a power loss or an OS crash (not a crash of
 * this process) may roll the database back to an earlier, consistent commit. The connection runs
 * under NORMAL, which the frequent relaxed writes want; a durable write switches to FULL for its
 * commit, which also syncs every relaxed commit before it. Checkpoints, which copy the log into the
 * database file and sync it, run in a worker thread on a connection of its own
 * (sqlite-checkpointer.mjs).
 */
export function openSqlite(
  file: string,
  options: { checkpointEveryMs?: number; log?: DatabaseLog } = {},
): SqlDatabase {
  const onDisk = file !== ':memory:';
  if (onDisk) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  if (onDisk) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const checkpointer = onDisk
    ? startCheckpointer(db, file, options.checkpointEveryMs ?? 250, options.log ?? STDERR_DATABASE_LOG)
    : undefined;

  // Preparing costs more than running most of these statements; the SQL is the application's own
  // text, a few dozen distinct strings, and the bound only guards against a caller that builds it.
  const statements = new BoundedCache<string, Database.Statement>(512);
  const prepared = (sql: string) => statements.getOrMake(sql, () => db.prepare(sql));

  /** Switches to FULL for a durable write; the answer switches back. */
  const keep = (durability: Durability | undefined): (() => void) => {
    if (!onDisk || durability === 'relaxed') return () => undefined;
    prepared('PRAGMA synchronous = FULL').run();
    return () => prepared('PRAGMA synchronous = NORMAL').run();
  };

  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T> | T): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };

  const direct: Omit<SqlDatabase, 'transaction' | 'close'> = {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      translate(() => prepared(sql).all(...params) as T[]),
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      translate(() => prepared(sql).get(...params) as T | undefined),
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      translate(() => prepared(sql).run(...params).changes),
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
    run: (sql, params, options?: WriteOptions) =>
      inTurn(() => {
        const restore = keep(options?.durability);
        try {
          return translate(() => prepared(sql).run(...(params ?? [])).changes);
        } finally {
          restore();
        }
      }),
    transaction: (work, options?: WriteOptions) =>
      inTurn(async () => {
        const restore = keep(options?.durability);
        try {
          // IMMEDIATE takes the write lock at once, so a second process fails fast instead of mid-way.
          prepared('BEGIN IMMEDIATE').run();
          try {
            const result = await work(nested());
            prepared('COMMIT').run();
            return result;
          } catch (error) {
            prepared('ROLLBACK').run();
            throw error;
          }
        } finally {
          restore();
        }
      }),
    close: () =>
      inTurn(async () => {
        if (db.open) db.close();
        await checkpointer?.stop();
      }),
  };
}

/**
 * Takes checkpointing off `db`'s thread. Should the worker not run, `db` checkpoints for itself again
 * (SQLite's default of every 1,000 pages), so the log never grows without end.
 */
function startCheckpointer(db: Database.Database, file: string, intervalMs: number, log: DatabaseLog) {
  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(new URL('./sqlite-checkpointer.mjs', import.meta.url), {
    workerData: { file, intervalMs },
  });
  // Closing the database stops it; a process that never closes must still be free to exit.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (err) => {
    log.error({ err }, 'the SQLite checkpoint worker stopped; the connection checkpoints for itself again');
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  return {
    stop: async () => {
      // Held while it closes: its last checkpoint is what empties the log.
      worker.ref();
      worker.postMessage('close');
      await exited;
    },
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
