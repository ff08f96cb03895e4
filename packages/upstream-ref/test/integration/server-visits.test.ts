/**
 * After the qualification: insurance-use registration and consents (both idempotent), staff reading
 * medications and check-ups under consent, the patient's own access log, and the insurers' check-up
 * registration, over real HTTPS with client certificates on SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { describeOnDatabases } from '@myna/devtools/test-support/postgres.js';
import {
  accessLogRequest,
  pinRequest,
  testPerson,
  type UpstreamClient,
  upstreamClient,
} from '@myna/devtools/test-support/upstream-pki.js';
import { simulatorCards } from '@myna/devtools/upstream/simulator-cards.js';
import { qualificationResultSchema } from '@myna/protocol/oqs/qualification.js';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type RunningUpstream, startUpstream } from '../../src/start-upstream.ts';

const KIOSK = 'kiosk-v-0001';
const HOUR = 3_600_000;

interface Qualified {
  visitId: string;
  personRef: string;
  insuranceUseRegistered: boolean;
}

describeOnDatabases('visits, consents and records', (backend) => {
  let upstream: RunningUpstream;
  let clock: Date;
  let kiosk: UpstreamClient;
  let otherKiosk: UpstreamClient;
  let doctor: UpstreamClient;
  let pharmacist: UpstreamClient;
  let clerk: UpstreamClient;

  beforeAll(async () => {
    clock = new Date();
    upstream = await startUpstream({ ...simulatorCards(), db: await backend.freshUrl(), now: () => clock });
    kiosk = upstreamClient(upstream, upstream.pki.kioskClient(KIOSK));
    otherKiosk = upstreamClient(upstream, upstream.pki.kioskClient('kiosk-v-0002'));
    doctor = upstreamClient(upstream, upstream.pki.staffClient('dr-visits', 'doctor'));
    pharmacist = upstreamClient(upstream, upstream.pki.staffClient('ph-visits', 'pharmacist'));
    clerk = upstreamClient(upstream, upstream.pki.staffClient('clerk-visits', 'clerk'));
  });
  afterAll(async () => {
    await upstream?.close();
  });
  beforeEach(() => {
    clock = new Date();
  });

  async function qualify(personId: string): Promise<Qualified> {
    const nonce = ((await kiosk.post('/v1/nonces')).body as { nonce: string }).nonce;
    const answer = await kiosk.post('/v1/qualifications', {
      jws: await pinRequest(testPerson(personId), nonce, KIOSK),
    });
    expect(answer.status).toBe(200);
    return answer.body as Qualified;
  }

  const consent = (
    visitId: string,
    items: { item: string; agreed: boolean; at?: string }[],
    key = randomUUID(),
  ) =>
    kiosk.post(
      '/v1/consents',
      { visitId, items: items.map((i) => ({ at: clock.toISOString(), ...i })) },
      { 'idempotency-key': key },
    );

  it('registers insurance use once; the same key replays the first answer', async () => {
    const visit = await qualify('long-address');
    expect(visit.insuranceUseRegistered).toBe(false);
    const key = randomUUID();
    const first = await kiosk.post(
      '/v1/registrations',
      { visitId: visit.visitId },
      { 'idempotency-key': key },
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      visitId: visit.visitId,
      personRef: visit.personRef,
      insuranceUseRegistered: true,
    });

    clock = new Date(clock.getTime() + 5_000);
    const replay = await kiosk.post(
      '/v1/registrations',
      { visitId: visit.visitId },
      { 'idempotency-key': key },
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const again = await qualify('long-address');
    expect(again.insuranceUseRegistered).toBe(true);
    const second = await kiosk.post(
      '/v1/registrations',
      { visitId: again.visitId },
      { 'idempotency-key': randomUUID() },
    );
    expect((second.body as { registeredAt: string }).registeredAt).toBe(
      (first.body as { registeredAt: string }).registeredAt,
    );
  });

  it('refuses a registration without a key, a reused key and another kiosk’s visit', async () => {
    const visit = await qualify('elderly');
    const missing = await kiosk.post('/v1/registrations', { visitId: visit.visitId });
    expect(missing.status).toBe(400);
    expect(missing.problem.code).toBe('idempotency-key-missing');

    const key = randomUUID();
    expect(
      (await kiosk.post('/v1/registrations', { visitId: visit.visitId }, { 'idempotency-key': key })).status,
    ).toBe(200);
    const other = await qualify('middle-aged');
    const reused = await kiosk.post(
      '/v1/registrations',
      { visitId: other.visitId },
      { 'idempotency-key': key },
    );
    expect(reused.status).toBe(422);
    expect(reused.problem.code).toBe('idempotency-key-reused');

    const foreign = await otherKiosk.post(
      '/v1/registrations',
      { visitId: visit.visitId },
      { 'idempotency-key': randomUUID() },
    );
    expect(foreign.status).toBe(404);
    expect(foreign.problem.code).toBe('visit-unknown');
    expect(
      (await kiosk.post('/v1/registrations', { visitId: 'nope' }, { 'idempotency-key': randomUUID() }))
        .problem.code,
    ).toBe('malformed-request');
  });

  it('records consents valid 24 hours, with OQS flags and the limit certificate when shared', async () => {
    const visit = await qualify('middle-aged');
    const key = randomUUID();
    const answer = await consent(
      visit.visitId,
      [
        { item: 'medication', agreed: true },
        { item: 'checkup', agreed: true },
        { item: 'diagnosis', agreed: false },
        { item: 'limit-info', agreed: true },
      ],
      key,
    );
    expect(answer.status).toBe(200);
    const body = answer.body as {
      consents: { item: string; agreed: boolean; at: string; validUntil: string | null }[];
      qualification: unknown;
    };
    expect(body.consents).toEqual([
      {
        item: 'medication',
        agreed: true,
        at: clock.toISOString(),
        validUntil: new Date(clock.getTime() + 24 * HOUR).toISOString(),
      },
      {
        item: 'checkup',
        agreed: true,
        at: clock.toISOString(),
        validUntil: new Date(clock.getTime() + 24 * HOUR).toISOString(),
      },
      { item: 'diagnosis', agreed: false, at: clock.toISOString(), validUntil: null },
      {
        item: 'limit-info',
        agreed: true,
        at: clock.toISOString(),
        validUntil: new Date(clock.getTime() + 24 * HOUR).toISOString(),
      },
    ]);
    const record = qualificationResultSchema.parse(body.qualification).MessageBody.ResultList!
      .ResultOfQualificationConfirmation[0]!;
    expect(record.PharmacistsInfoConsFlg).toBe('1');
    expect(record.SpecificHealthCheckupsInfoConsFlg).toBe('1');
    expect(record.DiagnosisInfoConsFlg).toBe('0');
    expect(record.DiagnosisInfoAvailableTime).toBeUndefined();
    expect(record.LimitApplicationCertificateRelatedInfo).toMatchObject({
      LimitApplicationCertificateClassification: '01',
      LimitApplicationCertificateClassificationFlag: 'A03',
    });

    const replay = await consent(
      visit.visitId,
      body.consents.map(({ item, agreed, at }) => ({ item, agreed, at })),
      key,
    );
    expect(replay.body).toEqual(answer.body);
  });

  it('refuses consents at a time outside the visit and malformed items', async () => {
    const visit = await qualify('elderly');
    const future = await consent(visit.visitId, [
      { item: 'medication', agreed: true, at: new Date(clock.getTime() + HOUR).toISOString() },
    ]);
    expect(future.status).toBe(400);
    expect(future.problem.code).toBe('consent-time-invalid');
    const unknownItem = await consent(visit.visitId, [{ item: 'genome', agreed: true }]);
    expect(unknownItem.problem.code).toBe('malformed-request');
    const twice = await consent(visit.visitId, [
      { item: 'medication', agreed: true },
      { item: 'medication', agreed: false },
    ]);
    expect(twice.problem.code).toBe('malformed-request');
  });

  it('lets a doctor and a pharmacist read records under consent, and logs each access', async () => {
    const visit = await qualify('middle-aged');
    await consent(visit.visitId, [
      { item: 'medication', agreed: true },
      { item: 'checkup', agreed: true },
    ]);
    const meds = await doctor.get(`/v1/persons/${visit.personRef}/medications`);
    expect(meds.status).toBe(200);
    const medications = (meds.body as { medications: Record<string, unknown>[] }).medications;
    expect(medications.length).toBeGreaterThan(0);
    expect(Object.keys(medications[0]!)).toEqual(
      expect.arrayContaining([
        'dispensedOn',
        'prescriber',
        'drugName',
        'ingredientName',
        'dosage',
        'quantity',
      ]),
    );
    const checkups = await pharmacist.get(`/v1/persons/${visit.personRef}/checkups`);
    expect(checkups.status).toBe(200);
    expect((checkups.body as { checkups: { kind: string }[] }).checkups.map((c) => c.kind)).toContain(
      'specific',
    );
  });

  it('refuses a clerk, a kiosk, missing, declined and expired consent, and an unknown person', async () => {
    const visit = await qualify('elderly');
    const path = `/v1/persons/${visit.personRef}/medications`;
    const none = await doctor.get(`/v1/persons/${visit.personRef}/checkups`);
    expect(none.status).toBe(403);
    expect(none.problem.code).toBe('consent-missing');

    await consent(visit.visitId, [{ item: 'medication', agreed: true }]);
    const asClerk = await clerk.get(path);
    expect(asClerk.status).toBe(403);
    expect(asClerk.problem.code).toBe('role-not-qualified');
    expect((await kiosk.get(path)).problem.code).toBe('client-not-allowed');
    expect((await doctor.get(path)).status).toBe(200);

    clock = new Date(clock.getTime() + 24 * HOUR + 1_000);
    const expired = await doctor.get(path);
    expect(expired.status).toBe(403);
    expect(expired.problem.code).toBe('consent-expired');

    const later = await qualify('elderly');
    await consent(later.visitId, [{ item: 'medication', agreed: false }]);
    expect((await doctor.get(path)).problem.code).toBe('consent-missing');

    const unknown = await doctor.get('/v1/persons/p-00000000000000000000/medications');
    expect(unknown.status).toBe(404);
    expect(unknown.problem.code).toBe('person-unknown');
  });

  it('shows the patient who looked at their records, granted or refused, with a card-signed request', async () => {
    const visit = await qualify('pin-blocked');
    await consent(visit.visitId, [{ item: 'medication', agreed: true }]);
    await doctor.get(`/v1/persons/${visit.personRef}/medications`);
    await clerk.get(`/v1/persons/${visit.personRef}/medications`);
    const checkups = await pharmacist.get(`/v1/persons/${visit.personRef}/checkups`);
    expect(checkups.problem.code).toBe('consent-missing');

    const nonce = ((await kiosk.post('/v1/nonces')).body as { nonce: string }).nonce;
    const jws = await accessLogRequest(testPerson('pin-blocked'), nonce, KIOSK);
    const answer = await kiosk.post('/v1/access-log', { jws });
    expect(answer.status).toBe(200);
    const body = answer.body as {
      personRef: string;
      entries: {
        at: string;
        accessor: string;
        role: string | null;
        resource: string;
        granted: boolean;
        outcome: string;
      }[];
    };
    expect(body.personRef).toBe(visit.personRef);
    expect(body.entries.map((e) => [e.role, e.resource, e.granted, e.outcome])).toEqual([
      ['doctor', 'medications', true, 'granted'],
      ['clerk', 'medications', false, 'role-not-qualified'],
      ['pharmacist', 'checkups', false, 'consent-missing'],
    ]);
    expect(body.entries[0]!.accessor).toContain('CN=dr-visits');
    expect(body.entries[0]!.at).toBe(clock.toISOString());

    const replay = await kiosk.post('/v1/access-log', { jws });
    expect(replay.problem.code).toBe('nonce-replayed');
    const qualificationJws = await pinRequest(
      testPerson('pin-blocked'),
      ((await kiosk.post('/v1/nonces')).body as { nonce: string }).nonce,
      KIOSK,
    );
    expect((await kiosk.post('/v1/access-log', { jws: qualificationJws })).problem.code).toBe(
      'malformed-request',
    );
  });

  it('refuses a request signed for the other endpoint, and leaves its nonce for the right one', async () => {
    const person = testPerson('pin-blocked');
    const nonce = async () => ((await kiosk.post('/v1/nonces')).body as { nonce: string }).nonce;

    const forLog = await accessLogRequest(person, await nonce(), KIOSK);
    const asQualification = await kiosk.post('/v1/qualifications', { jws: forLog });
    expect(asQualification.status).toBe(400);
    expect(asQualification.problem.code).toBe('malformed-request');
    expect(asQualification.problem.detail).toMatch(/kind qualification, not access-log/);
    expect((await kiosk.post('/v1/access-log', { jws: forLog })).status).toBe(200);

    const forQualification = await pinRequest(person, await nonce(), KIOSK);
    const asLog = await kiosk.post('/v1/access-log', { jws: forQualification });
    expect(asLog.status).toBe(400);
    expect(asLog.problem.code).toBe('malformed-request');
    expect(asLog.problem.detail).toMatch(/kind access-log, not qualification/);
    expect((await kiosk.post('/v1/qualifications', { jws: forQualification })).status).toBe(200);
  });

  it('lists each insurer’s check-up data registration, and hides check-ups of one that has not registered', async () => {
    const answer = await doctor.get('/v1/insurers/checkup-registration');
    expect(answer.status).toBe(200);
    const insurers = (
      answer.body as { insurers: { insurerNumber: string; checkupDataRegistered: boolean }[] }
    ).insurers;
    expect(insurers.length).toBeGreaterThan(1);
    expect(insurers.find((i) => i.insurerNumber === '06139999')?.checkupDataRegistered).toBe(false);
    expect(insurers.find((i) => i.insurerNumber === '01270999')?.checkupDataRegistered).toBe(true);

    const visit = await qualify('pin-blocked');
    await consent(visit.visitId, [{ item: 'checkup', agreed: true }]);
    const checkups = await doctor.get(`/v1/persons/${visit.personRef}/checkups`);
    expect(checkups.status).toBe(200);
    expect((checkups.body as { checkups: unknown[] }).checkups).toEqual([]);

    const elderly = await qualify('elderly');
    await consent(elderly.visitId, [{ item: 'checkup', agreed: true }]);
    const later = await doctor.get(`/v1/persons/${elderly.personRef}/checkups`);
    expect((later.body as { checkups: { kind: string }[] }).checkups.map((c) => c.kind)).toEqual([
      'later-elderly',
    ]);
  });
});
