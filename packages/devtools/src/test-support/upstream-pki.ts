/**
 * Test helpers for the reference upstream: an HTTPS client with a client certificate, and signed
 * requests made with real keys — the card's user-authentication key from the test PKI (or the
 * virtual card itself), and a node:crypto device key whose certificate the upstream CA issued.
 */
import { generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import { virtualCardFor } from '@myna/card-sim/card-factory.js';
import { InProcessConnection } from '@myna/card-sim/in-process-connection.js';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson, type Person } from '@myna/card-sim/person.js';
import { loadTestPki, personKeys } from '@myna/card-sim/test-pki.js';
import { signAccessLogRequest, signAttestation, signPinRequest } from '@myna/protocol/signed-requests.js';
import type { RunningUpstream } from '@myna/upstream-ref/start-upstream.js';

export const MEDICAL_INSTITUTION = '1312345678';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The body as a problem document, for refusals. */
  problem: { type: string; title: string; status: number; code: string; detail: string };
}

export interface ClientPair {
  keyPem: string;
  certPem: string;
}

export interface UpstreamClient {
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  get(path: string): Promise<HttpAnswer>;
  /** Sends `raw` as it is (oversized or broken bodies). */
  send(
    method: string,
    path: string,
    raw: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer>;
}

export function upstreamClient(
  upstream: Pick<RunningUpstream, 'url' | 'pki'>,
  pair: ClientPair,
): UpstreamClient {
  const url = new URL(upstream.url);
  const send = (method: string, path: string, raw?: string | Buffer, headers: Record<string, string> = {}) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          ca: upstream.pki.ca.certPem,
          key: pair.keyPem,
          cert: pair.certPem,
          headers: raw === undefined ? headers : { 'content-type': 'application/json', ...headers },
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // Left as text: the test says what it expected.
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              problem: body as HttpAnswer['problem'],
            });
          });
        },
      );
      req.on('error', reject);
      if (raw !== undefined) req.write(raw);
      req.end();
    });
  return {
    post: (path, body, headers) => send('POST', path, JSON.stringify(body ?? {}), headers),
    get: (path) => send('GET', path),
    send: (method, path, raw, headers) => send(method, path, raw, headers),
  };
}

export function testPerson(id: string): Person {
  return loadPerson(peopleFile(id));
}

export function cardKeys(person: Person): { privateKey: KeyObject; certificateDer: Uint8Array } {
  return personKeys(person, loadTestPki()).auth;
}

const signWith = (key: KeyObject) => async (message: Uint8Array) =>
  new Uint8Array(sign('sha256', message, key));

/** A PIN-path request signed with the person's card key as the test PKI holds it. */
export function pinRequest(
  person: Person,
  nonce: string,
  kioskId: string,
  now = new Date(),
): Promise<string> {
  const keys = cardKeys(person);
  return signPinRequest({
    nonce,
    kioskId,
    now,
    request: { kind: 'qualification', medicalInstitutionCode: MEDICAL_INSTITUTION },
    cardCertificate: keys.certificateDer,
    signSha256: signWith(keys.privateKey),
  });
}

/** The virtual card for `person`, its PIN verified as the kiosk does before the card signs. */
async function onVirtualCard(
  person: Person,
  sign: (card: {
    certificate: Uint8Array;
    signSha256: (message: Uint8Array) => Promise<Uint8Array>;
  }) => Promise<string>,
): Promise<string> {
  const connection = new InProcessConnection(virtualCardFor(person));
  try {
    const card = await MyNumberCard.recognise(connection);
    const certificate = await card.jpki.authCertificate();
    await card.jpki.verifyAuthPin(person.pin!);
    return await sign({
      certificate: certificate.der,
      signSha256: (message) => card.jpki.signSha256(message),
    });
  } finally {
    await connection.close();
  }
}

/** A PIN-path request signed on the virtual card after VERIFY of its PIN, as the kiosk does it. */
export function pinRequestFromVirtualCard(person: Person, nonce: string, kioskId: string): Promise<string> {
  return onVirtualCard(person, ({ certificate, signSha256 }) =>
    signPinRequest({
      nonce,
      kioskId,
      now: new Date(),
      request: { kind: 'qualification', medicalInstitutionCode: MEDICAL_INSTITUTION },
      cardCertificate: certificate,
      signSha256,
    }),
  );
}

/** The patient's access-log request signed on the virtual card, as the kiosk asks for it. */
export function accessLogRequestFromVirtualCard(
  person: Person,
  nonce: string,
  kioskId: string,
): Promise<string> {
  return onVirtualCard(person, ({ certificate, signSha256 }) =>
    signAccessLogRequest({ nonce, kioskId, now: new Date(), cardCertificate: certificate, signSha256 }),
  );
}

/** The patient's access-log request, signed with the person's card key as the test PKI holds it. */
export function accessLogRequest(person: Person, nonce: string, kioskId: string): Promise<string> {
  const keys = cardKeys(person);
  return signAccessLogRequest({
    nonce,
    kioskId,
    now: new Date(),
    cardCertificate: keys.certificateDer,
    signSha256: signWith(keys.privateKey),
  });
}

export interface TestDevice {
  kioskId: string;
  privateKey: KeyObject;
  certPem: string;
}

/** A device key in memory with a certificate from the upstream CA (registered or not: the caller says). */
export function testDevice(
  upstream: Pick<RunningUpstream, 'pki'>,
  kioskId: string,
  validity: { notBefore?: Date; notAfter?: Date } = {},
): TestDevice {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { certPem } = upstream.pki.issueDeviceCertificate(kioskId, privateKey, validity);
  return { kioskId, privateKey, certPem };
}

export interface AttestationOptions {
  method?: 'face' | 'visual';
  score?: number;
  threshold?: number;
  livenessPassed?: boolean;
  kioskId?: string;
}

/** A face- or visual-path attestation for the person's card, signed by the device key. */
export function attestation(
  device: TestDevice,
  person: Person,
  nonce: string,
  options: AttestationOptions = {},
): Promise<string> {
  const method = options.method ?? 'face';
  return signAttestation({
    nonce,
    kioskId: options.kioskId ?? device.kioskId,
    now: new Date(),
    request: { kind: 'qualification', medicalInstitutionCode: MEDICAL_INSTITUTION },
    device: {
      keyId: 'test-device-key',
      certificatePem: device.certPem,
      sign: signWith(device.privateKey),
    },
    cardCertificate: cardKeys(person).certificateDer,
    method,
    ...(method === 'face'
      ? {
          match: { score: options.score ?? 0.31, threshold: options.threshold ?? 0.52, calibratedFar: 0.001 },
          liveness: { passed: options.livenessPassed ?? true, challenge: 'blink' as const },
        }
      : { staffConfirmed: true }),
  });
}

/** The card certificate's serial as the upstream's CRL names it. */
export function cardSerial(person: Person): string {
  return new X509Certificate(cardKeys(person).certificateDer).serialNumber;
}
