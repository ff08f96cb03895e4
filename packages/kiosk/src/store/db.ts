import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

/** Exponential back-off for the outbox: delay = min(maxMs, baseMs · factor^(attempts−1)) ± jitter. */
export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  maxMs: number;
  /** 0 … 1: the delay is scaled by a factor drawn from [1 − jitter, 1 + jitter]. 0 = none. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, factor: 2, maxMs: 15 * 60_000, jitter: 0.2 };

export interface OpenStoreOptions {
  /** Milliseconds a writer waits for another connection's lock (default 5000). */
  busyTimeoutMs?: number;
  /** Refuse to create a new database file (the CLI reads an existing one). */
  mustExist?: boolean;
  backoff?: Partial<BackoffPolicy>;
  /** Random source for the back-off jitter; inject a fixed one in tests. */
  random?: () => number;
  /** Clock for records written without an explicit time; inject a fake one in tests. */
  now?: () => Date;
  /** The schema steps (tests only: a newer or broken list). */
  migrations?: readonly Migration[];
}

export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  readonly backoff: BackoffPolicy;
  readonly random: () => number;
  readonly now: () => Date;
  /**
   * `sql` prepared on this database once and kept until close: preparing costs more than running
   * most of the store's statements, and each visit runs the same few. For the store's own fixed SQL
   * text only (nothing built from values), which keeps the cache as small as that list.
   */
  statement(sql: string): Database.Statement;
  close(): void;
}

/** Setting keys the store itself uses. */
export const SETTING = {
  cardKey: 'audit.cardKey',
  auditRetentionDays: 'retention.auditDays',
  outboxRetentionDays: 'retention.outboxDeliveredDays',
} as const;

/**
 * Opens (creating if needed) the kiosk database: WAL, synchronous=FULL, foreign keys, busy timeout,
 * then the schema steps not yet applied. A database written by newer software is refused.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const memory = path === ':memory:';
  if (!memory) {
    if (!existsSync(path)) {
      if (options.mustExist) throw new StoreError('no-database', `no kiosk database at ${path}`);
      mkdirSync(dirname(path), { recursive: true });
    }
  }
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5_000))}`);
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? MIGRATIONS);
    const statements = new Map<string, Database.Statement>();
    const store: Store = {
      db,
      path,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      random: options.random ?? Math.random,
      now: options.now ?? (() => new Date()),
      statement: (sql) => {
        const kept = statements.get(sql);
        if (kept) return kept;
        const prepared = db.prepare(sql);
        statements.set(sql, prepared);
        return prepared;
      },
      close: () => {
        statements.clear();
        if (db.open) db.close();
      },
    };
    ensureCardKey(store);
    return store;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies the steps not yet recorded, each in its own transaction; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  const current = row.version ?? 0;
  if (current > latest)
    throw new StoreError(
      'schema-too-new',
      `the database schema is version ${current}, newer than this kiosk software knows (${latest}); update the kiosk software or use another database`,
    );
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const step of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(step.version)) continue;
    try {
      db.transaction(() => {
        db.exec(step.sql);
        record.run(step.version, step.name, new Date().toISOString());
      }).immediate();
    } catch (error) {
      throw new StoreError(
        'migration-failed',
        `schema step ${step.version} (${step.name}) failed: ${error instanceof Error ? error.message : error}`,
      );
    }
    applied.push(step.version);
  }
  return applied;
}

/** The versions recorded in `schema_migrations`, ascending. */
export function appliedMigrations(store: Store): number[] {
  return (
    store.statement('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
  ).map((r) => r.version);
}

export function getSetting<T = unknown>(store: Store, key: string): T | undefined;
export function getSetting<T>(store: Store, key: string, fallback: T): T;
export function getSetting<T>(store: Store, key: string, fallback?: T): T | undefined {
  const row = store.statement('SELECT value FROM settings WHERE key = ?').get(key) as
    | { value: string }
    | undefined;
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export function setSetting(store: Store, key: string, value: unknown): void {
  if (value === undefined) throw new StoreError('invalid-event', `setting ${key}: a value is required`);
  store
    .statement(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    .run(key, JSON.stringify(value));
}

/** The HMAC key for card references: 32 random bytes, generated once per database. */
export function cardKey(store: Store): Buffer {
  return Buffer.from(getSetting<string>(store, SETTING.cardKey) ?? ensureCardKey(store), 'hex');
}

function ensureCardKey(store: Store): string {
  store
    .statement('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)')
    .run(SETTING.cardKey, JSON.stringify(randomBytes(32).toString('hex')));
  return getSetting<string>(store, SETTING.cardKey)!;
}
