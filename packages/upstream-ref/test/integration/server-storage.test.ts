/**
 * The upstream's storage on SQLite and on a throwaway PostgreSQL cluster: the same migrations, the
 * same repository, the same answers.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { loadTestPki, personKeys } from '@myna/card-sim/test-pki.js';
import { describeOnDatabases } from '@myna/devtools/test-support/postgres.js';
import { simulatorCards } from '@myna/devtools/upstream/simulator-cards.js';
import { qualificationResultSchema } from '@myna/protocol/oqs/qualification.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_STEPS } from '../../src/db/migrations.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { type SqlDatabase, UniqueViolationError } from '../../src/db/sql-database.ts';
import { openSqlite } from '../../src/db/sqlite-database.ts';
import { buildQualificationResult } from '../../src/qualification-result.ts';
import { POPULATION } from '../../src/seed/population.ts';
import { personRefFor, seedPopulation } from '../../src/seed/seed-population.ts';
import { CONSENT_ITEMS } from '../../src/store/records.ts';
import { UpstreamRepository } from '../../src/store/upstream-repository.ts';

const T0 = '2026-11-24T09:00:00.000Z';
const T1 = '2026-11-24T09:00:30.000Z';
const T2 = '2026-11-24T09:01:01.000Z';

describeOnDatabases('upstream storage', (backend) => {
  let db: SqlDatabase;
  let repo: UpstreamRepository;

  beforeEach(async () => {
    db = await openDatabase(await backend.freshUrl());
    repo = new UpstreamRepository(db);
  });
  afterEach(async () => {
    await db?.close();
  });

  it('migrates once: a second run applies nothing, a newer database is refused', async () => {
    expect(await migrate(db)).toBe(0);
    await db.run('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', [99, T0]);
    await expect(migrate(db)).rejects.toThrow(/schema version 99, newer than this software/);
    expect(SCHEMA_STEPS.length).toBeGreaterThan(0);
  });

  it('consumes a nonce exactly once and says why it refuses', async () => {
    await repo.issueNonce('n1', 'kiosk-a', T0, '2026-11-24T09:01:00.000Z');
    expect(await repo.consumeNonce('n1', 'kiosk-b', T1)).toBe('unknown');
    expect(await repo.consumeNonce('n1', 'kiosk-a', T1)).toBe('consumed');
    expect(await repo.consumeNonce('n1', 'kiosk-a', T1)).toBe('replayed');
    expect(await repo.consumeNonce('nope', 'kiosk-a', T1)).toBe('unknown');
    await repo.issueNonce('n2', 'kiosk-a', T0, '2026-11-24T09:01:00.000Z');
    expect(await repo.consumeNonce('n2', 'kiosk-a', T2)).toBe('expired');
  });

  it('lets one of many concurrent uses of a nonce win', async () => {
    await repo.issueNonce('race', 'kiosk-a', T0, '2026-11-24T09:01:00.000Z');
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => repo.consumeNonce('race', 'kiosk-a', T1)),
    );
    expect(outcomes.filter((o) => o === 'consumed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'replayed')).toHaveLength(7);
  });

  it('rolls a failed transaction back and reports unique violations in one form', async () => {
    await expect(
      repo.transaction(async (tx) => {
        await tx.issueNonce('tx', 'kiosk-a', T0, T2);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await repo.consumeNonce('tx', 'kiosk-a', T1)).toBe('unknown');
    await repo.issueNonce('dup', 'kiosk-a', T0, T2);
    await expect(repo.issueNonce('dup', 'kiosk-a', T0, T2)).rejects.toBeInstanceOf(UniqueViolationError);
  });

  it('runs the statements a transaction starts together one after another, relaxed or not', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      for (const durability of ['relaxed', 'durable'] as const) {
        const counts = await repo.transaction(
          async (tx) => {
            await tx.issueNonce(`together-${durability}`, 'kiosk-a', T0, T2);
            return Promise.all(['kiosk-a', 'kiosk-a', 'kiosk-b'].map((client) => tx.isRevoked(client, 'ab')));
          },
          { durability },
        );
        expect(counts).toEqual([false, false, false]);
        expect(await repo.consumeNonce(`together-${durability}`, 'kiosk-a', T1)).toBe('consumed');
      }
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('keeps revocations and kiosk registrations', async () => {
    expect(await repo.isRevoked('ca', 'abcd')).toBe(false);
    expect(
      await repo.revokeCertificate({
        issuerSha256: 'ca',
        serial: 'abcd',
        kind: 'card',
        reason: 'lost',
        at: T0,
      }),
    ).toBe(true);
    expect(
      await repo.revokeCertificate({
        issuerSha256: 'ca',
        serial: 'ABCD',
        kind: 'card',
        reason: 'again',
        at: T1,
      }),
    ).toBe(false);
    expect(await repo.isRevoked('ca', 'ABCD')).toBe(true);

    await repo.registerKiosk({ kioskId: 'k1', deviceCertSha256: 'f1', deviceSerial: '01', registeredAt: T0 });
    await repo.registerKiosk({ kioskId: 'k1', deviceCertSha256: 'f2', deviceSerial: '02', registeredAt: T1 });
    expect(await repo.kiosk('k1')).toMatchObject({ deviceCertSha256: 'f2', revokedAt: null });
    expect(await repo.revokeKiosk('k1', T2)).toBe(true);
    expect(await repo.revokeKiosk('k1', T2)).toBe(false);
    expect((await repo.kiosk('k1'))?.revokedAt).toBe(T2);
    expect(await repo.kiosk('k2')).toBeUndefined();
  });

  it('stores one answer per idempotency key', async () => {
    const answer = { requestSha256: 'h', status: 200, body: { ok: true, n: [1, 2] } };
    await repo.storeAnswer('kiosk-a', 'registrations', 'key-1', answer, T0);
    expect(await repo.storedAnswer('kiosk-a', 'registrations', 'key-1')).toEqual(answer);
    expect(await repo.storedAnswer('kiosk-b', 'registrations', 'key-1')).toBeUndefined();
    await expect(repo.storeAnswer('kiosk-a', 'registrations', 'key-1', answer, T1)).rejects.toBeInstanceOf(
      UniqueViolationError,
    );
  });

  it('seeds the population and links every card by its certificate serial', async () => {
    const first = await seedPopulation(db, simulatorCards());
    expect(first.added).toBe(POPULATION.length);
    expect(first.cardsLinked).toBe(POPULATION.length);
    const again = await seedPopulation(db, simulatorCards());
    expect(again.added).toBe(0);

    const pki = loadTestPki();
    for (const seed of POPULATION) {
      const person = loadPerson(peopleFile(seed.fixtureId));
      const serial = new X509Certificate(personKeys(person, pki).auth.certificateDer).serialNumber;
      const found = await repo.personByCard(first.cardCaSha256, serial);
      expect(found?.personRef).toBe(personRefFor(seed));
      expect(found?.name).toBe(person.name);
      expect(found?.birthDate).toBe(person.birthDate);
    }
    expect(await repo.personByCard(first.cardCaSha256, '00')).toBeUndefined();
  });

  it('answers every seeded person with a valid OQS message, limit certificate and consent flags included', async () => {
    await seedPopulation(db, simulatorCards());
    const now = new Date();
    for (const seed of POPULATION) {
      const person = (await repo.person(personRefFor(seed)))!;
      const visit = {
        visitId: '0b6c1f7e-2d7a-4e1c-9a53-2f0d2b9c8a11',
        personRef: person.personRef,
        kioskId: 'kiosk-a',
        medicalInstitutionCode: '1312345678',
        method: 'pin',
        createdAt: now.toISOString(),
      };
      const consents = CONSENT_ITEMS.map((item) => ({
        visitId: visit.visitId,
        item,
        agreed: true,
        consentedAt: now.toISOString(),
        validUntil: new Date(now.getTime() + 86_400_000).toISOString(),
      }));
      const limitCertificate = await repo.limitCertificate(person.personRef);
      for (const input of [
        { visit, person, now },
        { visit, person, now, consents, limitCertificate },
      ]) {
        const result = buildQualificationResult(input);
        expect(qualificationResultSchema.parse(result)).toEqual(result);
      }
    }
  });

  it('seeds records: medications, check-ups by age group, limits, an unregistered insurer and person', async () => {
    await seedPopulation(db, simulatorCards());
    const ref = (id: string) => personRefFor(POPULATION.find((p) => p.fixtureId === id)!);

    const meds = await repo.medications(ref('middle-aged'));
    expect(meds.length).toBeGreaterThan(1);
    expect(meds[0]).toMatchObject({ drugName: expect.any(String), ingredientName: expect.any(String) });
    expect(meds[0]!.dispensedOn >= meds[1]!.dispensedOn).toBe(true);

    expect((await repo.checkups(ref('middle-aged'))).map((c) => c.kind)).toEqual(['specific', 'specific']);
    expect((await repo.checkups(ref('elderly'))).map((c) => c.kind)).toEqual(['later-elderly']);
    expect(await repo.checkups(ref('pin-blocked'))).toEqual([]);

    const insurers = await repo.insurers();
    expect(insurers.some((i) => !i.checkupDataRegistered)).toBe(true);
    expect(await repo.limitCertificate(ref('middle-aged'))).toMatchObject({ classificationFlag: 'A03' });
    expect((await repo.person(ref('long-address')))?.insuranceUseRegisteredAt).toBeNull();

    const registered = await repo.registerInsuranceUse(ref('long-address'), T0);
    expect(registered).toBe(T0);
    expect(await repo.registerInsuranceUse(ref('long-address'), T1)).toBe(T0);
  });
});

describe('upstream storage in a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upstream-durability-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('commits a durable transaction under synchronous FULL, a relaxed one under NORMAL', async () => {
    const db = await openDatabase(`sqlite:${join(dir, 'upstream.db')}`);
    try {
      const synchronous = async (tx: SqlDatabase) =>
        Number((await tx.get<{ synchronous: number }>('PRAGMA synchronous'))?.synchronous);
      const FULL = 2;
      const NORMAL = 1;
      expect(await db.transaction(synchronous)).toBe(FULL);
      expect(await db.transaction(synchronous, { durability: 'relaxed' })).toBe(NORMAL);
      // A failed durable transaction leaves the connection as cheap as before.
      await expect(
        db.transaction(async () => {
          throw new Error('abandon');
        }),
      ).rejects.toThrow('abandon');
      expect(await synchronous(db)).toBe(NORMAL);
    } finally {
      await db.close();
    }
  });

  it('checkpoints the log beside the requests, and leaves no log behind when closed', async () => {
    const file = join(dir, 'checkpointed.db');
    const db = openSqlite(file, { checkpointEveryMs: 20 });
    await migrate(db);
    const repo = new UpstreamRepository(db);
    // Fewer pages than SQLite's own checkpoint threshold: only the worker empties the log here.
    const burst = async (round: number) => {
      for (let i = 0; i < 150; i += 1) await repo.issueNonce(`r${round}-${i}`, 'kiosk-a', T0, T2);
      return statSync(`${file}-wal`).size;
    };
    try {
      const first = await burst(1);
      for (let round = 2; round <= 4; round += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        // A checkpointed log is written again from its start: it does not grow round after round.
        expect(await burst(round)).toBeLessThanOrEqual(first * 1.5);
      }
    } finally {
      await db.close();
    }
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = await openDatabase(`sqlite:${file}`);
    try {
      expect(await new UpstreamRepository(reopened).consumeNonce('r4-149', 'kiosk-a', T1)).toBe('consumed');
    } finally {
      await reopened.close();
    }
  });
});
