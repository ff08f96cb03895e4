import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from '@myna/protocol/canonical-json.js';
import { z } from 'zod';
import { cardKey, type Store } from './db.ts';
import { StoreError } from './errors.ts';
import { assertNoPii } from './pii.ts';

/** The `prevHash` of the first record ever written (before any retention purge). */
export const GENESIS_HASH = createHash('sha256').update('myna-kiosk audit genesis v1').digest('hex');

/** Hex characters of HMAC-SHA-256 kept in a card reference (128 bits). */
export const CARD_REF_HEX = 32;

export type AuditData = Record<string, unknown>;

export interface AuditRecord {
  seq: number;
  /** ISO 8601, UTC. */
  at: string;
  /** Event code, e.g. `card.placed`, `face.match`, `retention.purged`. */
  kind: string;
  /** Outcome code, e.g. `ok`, `failed`, `cancelled`. */
  outcome: string;
  /** Codes, counts and timings only. */
  data: AuditData;
  /** `cardRef()` of the card's certificate serial, or null. */
  card: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditEvent {
  kind: string;
  outcome: string;
  data?: AuditData;
  card?: string | null;
  /** Defaults to the store's clock. */
  at?: Date;
}

const code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9]*([._-][a-z0-9]+)*$/, 'a lower-case code such as "face.match"');

const eventSchema = z.strictObject({
  kind: code,
  outcome: code,
  data: z.record(z.string(), z.unknown()).optional(),
  card: z
    .string()
    .regex(new RegExp(`^[0-9a-f]{${CARD_REF_HEX}}$`), 'a cardRef() value')
    .nullable()
    .optional(),
  at: z.date().optional(),
});

/** Zod issues name the path and the rule; values are never echoed. */
export function describeIssues(error: z.ZodError, root: string): string {
  return error.issues
    .map((issue) => `${[root, ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ');
}

/** A card's stable, non-reversible reference: HMAC-SHA-256(key, certificate serial), hex-truncated. */
export function cardRef(serial: string | bigint | Buffer, key: Buffer | string): string {
  const normalized = Buffer.isBuffer(serial)
    ? serial.toString('hex')
    : typeof serial === 'bigint'
      ? serial.toString(16)
      : serial.replace(/[\s:]/g, '').toLowerCase();
  return createHmac('sha256', key).update(normalized).digest('hex').slice(0, CARD_REF_HEX);
}

/** `cardRef()` with this database's key. */
export function storeCardRef(store: Store, serial: string | bigint | Buffer): string {
  return cardRef(serial, cardKey(store));
}

/** SHA-256 over the canonical encoding of every field but the hash itself. */
export function recordHash(record: Omit<AuditRecord, 'hash'>): string {
  const encoded = canonicalJson([
    'kiosk-audit-v1',
    record.seq,
    record.at,
    record.kind,
    record.outcome,
    record.data,
    record.card,
    record.prevHash,
  ]);
  return createHash('sha256').update(encoded).digest('hex');
}

interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  outcome: string;
  data: string;
  card: string | null;
  prev_hash: string;
  hash: string;
}

const fromRow = (row: AuditRow): AuditRecord => ({
  seq: row.seq,
  at: row.at,
  kind: row.kind,
  outcome: row.outcome,
  data: JSON.parse(row.data) as AuditData,
  card: row.card,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** Where the chain starts: after the last retention purge, or the genesis. */
export function chainAnchor(store: Store): { afterSeq: number; hash: string } {
  const row = store.statement('SELECT after_seq, hash FROM chain_anchor WHERE id = 1').get() as
    | { after_seq: number; hash: string }
    | undefined;
  return row ? { afterSeq: row.after_seq, hash: row.hash } : { afterSeq: 0, hash: GENESIS_HASH };
}

/**
 * Validates the event (shape with zod, then the no-PII rule) and appends it to the chain in one
 * IMMEDIATE transaction, so two writers never fork the chain.
 */
export function appendAudit(store: Store, event: AuditEvent): AuditRecord {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success)
    throw new StoreError('invalid-event', `audit event refused: ${describeIssues(parsed.error, 'event')}`);
  const data = parsed.data.data ?? {};
  assertNoPii(data, 'audit data');
  // Through JSON once, so what is hashed is exactly what is read back.
  const stored = JSON.parse(JSON.stringify(data)) as AuditData;
  const at = (parsed.data.at ?? store.now()).toISOString();
  return store.db
    .transaction((): AuditRecord => {
      const last = store.statement('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
        | { seq: number; hash: string }
        | undefined;
      const anchor = last ? { afterSeq: last.seq, hash: last.hash } : chainAnchor(store);
      const base = {
        seq: anchor.afterSeq + 1,
        at,
        kind: parsed.data.kind,
        outcome: parsed.data.outcome,
        data: stored,
        card: parsed.data.card ?? null,
        prevHash: anchor.hash,
      };
      const record: AuditRecord = { ...base, hash: recordHash(base) };
      store
        .statement(
          'INSERT INTO audit (seq, at, kind, outcome, data, card, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          record.seq,
          record.at,
          record.kind,
          record.outcome,
          canonicalJson(record.data),
          record.card,
          record.prevHash,
          record.hash,
        );
      return record;
    })
    .immediate();
}

export type BrokenReason = 'missing' | 'altered' | 'broken-link' | 'unreadable';

export interface VerifyResult {
  ok: boolean;
  /** Records checked (all records present). */
  records: number;
  /** The first record that does not verify, with the reason; absent when ok. */
  firstBroken?: { seq: number; reason: BrokenReason; detail: string };
}

/**
 * Recomputes the chain from the anchor: every seq must follow the one before (a gap is a deleted
 * record), link to the hash before it, and hash to its stored hash (changed or swapped content).
 */
export function verifyAudit(store: Store): VerifyResult {
  const anchor = chainAnchor(store);
  let expectedSeq = anchor.afterSeq + 1;
  let prev = anchor.hash;
  let records = 0;
  let firstBroken: VerifyResult['firstBroken'];
  for (const row of store.statement('SELECT * FROM audit ORDER BY seq').iterate() as Iterable<AuditRow>) {
    records++;
    if (firstBroken) continue;
    if (row.seq !== expectedSeq) {
      firstBroken =
        row.seq > expectedSeq
          ? {
              seq: expectedSeq,
              reason: 'missing',
              detail: `record ${expectedSeq}${row.seq - 1 > expectedSeq ? `–${row.seq - 1}` : ''} missing (deleted?); next present is ${row.seq}`,
            }
          : { seq: row.seq, reason: 'missing', detail: `record ${row.seq} precedes the chain anchor` };
      continue;
    }
    let record: AuditRecord;
    try {
      record = fromRow(row);
    } catch {
      firstBroken = { seq: row.seq, reason: 'unreadable', detail: `record ${row.seq} data is not JSON` };
      continue;
    }
    if (record.prevHash !== prev) {
      firstBroken = {
        seq: row.seq,
        reason: 'broken-link',
        detail: `record ${row.seq} does not link to the record before it (reordered, replaced or the one before changed)`,
      };
      continue;
    }
    const { hash, ...rest } = record;
    if (recordHash(rest) !== hash) {
      firstBroken = {
        seq: row.seq,
        reason: 'altered',
        detail: `record ${row.seq} content does not match its hash`,
      };
      continue;
    }
    prev = hash;
    expectedSeq++;
  }
  return firstBroken ? { ok: false, records, firstBroken } : { ok: true, records };
}

/** Records at or after `since` (all when absent), oldest first. */
export function exportAudit(store: Store, options: { since?: Date } = {}): AuditRecord[] {
  const since = options.since?.toISOString() ?? '';
  return (store.statement('SELECT * FROM audit WHERE at >= ? ORDER BY seq').all(since) as AuditRow[]).map(
    fromRow,
  );
}

/** One JSON object per line, newline-terminated. */
export function toJsonLines(records: readonly AuditRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}
