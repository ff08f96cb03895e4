/**
 * The schema, as an ordered list of steps. A step is never edited once shipped: a change is a new
 * step at the end. Each step runs in its own transaction and is recorded in `schema_migrations`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'settings',
    sql: `
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;`,
  },
  {
    version: 2,
    name: 'audit log, append-only and hash-chained',
    sql: `
      CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        kind      TEXT NOT NULL,
        outcome   TEXT NOT NULL,
        data      TEXT NOT NULL CHECK (json_valid(data)),
        card      TEXT,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_at ON audit (at);
      -- The one way records leave the log: enforceRetention() opens this gate up to a seq, deletes
      -- the oldest records, records the anchor and closes it again, all in one transaction.
      CREATE TABLE audit_purge_gate (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        purge_upto INTEGER NOT NULL
      ) STRICT;
      INSERT INTO audit_purge_gate (id, purge_upto) VALUES (1, 0);
      -- After a purge the chain starts from the hash of the last purged record.
      CREATE TABLE chain_anchor (
        id        INTEGER PRIMARY KEY CHECK (id = 1),
        after_seq INTEGER NOT NULL,
        hash      TEXT NOT NULL,
        at        TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
      BEGIN
        SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused');
      END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
      WHEN OLD.seq > (SELECT purge_upto FROM audit_purge_gate WHERE id = 1)
      BEGIN
        SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused outside the retention purge');
      END;`,
  },
  {
    version: 3,
    name: 'outbox',
    sql: `
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        kind            TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload         TEXT NOT NULL CHECK (json_valid(payload)),
        state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        next_attempt_ms INTEGER NOT NULL,
        last_error      TEXT,
        delivered_at    TEXT
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (state, next_attempt_ms);`,
  },
];
