import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  appendAudit,
  cardRef,
  exportAudit,
  GENESIS_HASH,
  recordHash,
  type Store,
  StoreError,
  storeCardRef,
  toJsonLines,
  verifyAudit,
} from '../../../src/store/index.ts';
import { useTempStores } from './helpers.ts';

const temp = useTempStores();
const t0 = Date.parse('2025-04-01T09:00:00.000Z');

function filled(count = 5): { store: Store; path: string } {
  const path = temp.path();
  const store = temp.open(path);
  for (let i = 0; i < count; i++)
    appendAudit(store, {
      kind: 'face.match',
      outcome: i % 2 ? 'ok' : 'failed',
      data: { score: 0.4 + i / 100, ms: 120 + i, reason: 'below-threshold' },
      card: storeCardRef(store, `0a:1b:${i}`),
      at: new Date(t0 + i * 60_000),
    });
  return { store, path };
}

/** Raw SQL on the file, as a tamperer would: the append-only triggers dropped first. */
function tamper(path: string, sql: string): void {
  const raw = new Database(path);
  raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
  raw.exec(sql);
  raw.close();
}

describe('audit chain', () => {
  it('chains from the genesis and verifies', () => {
    const { store } = filled();
    const records = exportAudit(store);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
    const { hash, ...rest } = records[2]!;
    expect(recordHash(rest)).toBe(hash);
    expect(verifyAudit(store)).toEqual({ ok: true, records: 5 });
  });

  it('an empty log verifies', () => {
    expect(verifyAudit(temp.open(temp.path()))).toEqual({ ok: true, records: 0 });
  });

  it('refuses UPDATE and DELETE through the triggers', () => {
    const { store } = filled();
    expect(() => store.db.prepare("UPDATE audit SET outcome = 'ok' WHERE seq = 1").run()).toThrowError(
      /append-only: UPDATE refused/,
    );
    expect(() => store.db.prepare('DELETE FROM audit WHERE seq = 5').run()).toThrowError(
      /append-only: DELETE refused/,
    );
    expect(verifyAudit(store).ok).toBe(true);
  });

  it('detects changed data at the right seq', () => {
    const { store, path } = filled();
    store.close();
    tamper(path, `UPDATE audit SET data = '{"ms":1,"reason":"below-threshold","score":0.9}' WHERE seq = 3`);
    const result = verifyAudit(temp.open(path));
    expect(result.ok).toBe(false);
    expect(result.records).toBe(5);
    expect(result.firstBroken).toMatchObject({ seq: 3, reason: 'altered' });
  });

  it('detects a record rewritten with a fresh hash at the next link', () => {
    const { store, path } = filled();
    const third = exportAudit(store)[2]!;
    store.close();
    const forged = { ...third, outcome: 'ok' };
    const { hash: _old, ...rest } = forged;
    tamper(path, `UPDATE audit SET outcome = 'ok', hash = '${recordHash(rest)}' WHERE seq = 3`);
    expect(verifyAudit(temp.open(path)).firstBroken).toMatchObject({ seq: 4, reason: 'broken-link' });
  });

  it('detects a deleted record as a gap', () => {
    const { store, path } = filled();
    store.close();
    tamper(path, 'DELETE FROM audit WHERE seq = 2');
    const result = verifyAudit(temp.open(path));
    expect(result.firstBroken).toMatchObject({ seq: 2, reason: 'missing' });
    expect(result.firstBroken!.detail).toMatch(/record 2 missing.*next present is 3/);
  });

  it('detects two swapped records', () => {
    const { store, path } = filled();
    store.close();
    tamper(
      path,
      `UPDATE audit SET seq = -1 WHERE seq = 2;
       UPDATE audit SET seq = 2 WHERE seq = 4;
       UPDATE audit SET seq = 4 WHERE seq = -1;`,
    );
    expect(verifyAudit(temp.open(path)).firstBroken).toMatchObject({ seq: 2, reason: 'broken-link' });
  });

  it('exports since a time, as JSON lines', () => {
    const { store } = filled();
    const records = exportAudit(store, { since: new Date(t0 + 3 * 60_000) });
    expect(records.map((r) => r.seq)).toEqual([4, 5]);
    const lines = toJsonLines(records).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([4, 5]);
  });

  it('keeps appending across reopen, and from two connections without forking', () => {
    const { store, path } = filled(2);
    const other = temp.open(path);
    appendAudit(other, { kind: 'card.placed', outcome: 'ok' });
    appendAudit(store, { kind: 'card.removed', outcome: 'ok' });
    store.close();
    const reopened = temp.open(path);
    appendAudit(reopened, { kind: 'card.placed', outcome: 'ok' });
    expect(verifyAudit(reopened)).toEqual({ ok: true, records: 5 });
  });
});

describe('cardRef', () => {
  it('is a truncated HMAC-SHA-256 of the serial, independent of its spelling', () => {
    const key = Buffer.alloc(32, 7);
    const ref = cardRef('0A:1B:2C', key);
    expect(ref).toMatch(/^[0-9a-f]{32}$/);
    expect(cardRef('0a1b2c', key)).toBe(ref);
    expect(cardRef(Buffer.from([0x0a, 0x1b, 0x2c]), key)).toBe(ref);
    expect(cardRef('0a1b2c', Buffer.alloc(32, 8))).not.toBe(ref);
  });

  it('the card field accepts only a card reference, not a raw serial', () => {
    const store = temp.open(temp.path());
    expect(() => appendAudit(store, { kind: 'card.placed', outcome: 'ok', card: '0A1B2C' })).toThrowError(
      /event\.card: a cardRef\(\) value/,
    );
  });
});

describe('no personal data or secrets', () => {
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['a pin field', { pin: '1234' }, /data\.pin: a PIN is never stored/],
    ['a pinCode field', { pinCode: 1234 }, /data\.pinCode/],
    ['a nested userPin', { input: { userPin: '0000' } }, /data\.input\.userPin/],
    ['a name', { name: 'Taro' }, /data\.name/],
    ['a patientFullName', { patientFullName: 'x' }, /data\.patientFullName/],
    ['an address', { home_address: 'x' }, /data\.home_address/],
    ['a photo', { photo: 'abc' }, /data\.photo/],
    ['a descriptor', { faceDescriptor: [0.1, 0.2] }, /data\.faceDescriptor/],
    ['a My Number field', { myNumber: '1' }, /data\.myNumber/],
    ['a my_number field', { my_number: '1' }, /data\.my_number/],
    ['a birth date', { birthDate: '1980-01-01' }, /data\.birthDate/],
    ['a raw serial', { certSerial: '0a1b' }, /data\.certSerial/],
    ['a 12-digit number', { ref: 123456789012 }, /data\.ref: a 12-digit number/],
    ['a 12-digit string', { ref: 'id-123456789012' }, /data\.ref: a 12-digit number/],
    ['digits in a pin-like field', { pinEntry: '4321' }, /data\.pinEntry: a pin-like field holds digits/],
    ['Japanese text', { reason: '山田太郎' }, /data\.reason: only printable ASCII/],
    [
      'a descriptor-sized array',
      { values: Array.from({ length: 128 }, () => 0.5) },
      /data\.values: array longer/,
    ],
    ['binary', { buf: Buffer.from('x') }, /data\.buf: binary data/],
    ['a long string', { blob: 'A'.repeat(500) }, /data\.blob: string longer/],
  ];

  it.each(refused)('refuses %s without echoing the value', (_label, data, message) => {
    const store = temp.open(temp.path());
    let error: unknown;
    try {
      appendAudit(store, { kind: 'test.event', outcome: 'ok', data });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('refused-pii');
    expect((error as StoreError).message).toMatch(message);
    for (const secret of ['1234', '0000', 'Taro', '1980-01-01', '123456789012', '4321', '山田太郎', '0a1b'])
      expect((error as StoreError).message).not.toContain(secret);
    expect(exportAudit(store)).toHaveLength(0);
  });

  it('accepts codes, counts and timings, including pin-related counts', () => {
    const store = temp.open(temp.path());
    const record = appendAudit(store, {
      kind: 'pin.verify',
      outcome: 'wrong-pin',
      data: {
        pinTriesLeft: 2,
        ms: 1432,
        method: 'pin',
        steps: ['select', 'verify'],
        ok: false,
        detail: null,
      },
    });
    expect(record.data).toMatchObject({ pinTriesLeft: 2, ms: 1432 });
  });

  it('refuses malformed events with the field named', () => {
    const store = temp.open(temp.path());
    expect(() => appendAudit(store, { kind: 'Bad Kind', outcome: 'ok' })).toThrowError(/event\.kind/);
    expect(() => appendAudit(store, { kind: 'a.b', outcome: 'ok', extra: 1 } as never)).toThrowError(
      StoreError,
    );
  });
});
