/**
 * POST /v1/nonces and /v1/qualifications over real HTTPS with client certificates, on SQLite and on
 * PostgreSQL: every success path (PIN signed on the virtual card and with the card key, face and
 * visual attestations) and every refusal, each with its problem code.
 */
import { generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { loadTestPki } from '@myna/card-sim/test-pki.js';
import { describeOnDatabases } from '@myna/devtools/test-support/postgres.js';
import {
  attestation,
  cardSerial,
  MEDICAL_INSTITUTION,
  pinRequest,
  pinRequestFromVirtualCard,
  type TestDevice,
  testDevice,
  testPerson,
  type UpstreamClient,
  upstreamClient,
} from '@myna/devtools/test-support/upstream-pki.js';
import { simulatorCards } from '@myna/devtools/upstream/simulator-cards.js';
import { qualificationResultSchema } from '@myna/protocol/oqs/qualification.js';
import { signPinRequest } from '@myna/protocol/signed-requests.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { type RunningUpstream, startUpstream } from '../../src/start-upstream.ts';

const KIOSK = 'kiosk-q-0001';
const OTHER_KIOSK = 'kiosk-q-0002';

describeOnDatabases('qualification', (backend) => {
  let upstream: RunningUpstream;
  let clock: Date;
  let kiosk: UpstreamClient;
  let otherKiosk: UpstreamClient;
  let device: TestDevice;

  beforeAll(async () => {
    clock = new Date();
    upstream = await startUpstream({ ...simulatorCards(), db: await backend.freshUrl(), now: () => clock });
    kiosk = upstreamClient(upstream, upstream.pki.kioskClient(KIOSK));
    otherKiosk = upstreamClient(upstream, upstream.pki.kioskClient(OTHER_KIOSK));
    device = testDevice(upstream, KIOSK);
    await upstream.registerKiosk(device.certPem);
  });
  afterAll(async () => {
    await upstream?.close();
  });
  beforeEach(() => {
    clock = new Date();
  });

  async function nonce(client = kiosk): Promise<string> {
    const answer = await client.post('/v1/nonces');
    expect(answer.status).toBe(201);
    return (answer.body as { nonce: string }).nonce;
  }

  async function qualify(jws: string, client = kiosk) {
    return client.post('/v1/qualifications', { jws });
  }

  it('issues a nonce valid for 60 seconds', async () => {
    const answer = await kiosk.post('/v1/nonces');
    expect(answer.status).toBe(201);
    const body = answer.body as { nonce: string; expiresAt: string };
    expect(body.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.expiresAt).toBe(new Date(clock.getTime() + 60_000).toISOString());
  });

  it('qualifies on the PIN path with a request signed on the virtual card', async () => {
    const person = testPerson('middle-aged');
    const answer = await qualify(await pinRequestFromVirtualCard(person, await nonce(), KIOSK));
    expect(answer.status).toBe(200);
    const body = answer.body as {
      visitId: string;
      personRef: string;
      insuranceUseRegistered: boolean;
      qualification: unknown;
    };
    expect(body.visitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.personRef).toMatch(/^p-[0-9a-f]{20}$/);
    expect(body.insuranceUseRegistered).toBe(true);
    const result = qualificationResultSchema.parse(body.qualification);
    expect(result.MessageHeader.MedicalInstitutionCode).toBe(MEDICAL_INSTITUTION);
    expect(result.MessageHeader.ArbitraryFileIdentifier).toBe(body.visitId);
    expect(result.MessageBody.QualificationValidity).toBe('1');
    const record = result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    expect(record).toMatchObject({
      Name: person.name,
      Birthdate: '19700520',
      Sex1: '1',
      InsuredCardClassification: '01',
      InsurerNumber: '01270999',
      InsurerName: 'テスト協会けんぽ 大阪支部',
      InsuredCertificateIssuanceDate: '20150401',
      InsuredCardValidDate: '20150401',
    });
    expect(record.InsuredPartialContributionRatio).toBeUndefined();
    expect(record.LimitApplicationCertificateRelatedInfo).toBeUndefined();
  });

  it('says when insurance use is not registered yet, keeping rare characters intact', async () => {
    const unregistered = await qualify(await pinRequest(testPerson('long-address'), await nonce(), KIOSK));
    expect(unregistered.status).toBe(200);
    expect((unregistered.body as { insuranceUseRegistered: boolean }).insuranceUseRegistered).toBe(false);

    const rare = testPerson('young-rare-kanji');
    const answer = await qualify(await pinRequest(rare, await nonce(), KIOSK));
    const record = qualificationResultSchema.parse((answer.body as { qualification: unknown }).qualification)
      .MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    expect(record.Name).toBe(rare.name);
  });

  it('refuses a replayed nonce, an expired one, an unknown one and one given to another kiosk', async () => {
    const person = testPerson('elderly');
    const jws = await pinRequest(person, await nonce(), KIOSK);
    expect((await qualify(jws)).status).toBe(200);
    const replay = await qualify(jws);
    expect(replay.status).toBe(409);
    expect(replay.problem.code).toBe('nonce-replayed');
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(replay.problem).toMatchObject({
      type: expect.stringMatching(/nonce-replayed$/),
      title: expect.any(String),
      status: 409,
      detail: expect.any(String),
    });

    const late = await pinRequest(person, await nonce(), KIOSK);
    clock = new Date(clock.getTime() + 61_000);
    expect((await qualify(late)).problem.code).toBe('nonce-expired');

    expect((await qualify(await pinRequest(person, 'never-issued', KIOSK))).problem.code).toBe(
      'nonce-unknown',
    );

    const othersNonce = await nonce(otherKiosk);
    expect((await qualify(await pinRequest(person, othersNonce, KIOSK))).problem.code).toBe('nonce-unknown');
  });

  it('keeps the nonce of a refused request for a corrected retry', async () => {
    const person = testPerson('elderly');
    const n = await nonce();
    const [header, payload, signature] = (await pinRequest(person, n, KIOSK)).split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ tampered: true })).toString('base64url')}.${signature}`;
    expect((await qualify(tampered)).problem.code).toBe('bad-signature');
    expect(payload).toBeDefined();
    expect((await qualify(await pinRequest(person, n, KIOSK))).status).toBe(200);
  });

  it('refuses a tampered payload and a tampered header', async () => {
    const person = testPerson('elderly');
    const [header, payload, signature] = (await pinRequest(person, await nonce(), KIOSK)).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const otherClaims = { ...claims, request: { ...claims.request, medicalInstitutionCode: '9999999999' } };
    const payloadTampered = `${header}.${Buffer.from(JSON.stringify(otherClaims)).toString('base64url')}.${signature}`;
    const answer = await qualify(payloadTampered);
    expect(answer.status).toBe(401);
    expect(answer.problem.code).toBe('bad-signature');

    const headerJson = JSON.parse(Buffer.from(header!, 'base64url').toString('utf8'));
    const otherHeader = Buffer.from(JSON.stringify({ ...headerJson, kid: 'swapped' })).toString('base64url');
    expect((await qualify(`${otherHeader}.${payload}.${signature}`)).problem.code).toBe('bad-signature');
  });

  it('refuses a card certificate from another CA, a revoked one and an expired one', async () => {
    const foreignCa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const foreignCaPem = issueCertificate({
      profile: 'ca',
      subject: [{ name: 'CN', value: 'Not the JPKI CA' }],
      publicKey: foreignCa,
      selfKey: foreignCa,
      notBefore: new Date('2024-01-01'),
      notAfter: new Date('2040-01-01'),
    });
    const cardKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const foreignCard = cardCertificate(foreignCaPem, foreignCa, cardKey);
    const foreign = await signedWith(cardKey, foreignCard, await nonce());
    const answer = await qualify(foreign);
    expect(answer.status).toBe(401);
    expect(answer.problem.code).toBe('untrusted-certificate');

    const revoked = testPerson('pin-blocked');
    expect((await qualify(await pinRequest(revoked, await nonce(), KIOSK))).status).toBe(200);
    expect(await upstream.revokeCardCertificate(cardSerial(revoked))).toBe(true);
    expect((await qualify(await pinRequest(revoked, await nonce(), KIOSK))).problem.code).toBe(
      'certificate-revoked',
    );

    const expired = await qualify(await pinRequest(testPerson('expired-certificate'), await nonce(), KIOSK));
    expect(expired.problem.code).toBe('certificate-expired');
  });

  it('refuses a genuine JPKI card that no insured person is linked to, without spending the nonce', async () => {
    const jpki = loadTestPki();
    const cardKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const card = cardCertificate(jpki.authCa.certificatePem, jpki.authCa.privateKey, cardKey);
    const jws = await signedWith(cardKey, card, await nonce());
    const answer = await qualify(jws);
    expect(answer.status).toBe(404);
    expect(answer.problem.code).toBe('person-unknown');
    // The nonce and the visit are one transaction: a refused visit leaves the nonce unspent.
    expect((await qualify(jws)).problem.code).toBe('person-unknown');
  });

  it('refuses a request naming another kiosk than the connection', async () => {
    const jws = await pinRequest(testPerson('elderly'), await nonce(), OTHER_KIOSK);
    const answer = await qualify(jws);
    expect(answer.status).toBe(403);
    expect(answer.problem.code).toBe('kiosk-mismatch');
  });

  it('refuses malformed bodies and tokens, and staff certificates', async () => {
    expect((await kiosk.post('/v1/qualifications', {})).problem.code).toBe('malformed-request');
    expect((await kiosk.post('/v1/qualifications', { jws: 'a.b' })).problem.code).toBe('malformed-request');
    expect((await kiosk.send('POST', '/v1/qualifications', '{"jws":')).problem.code).toBe(
      'malformed-request',
    );
    const text = await kiosk.send('POST', '/v1/qualifications', 'jws=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.problem.code).toBe('unsupported-media-type');

    const staff = upstreamClient(upstream, upstream.pki.staffClient('dr-q', 'doctor'));
    const refused = await staff.post('/v1/nonces');
    expect(refused.status).toBe(403);
    expect(refused.problem.code).toBe('client-not-allowed');
  });

  describe('face and visual paths', () => {
    it('qualifies a face attestation and a visual one from the registered kiosk', async () => {
      const face = await qualify(await attestation(device, testPerson('pinless'), await nonce()));
      expect(face.status).toBe(200);
      const record = qualificationResultSchema.parse((face.body as { qualification: unknown }).qualification)
        .MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
      expect(record).toMatchObject({
        Name: testPerson('pinless').name,
        InsuredCardClassification: '01',
        InsurerName: 'テスト県後期高齢者医療広域連合',
        InsuredPartialContributionRatio: '010',
        InsuredCardExpirationDate: '20270731',
      });

      const visual = await qualify(
        await attestation(device, testPerson('reiwa-child'), await nonce(), { method: 'visual' }),
      );
      expect(visual.status).toBe(200);
      const child = qualificationResultSchema.parse((visual.body as { qualification: unknown }).qualification)
        .MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
      expect(child).toMatchObject({ PersonalFamilyClassification: '2', Sex1: '3' });
      expect(child.InsuredPartialContributionRatio).toBeUndefined();
    });

    it('refuses a failed liveness check and a score above the threshold', async () => {
      const person = testPerson('pinless');
      const noLiveness = await qualify(
        await attestation(device, person, await nonce(), { livenessPassed: false }),
      );
      expect(noLiveness.status).toBe(403);
      expect(noLiveness.problem.code).toBe('face-not-verified');
      const farScore = await qualify(
        await attestation(device, person, await nonce(), { score: 0.6, threshold: 0.52 }),
      );
      expect(farScore.problem.code).toBe('face-not-verified');
    });

    it('refuses an unregistered kiosk, an unregistered device certificate and a foreign CA', async () => {
      const unregistered = testDevice(upstream, OTHER_KIOSK);
      const answer = await qualify(
        await attestation(unregistered, testPerson('pinless'), await nonce(otherKiosk)),
        otherKiosk,
      );
      expect(answer.status).toBe(403);
      expect(answer.problem.code).toBe('kiosk-unknown');

      const secondDevice = testDevice(upstream, KIOSK);
      expect(
        (await qualify(await attestation(secondDevice, testPerson('pinless'), await nonce()))).problem.code,
      ).toBe('kiosk-unknown');

      const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const foreignCert = issueCertificate({
        profile: 'device',
        subject: [{ name: 'CN', value: KIOSK }],
        publicKey: foreignKey,
        selfKey: foreignKey,
        notBefore: new Date('2024-01-01'),
        notAfter: new Date('2040-01-01'),
      });
      const foreign = { kioskId: KIOSK, privateKey: foreignKey, certPem: foreignCert };
      expect(
        (await qualify(await attestation(foreign, testPerson('pinless'), await nonce()))).problem.code,
      ).toBe('untrusted-certificate');
    });

    it('refuses an expired device certificate and one attesting over another kiosk’s connection', async () => {
      const kioskId = 'kiosk-q-expired';
      const client = upstreamClient(upstream, upstream.pki.kioskClient(kioskId));
      const expired = testDevice(upstream, kioskId, {
        notBefore: new Date('2020-01-01'),
        notAfter: new Date(Date.now() - 86_400_000),
      });
      await upstream.registerKiosk(expired.certPem);
      const answer = await qualify(
        await attestation(expired, testPerson('pinless'), await nonce(client)),
        client,
      );
      expect(answer.problem.code).toBe('certificate-expired');

      const mismatch = await qualify(
        await attestation(device, testPerson('pinless'), await nonce(otherKiosk), { kioskId: OTHER_KIOSK }),
        otherKiosk,
      );
      expect(mismatch.problem.code).toBe('kiosk-mismatch');
    });

    it('refuses a revoked kiosk on every endpoint, and a revoked client certificate', async () => {
      const kioskId = 'kiosk-q-revoked';
      const client = upstreamClient(upstream, upstream.pki.kioskClient(kioskId));
      const revokedDevice = testDevice(upstream, kioskId);
      await upstream.registerKiosk(revokedDevice.certPem);
      const n = await nonce(client);
      expect(await upstream.revokeKiosk(kioskId)).toBe(true);
      const answer = await qualify(await attestation(revokedDevice, testPerson('pinless'), n), client);
      expect(answer.status).toBe(403);
      expect(answer.problem.code).toBe('kiosk-revoked');
      expect((await client.post('/v1/nonces')).problem.code).toBe('kiosk-revoked');

      const pair = upstream.pki.issueClient('kiosk', 'kiosk-q-lost');
      const lost = upstreamClient(upstream, pair);
      expect((await lost.post('/v1/nonces')).status).toBe(201);
      await upstream.revokeClientCertificate(pair.certPem);
      const refused = await lost.post('/v1/nonces');
      expect(refused.status).toBe(401);
      expect(refused.problem.code).toBe('certificate-revoked');
    });

    it('checks the attested card like the PIN path: revoked and expired cards are refused', async () => {
      const person = testPerson('young-rare-kanji');
      await upstream.revokeCardCertificate(cardSerial(person));
      expect((await qualify(await attestation(device, person, await nonce()))).problem.code).toBe(
        'certificate-revoked',
      );
      const expired = await qualify(
        await attestation(device, testPerson('expired-certificate'), await nonce()),
      );
      expect(expired.problem.code).toBe('certificate-expired');
    });
  });
});

function cardCertificate(caPem: string, caKey: KeyObject, cardKey: KeyObject): string {
  return issueCertificate({
    profile: 'device',
    subject: [
      { name: 'C', value: 'JP' },
      { name: 'CN', value: 'TEST-UNLINKED-CARD' },
    ],
    publicKey: cardKey,
    issuer: { certificatePem: caPem, privateKey: caKey },
    notBefore: new Date('2024-01-01'),
    notAfter: new Date('2040-01-01'),
  });
}

function signedWith(cardKey: KeyObject, certPem: string, nonce: string): Promise<string> {
  return signPinRequest({
    nonce,
    kioskId: KIOSK,
    now: new Date(),
    request: { kind: 'qualification', medicalInstitutionCode: MEDICAL_INSTITUTION },
    cardCertificate: new X509Certificate(certPem).raw,
    signSha256: async (message) => new Uint8Array(sign('sha256', message, cardKey)),
  });
}
