/**
 * Every query the reference upstream makes, written once in portable SQL over SqlDatabase. The
 * application holds an UpstreamRepository and never learns which database is behind it.
 */
import type { SqlDatabase, WriteOptions } from '../db/sql-database.ts';
import type {
  AccessLogEntry,
  Checkup,
  Consent,
  ConsentItem,
  InsuredPerson,
  Insurer,
  Kiosk,
  LimitCertificate,
  Medication,
  NonceOutcome,
  StoredAnswer,
  Visit,
} from './records.ts';

type Row = Record<string, string | number | null>;

const flag = (value: unknown) => Number(value) === 1;

const propertyNames = new Map<string, string>();

/** Column names as property names: `device_cert_sha256` → `deviceCertSha256`. */
function camel<T>(row: Row): T {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    let name = propertyNames.get(key);
    if (name === undefined) {
      name = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      // Column names come from the schema, a fixed few: the map cannot grow past them.
      propertyNames.set(key, name);
    }
    out[name] = row[key];
  }
  return out as T;
}

export class UpstreamRepository {
  constructor(readonly db: SqlDatabase) {}

  /** `work` sees a repository bound to one transaction: all of it is kept, or none. */
  transaction<T>(work: (repo: UpstreamRepository) => Promise<T>, options?: WriteOptions): Promise<T> {
    return this.db.transaction((tx) => work(new UpstreamRepository(tx)), options);
  }

  // Nonces ------------------------------------------------------------------------------------------

  /**
   * Relaxed: a nonce lost to a power cut was never used by anyone; the kiosk that holds it gets
   * nonce-unknown and asks for another.
   */
  async issueNonce(nonce: string, client: string, issuedAt: string, expiresAt: string): Promise<void> {
    await this.db.run(
      'INSERT INTO nonces (nonce, client, issued_at, expires_at) VALUES (?, ?, ?, ?)',
      [nonce, client, issuedAt, expiresAt],
      { durability: 'relaxed' },
    );
  }

  /**
   * One conditional UPDATE marks the nonce used, so of two requests racing with the same nonce
   * exactly one wins on either database; the loser learns why from the row afterwards.
   */
  async consumeNonce(nonce: string, client: string, now: string): Promise<NonceOutcome> {
    const changed = await this.db.run(
      'UPDATE nonces SET used_at = ? WHERE nonce = ? AND client = ? AND used_at IS NULL AND expires_at > ?',
      [now, nonce, client, now],
    );
    if (changed === 1) return 'consumed';
    const row = await this.db.get<Row>('SELECT client, expires_at, used_at FROM nonces WHERE nonce = ?', [
      nonce,
    ]);
    // A nonce handed to another kiosk is as good as unknown to this one.
    if (!row || row.client !== client) return 'unknown';
    if (row.used_at !== null) return 'replayed';
    return 'expired';
  }

  // Revocation and kiosks ---------------------------------------------------------------------------

  /**
   * What every request asks before anything else, in one query: whether the client certificate is
   * revoked and, for a kiosk, whether the kiosk is.
   */
  async clientStanding(
    issuerSha256: string,
    serial: string,
    kioskId: string | null,
  ): Promise<{ certificateRevoked: boolean; kioskRevoked: boolean }> {
    const row = await this.db.get<Row>(
      `SELECT CASE WHEN EXISTS (SELECT 1 FROM revoked_certificates WHERE issuer_sha256 = ? AND serial = ?)
         THEN 1 ELSE 0 END AS certificate_revoked,
       CASE WHEN EXISTS (SELECT 1 FROM kiosks WHERE kiosk_id = ? AND revoked_at IS NOT NULL)
         THEN 1 ELSE 0 END AS kiosk_revoked`,
      [issuerSha256, serial.toUpperCase(), kioskId],
    );
    return { certificateRevoked: flag(row?.certificate_revoked), kioskRevoked: flag(row?.kiosk_revoked) };
  }

  async isRevoked(issuerSha256: string, serial: string): Promise<boolean> {
    const row = await this.db.get<Row>(
      'SELECT serial FROM revoked_certificates WHERE issuer_sha256 = ? AND serial = ?',
      [issuerSha256, serial.toUpperCase()],
    );
    return row !== undefined;
  }

  /** Answers false when the certificate was already revoked (the first revocation stands). */
  async revokeCertificate(entry: {
    issuerSha256: string;
    serial: string;
    /** Which CA's register: the card CRL, or the upstream CA's own (clients and devices). */
    kind: 'card' | 'upstream';
    reason: string;
    at: string;
  }): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO revoked_certificates (issuer_sha256, serial, kind, reason, revoked_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [entry.issuerSha256, entry.serial.toUpperCase(), entry.kind, entry.reason, entry.at],
    );
    return changed === 1;
  }

  /** Registers a kiosk's device certificate, replacing an earlier one; a revoked kiosk stays revoked. */
  async registerKiosk(kiosk: Omit<Kiosk, 'revokedAt'>): Promise<void> {
    await this.db.run(
      `INSERT INTO kiosks (kiosk_id, device_cert_sha256, device_serial, registered_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (kiosk_id) DO UPDATE SET device_cert_sha256 = excluded.device_cert_sha256,
         device_serial = excluded.device_serial, registered_at = excluded.registered_at`,
      [kiosk.kioskId, kiosk.deviceCertSha256, kiosk.deviceSerial.toUpperCase(), kiosk.registeredAt],
    );
  }

  async kiosk(kioskId: string): Promise<Kiosk | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM kiosks WHERE kiosk_id = ?', [kioskId]);
    return row && camel<Kiosk>(row);
  }

  async revokeKiosk(kioskId: string, at: string): Promise<boolean> {
    return (
      (await this.db.run('UPDATE kiosks SET revoked_at = ? WHERE kiosk_id = ? AND revoked_at IS NULL', [
        at,
        kioskId,
      ])) === 1
    );
  }

  // Insured people ----------------------------------------------------------------------------------

  async personByCard(issuerSha256: string, serial: string): Promise<InsuredPerson | undefined> {
    const row = await this.db.get<Row>(
      `SELECT p.*, i.name AS insurer_name FROM card_certificates c
       JOIN insured_persons p ON p.person_ref = c.person_ref
       JOIN insurers i ON i.insurer_number = p.insurer_number
       WHERE c.issuer_sha256 = ? AND c.serial = ?`,
      [issuerSha256, serial.toUpperCase()],
    );
    return row && camel<InsuredPerson>(row);
  }

  async person(personRef: string): Promise<InsuredPerson | undefined> {
    const row = await this.db.get<Row>(
      `SELECT p.*, i.name AS insurer_name FROM insured_persons p
       JOIN insurers i ON i.insurer_number = p.insurer_number WHERE p.person_ref = ?`,
      [personRef],
    );
    return row && camel<InsuredPerson>(row);
  }

  /** Keeps the first registration time when asked again. */
  async registerInsuranceUse(personRef: string, at: string): Promise<string> {
    await this.db.run(
      `UPDATE insured_persons SET insurance_use_registered_at = ?
       WHERE person_ref = ? AND insurance_use_registered_at IS NULL`,
      [at, personRef],
    );
    const row = await this.db.get<Row>(
      'SELECT insurance_use_registered_at FROM insured_persons WHERE person_ref = ?',
      [personRef],
    );
    return String(row?.insurance_use_registered_at);
  }

  async limitCertificate(personRef: string): Promise<LimitCertificate | undefined> {
    const row = await this.db.get<Row>(
      `SELECT classification, classification_flag, issued_on, valid_from, valid_until
       FROM limit_certificates WHERE person_ref = ?`,
      [personRef],
    );
    return row && camel<LimitCertificate>(row);
  }

  async insurers(): Promise<Insurer[]> {
    const rows = await this.db.all<Row>('SELECT * FROM insurers ORDER BY insurer_number');
    return rows.map((row) => ({
      ...camel<Insurer>(row),
      checkupDataRegistered: flag(row.checkup_data_registered),
    }));
  }

  async medications(personRef: string): Promise<Medication[]> {
    const rows = await this.db.all<Row>(
      `SELECT dispensed_on, pharmacy, prescribing_institution, prescriber, drug_name, ingredient_name, dosage,
         quantity, unit, days FROM medications WHERE person_ref = ? ORDER BY dispensed_on DESC, id`,
      [personRef],
    );
    return rows.map((row) => ({ ...camel<Medication>(row), days: Number(row.days) }));
  }

  /** Only what insurers that registered check-up data have sent. */
  async checkups(personRef: string): Promise<Checkup[]> {
    const rows = await this.db.all<Row>(
      `SELECT c.kind, c.examined_on, c.insurer_number, c.results
       FROM checkups c JOIN insurers i ON i.insurer_number = c.insurer_number
       WHERE c.person_ref = ? AND i.checkup_data_registered = 1 ORDER BY c.examined_on DESC, c.id`,
      [personRef],
    );
    return rows.map((row) => ({
      ...camel<Checkup>(row),
      results: JSON.parse(String(row.results)) as Checkup['results'],
    }));
  }

  // Visits and consents -----------------------------------------------------------------------------

  async createVisit(visit: Visit): Promise<void> {
    await this.db.run(
      `INSERT INTO visits (visit_id, person_ref, kiosk_id, medical_institution_code, method, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [
        visit.visitId,
        visit.personRef,
        visit.kioskId,
        visit.medicalInstitutionCode,
        visit.method,
        visit.createdAt,
      ],
    );
  }

  async visit(visitId: string): Promise<Visit | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM visits WHERE visit_id = ?', [visitId]);
    return row && camel<Visit>(row);
  }

  async recordConsent(id: string, personRef: string, consent: Consent, recordedAt: string): Promise<void> {
    await this.db.run(
      `INSERT INTO consents (id, visit_id, person_ref, item, agreed, consented_at, valid_until, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        consent.visitId,
        personRef,
        consent.item,
        consent.agreed ? 1 : 0,
        consent.consentedAt,
        consent.validUntil,
        recordedAt,
      ],
    );
  }

  /** The patient's most recent answer for the item: a later refusal withdraws an earlier consent. */
  async latestConsent(personRef: string, item: ConsentItem): Promise<Consent | undefined> {
    const row = await this.db.get<Row>(
      `SELECT visit_id, item, agreed, consented_at, valid_until FROM consents WHERE person_ref = ? AND item = ?
       ORDER BY consented_at DESC, recorded_at DESC, id DESC LIMIT 1`,
      [personRef, item],
    );
    return row && { ...camel<Consent>(row), agreed: flag(row.agreed) };
  }

  // Access log --------------------------------------------------------------------------------------

  async logAccess(id: string, entry: AccessLogEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO access_log (id, person_ref, accessor, accessor_role, resource, granted, outcome, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        entry.personRef,
        entry.accessor,
        entry.accessorRole,
        entry.resource,
        entry.granted ? 1 : 0,
        entry.outcome,
        entry.at,
      ],
    );
  }

  async accessLog(personRef: string): Promise<AccessLogEntry[]> {
    const rows = await this.db.all<Row>(
      `SELECT person_ref, accessor, accessor_role, resource, granted, outcome, at
       FROM access_log WHERE person_ref = ? ORDER BY at, id`,
      [personRef],
    );
    return rows.map((row) => ({ ...camel<AccessLogEntry>(row), granted: flag(row.granted) }));
  }

  // Idempotency -------------------------------------------------------------------------------------

  async storedAnswer(client: string, endpoint: string, key: string): Promise<StoredAnswer | undefined> {
    const row = await this.db.get<Row>(
      `SELECT request_sha256, status, body FROM idempotency_keys
       WHERE client = ? AND endpoint = ? AND idempotency_key = ?`,
      [client, endpoint, key],
    );
    return (
      row && {
        requestSha256: String(row.request_sha256),
        status: Number(row.status),
        body: JSON.parse(String(row.body)),
      }
    );
  }

  /** Throws UniqueViolationError when another request stored an answer for the key first. */
  async storeAnswer(client: string, endpoint: string, key: string, answer: StoredAnswer, at: string) {
    await this.db.run(
      `INSERT INTO idempotency_keys (client, endpoint, idempotency_key, request_sha256, status, body, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [client, endpoint, key, answer.requestSha256, answer.status, JSON.stringify(answer.body), at],
    );
  }
}
