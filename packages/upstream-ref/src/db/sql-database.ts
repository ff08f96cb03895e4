/**
 * The one database surface the reference upstream is written against. SQL is written once, with `?`
 * placeholders, in the subset SQLite and PostgreSQL agree on; each adapter deals with its own
 * driver's differences (placeholder style, transactions, unique-violation errors).
 */

export type SqlValue = string | number | null;

/**
 * How hard a commit is kept. `durable` (the default): on disk before the call returns. `relaxed`:
 * a power loss or an operating-system crash may undo the last relaxed commits (whole commits, never
 * a part, and never because the upstream process itself died); in exchange the commit does not
 * wait for the disk. Only for writes whose loss the protocol survives: see where it is used.
 * A database may keep a relaxed commit durably anyway.
 */
export type Durability = 'durable' | 'relaxed';

export interface WriteOptions {
  durability?: Durability;
}

export interface SqlDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** Every row; column names are lower-case snake_case, as PostgreSQL folds them. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /**
   * Runs a write and answers how many rows it changed. Inside a transaction `options` has no
   * effect: the transaction's commit is what is kept.
   */
  run(sql: string, params?: readonly SqlValue[], options?: WriteOptions): Promise<number>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Its
   * statements run one after another, even when `work` starts them together.
   */
  transaction<T>(work: (tx: SqlDatabase) => Promise<T>, options?: WriteOptions): Promise<T>;
  close(): Promise<void>;
}

/**
 * Where a database reports a failure no caller is waiting for (a pooled connection lost while idle,
 * the checkpoint worker gone). Pino's logger, and so Fastify's, fits.
 */
export interface DatabaseLog {
  error(details: { err: unknown }, message: string): void;
}

/** Without a logger: one line on stderr, so that such a failure is never silent. */
export const STDERR_DATABASE_LOG: DatabaseLog = {
  error: ({ err }, message) =>
    process.stderr.write(
      `upstream database: ${message}: ${err instanceof Error ? err.message : String(err)}\n`,
    ),
};

/** A write refused by a PRIMARY KEY or UNIQUE constraint, whichever database said so. */
export class UniqueViolationError extends Error {
  override readonly name = 'UniqueViolationError';
}

export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | { readonly dialect: 'postgres'; readonly url: string };

/** `sqlite:FILE`, `sqlite::memory:`, or a `postgres://` / `postgresql://` connection URL. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '')
      throw new DatabaseUrlError('sqlite: needs a file name (sqlite:var/upstream.db or sqlite::memory:)');
    return { dialect: 'sqlite', file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  throw new DatabaseUrlError(
    `unsupported database "${url}": use sqlite:FILE, sqlite::memory: or postgres://…`,
  );
}
