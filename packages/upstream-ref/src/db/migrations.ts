import type { SqlDatabase } from './sql-database.ts';

/**
 * The upstream's schema, one list for both databases. Only types and statements that SQLite and
 * PostgreSQL read alike: TEXT, INTEGER, PRIMARY KEY, REFERENCES, UNIQUE, CREATE INDEX. Times are
 * ISO-8601 UTC strings with milliseconds, so text order is time order on both; flags are 0/1.
 * Steps are append-only: a released step is never edited, a change is a new step.
 */
export interface SchemaStep {
  readonly version: number;
  readonly statements: readonly string[];
}

export const SCHEMA_STEPS: readonly SchemaStep[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE insurers (
        insurer_number TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        checkup_data_registered INTEGER NOT NULL,
        checkup_registered_on TEXT
      )`,
      `CREATE TABLE insured_persons (
        person_ref TEXT PRIMARY KEY,
        fixture_id TEXT NOT NULL UNIQUE,
        insurer_number TEXT NOT NULL REFERENCES insurers (insurer_number),
        card_classification TEXT NOT NULL,
        card_symbol TEXT,
        card_number TEXT NOT NULL,
        card_branch TEXT,
        personal_family TEXT NOT NULL,
        name TEXT NOT NULL,
        name_kana TEXT NOT NULL,
        sex TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        address TEXT,
        post_number TEXT,
        contribution_ratio TEXT NOT NULL,
        preschool TEXT,
        qualified_from TEXT NOT NULL,
        qualified_until TEXT,
        insurance_use_registered_at TEXT
      )`,
      `CREATE TABLE card_certificates (
        issuer_sha256 TEXT NOT NULL,
        serial TEXT NOT NULL,
        person_ref TEXT NOT NULL REFERENCES insured_persons (person_ref),
        PRIMARY KEY (issuer_sha256, serial)
      )`,
      `CREATE TABLE medications (
        id TEXT PRIMARY KEY,
        person_ref TEXT NOT NULL REFERENCES insured_persons (person_ref),
        dispensed_on TEXT NOT NULL,
        pharmacy TEXT NOT NULL,
        prescribing_institution TEXT NOT NULL,
        prescriber TEXT NOT NULL,
        drug_name TEXT NOT NULL,
        ingredient_name TEXT NOT NULL,
        dosage TEXT NOT NULL,
        quantity TEXT NOT NULL,
        unit TEXT NOT NULL,
        days INTEGER NOT NULL
      )`,
      'CREATE INDEX medications_by_person ON medications (person_ref, dispensed_on)',
      `CREATE TABLE checkups (
        id TEXT PRIMARY KEY,
        person_ref TEXT NOT NULL REFERENCES insured_persons (person_ref),
        kind TEXT NOT NULL,
        examined_on TEXT NOT NULL,
        insurer_number TEXT NOT NULL REFERENCES insurers (insurer_number),
        results TEXT NOT NULL
      )`,
      'CREATE INDEX checkups_by_person ON checkups (person_ref, examined_on)',
      `CREATE TABLE limit_certificates (
        person_ref TEXT PRIMARY KEY REFERENCES insured_persons (person_ref),
        classification TEXT NOT NULL,
        classification_flag TEXT NOT NULL,
        issued_on TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL
      )`,
      `CREATE TABLE nonces (
        nonce TEXT PRIMARY KEY,
        client TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      )`,
      `CREATE TABLE kiosks (
        kiosk_id TEXT PRIMARY KEY,
        device_cert_sha256 TEXT NOT NULL,
        device_serial TEXT NOT NULL,
        registered_at TEXT NOT NULL,
        revoked_at TEXT
      )`,
      `CREATE TABLE revoked_certificates (
        issuer_sha256 TEXT NOT NULL,
        serial TEXT NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        revoked_at TEXT NOT NULL,
        PRIMARY KEY (issuer_sha256, serial)
      )`,
      `CREATE TABLE visits (
        visit_id TEXT PRIMARY KEY,
        person_ref TEXT NOT NULL REFERENCES insured_persons (person_ref),
        kiosk_id TEXT NOT NULL,
        medical_institution_code TEXT NOT NULL,
        method TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE TABLE consents (
        id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL REFERENCES visits (visit_id),
        person_ref TEXT NOT NULL REFERENCES insured_persons (person_ref),
        item TEXT NOT NULL,
        agreed INTEGER NOT NULL,
        consented_at TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      )`,
      'CREATE INDEX consents_by_person ON consents (person_ref, item, consented_at)',
      `CREATE TABLE idempotency_keys (
        client TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        request_sha256 TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (client, endpoint, idempotency_key)
      )`,
      `CREATE TABLE access_log (
        id TEXT PRIMARY KEY,
        person_ref TEXT NOT NULL,
        accessor TEXT NOT NULL,
        accessor_role TEXT,
        resource TEXT NOT NULL,
        granted INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        at TEXT NOT NULL
      )`,
      'CREATE INDEX access_log_by_person ON access_log (person_ref, at)',
    ],
  },
  {
    // The card itself (交付日, 有効期限) as results carry it; the insurer's name comes from insurers.
    version: 2,
    statements: [
      'ALTER TABLE insured_persons ADD COLUMN card_issued_on TEXT',
      'ALTER TABLE insured_persons ADD COLUMN card_expires_on TEXT',
    ],
  },
];

/**
 * Applies the steps not yet recorded, each in its own transaction with its record, so a failed step
 * leaves the database at the previous version. A database from newer software is refused.
 */
export async function migrate(db: SqlDatabase, steps: readonly SchemaStep[] = SCHEMA_STEPS): Promise<number> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const rows = await db.all<{ version: number }>('SELECT version FROM schema_version');
  const applied = new Set(rows.map((row) => Number(row.version)));
  const newest = Math.max(0, ...steps.map((step) => step.version));
  const unknown = [...applied].filter((version) => version > newest);
  if (unknown.length > 0)
    throw new Error(
      `the upstream database has schema version ${Math.max(...unknown)}, newer than this software (${newest})`,
    );
  let count = 0;
  for (const step of [...steps].sort((a, b) => a.version - b.version)) {
    if (applied.has(step.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of step.statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', [
        step.version,
        new Date().toISOString(),
      ]);
    });
    count += 1;
  }
  return count;
}
