import { type KeyObject, sign } from 'node:crypto';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { loadTestPki, personKeys } from '@myna/card-sim/test-pki.js';
import { toPem } from '@myna/kiosk/upstream/device-key/certificate.js';
import { describe, expect, it, vi } from 'vitest';
import { certificateSha256, signCompactJws, verifyCompactJws, x5cEntry } from '../../src/jws.ts';
import { SignedRequestError, type SignedRequestErrorCode } from '../../src/signed-request-errors.ts';
import {
  ATTESTATION_TYPE,
  type AttestationInput,
  decodeClaims,
  isRequestKind,
  PIN_REQUEST_TYPE,
  signAccessLogRequest,
  signAttestation,
  signPinRequest,
} from '../../src/signed-requests.ts';

const pki = loadTestPki();
const card = personKeys(loadPerson(peopleFile('middle-aged')), pki).auth;
// Any registered-looking RSA key and certificate stands in for the kiosk's device key here.
const deviceKeys = personKeys(loadPerson(peopleFile('elderly')), pki).auth;
const signWith = (key: KeyObject) => async (data: Uint8Array) => sign('sha256', data, key);

const NONCE = 'nonce-7f3a9c2e-4b1d';
const context = {
  nonce: NONCE,
  kioskId: 'kiosk-0001',
  now: new Date('2026-01-05T09:30:15.900Z'),
  request: { kind: 'qualification' as const, medicalInstitutionCode: '1312345678' },
};
const IAT = Date.parse('2026-01-05T09:30:15Z') / 1000;
/** What both kinds of request claim besides their method and proof. */
const COMMON_CLAIMS = {
  nonce: NONCE,
  kioskId: 'kiosk-0001',
  iat: IAT,
  request: { kind: 'qualification', medicalInstitutionCode: '1312345678' },
};

function device(certificate: Uint8Array | null = deviceKeys.certificateDer) {
  return {
    keyId: 'a1b2c3d4e5f60718293a4b5c6d7e8f9001122334',
    certificatePem: certificate ? toPem('CERTIFICATE', certificate) : null,
    sign: vi.fn(signWith(deviceKeys.privateKey)),
  };
}

const faceInput = (): AttestationInput => ({
  ...context,
  device: device(),
  cardCertificate: card.certificateDer,
  method: 'face',
  match: { score: 0.41, threshold: 0.55, calibratedFar: 0.0001 },
  liveness: { passed: true, challenge: 'blink', passiveScore: 0.93 },
});

async function rejection(promise: Promise<unknown>, code: SignedRequestErrorCode): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignedRequestError);
  expect(error).toMatchObject({ code });
  const { message } = error as Error;
  expect(message).not.toContain(NONCE);
  return message;
}

describe('signPinRequest', () => {
  it('makes an oqs-pin+jws with the card certificate as x5c and the pin claims', async () => {
    const signSha256 = vi.fn(signWith(card.privateKey));
    const jws = await signPinRequest({ ...context, cardCertificate: card.certificateDer, signSha256 });
    expect(signSha256).toHaveBeenCalledTimes(1);
    const verified = verifyCompactJws(jws);
    expect(verified.header).toEqual({
      alg: 'RS256',
      typ: PIN_REQUEST_TYPE,
      x5c: [x5cEntry(card.certificateDer)],
    });
    expect(verified.payload).toEqual({ ...COMMON_CLAIMS, method: 'pin' });
    expect(decodeClaims(verified)).toEqual(verified.payload);
  });

  it('refuses, without asking the card to sign, what the upstream would refuse', async () => {
    const signSha256 = vi.fn(signWith(card.privateKey));
    const base = { ...context, cardCertificate: card.certificateDer, signSha256 };
    expect(
      await rejection(
        signPinRequest({ ...base, request: { ...base.request, medicalInstitutionCode: '131234567' } }),
        'invalid-request',
      ),
    ).toMatch(/request\.medicalInstitutionCode: must be 10 digits/);
    await rejection(signPinRequest({ ...base, nonce: '' }), 'invalid-request');
    await rejection(signPinRequest({ ...base, kioskId: 'kiosk 1' }), 'invalid-request');
    await rejection(signPinRequest({ ...base, now: new Date(Number.NaN) }), 'invalid-request');
    await rejection(
      signPinRequest({ ...base, cardCertificate: new Uint8Array([0x30, 0x03, 1, 2, 3]) }),
      'invalid-request',
    );
    expect(signSha256).not.toHaveBeenCalled();
  });
});

describe('signAccessLogRequest', () => {
  it('makes an oqs-pin+jws asking for the access log, signed by the card', async () => {
    const signSha256 = vi.fn(signWith(card.privateKey));
    const { request: _qualification, ...rest } = context;
    const verified = verifyCompactJws(
      await signAccessLogRequest({ ...rest, cardCertificate: card.certificateDer, signSha256 }),
    );
    expect(signSha256).toHaveBeenCalledTimes(1);
    expect(verified.header).toEqual({
      alg: 'RS256',
      typ: PIN_REQUEST_TYPE,
      x5c: [x5cEntry(card.certificateDer)],
    });
    expect(verified.payload).toEqual({ ...COMMON_CLAIMS, request: { kind: 'access-log' }, method: 'pin' });
    const claims = decodeClaims(verified);
    expect(isRequestKind(claims, 'access-log')).toBe(true);
    expect(isRequestKind(claims, 'qualification')).toBe(false);
  });

  it('is what signPinRequest makes for an access-log request', async () => {
    const input = { ...context, cardCertificate: card.certificateDer, signSha256: signWith(card.privateKey) };
    const { request: _qualification, ...rest } = input;
    // RSA PKCS#1 v1.5 is deterministic: the same claims under the same key give the same token.
    expect(await signAccessLogRequest(rest)).toBe(
      await signPinRequest({ ...input, request: { kind: 'access-log' } }),
    );
  });

  it('refuses an access-log request carrying anything but its kind', async () => {
    const signSha256 = vi.fn(signWith(card.privateKey));
    const request = { kind: 'access-log', medicalInstitutionCode: '1312345678' } as never;
    expect(
      await rejection(
        signPinRequest({ ...context, request, cardCertificate: card.certificateDer, signSha256 }),
        'invalid-request',
      ),
    ).toMatch(/request: unexpected member/);
    expect(signSha256).not.toHaveBeenCalled();
  });
});

describe('signAttestation', () => {
  it('makes a kiosk-attestation+jws signed by the device key, naming and hashing the card', async () => {
    const input = faceInput();
    const verified = verifyCompactJws(await signAttestation(input));
    expect(verified.header).toEqual({
      alg: 'RS256',
      typ: ATTESTATION_TYPE,
      kid: input.device.keyId,
      x5c: [x5cEntry(deviceKeys.certificateDer)],
    });
    expect(verified.payload).toEqual({
      ...COMMON_CLAIMS,
      method: 'face',
      card: { x5c: [x5cEntry(card.certificateDer)], 'x5t#S256': certificateSha256(card.certificateDer) },
      match: { score: 0.41, threshold: 0.55, calibratedFar: 0.0001 },
      liveness: { passed: true, challenge: 'blink', passiveScore: 0.93 },
    });
    expect(decodeClaims(verified)).toEqual(verified.payload);
  });

  it('signs a visual check with staffConfirmed, no match or liveness needed', async () => {
    const { match: _m, liveness: _l, ...rest } = faceInput();
    const verified = verifyCompactJws(
      await signAttestation({ ...rest, method: 'visual', staffConfirmed: true }),
    );
    expect(decodeClaims(verified)).toMatchObject({ method: 'visual', staffConfirmed: true });
    expect(verified.payload).not.toHaveProperty('match');
  });

  it('refuses without an installed device certificate: the upstream trusts only registered kiosks', async () => {
    const input = { ...faceInput(), device: device(null) };
    expect(await rejection(signAttestation(input), 'no-device-certificate')).toMatch(/install-cert/);
    expect(input.device.sign).not.toHaveBeenCalled();
  });

  it('refuses a face attestation without match or liveness, and a visual one not confirmed by staff', async () => {
    const input = faceInput();
    expect(await rejection(signAttestation({ ...input, match: undefined }), 'invalid-request')).toMatch(
      /match: the face method needs the match result/,
    );
    expect(await rejection(signAttestation({ ...input, liveness: undefined }), 'invalid-request')).toMatch(
      /liveness: the face method needs the liveness result/,
    );
    for (const staffConfirmed of [undefined, false])
      expect(
        await rejection(signAttestation({ ...input, method: 'visual', staffConfirmed }), 'invalid-request'),
      ).toMatch(/staffConfirmed: the visual method needs staffConfirmed true/);
    await rejection(
      signAttestation({ ...input, match: { score: Number.NaN, threshold: 0.5, calibratedFar: 0.001 } }),
      'invalid-request',
    );
    await rejection(
      signAttestation({ ...input, match: { score: 0.4, threshold: 0.5, calibratedFar: 2 } }),
      'invalid-request',
    );
    expect(input.device.sign).not.toHaveBeenCalled();
  });
});

describe('decodeClaims refusals', () => {
  const cardClaim = {
    x5c: [x5cEntry(card.certificateDer)],
    'x5t#S256': certificateSha256(card.certificateDer),
  };
  const pinPayload = { ...COMMON_CLAIMS, method: 'pin' };
  const facePayload = {
    ...pinPayload,
    method: 'face',
    card: cardClaim,
    match: { score: 0.41, threshold: 0.55, calibratedFar: 0.0001 },
    liveness: { passed: true, challenge: 'none' },
  };
  const pinHeader = { typ: PIN_REQUEST_TYPE, x5c: [x5cEntry(card.certificateDer)] };
  const faceHeader = { typ: ATTESTATION_TYPE, kid: 'k1', x5c: [x5cEntry(deviceKeys.certificateDer)] };

  async function decoded(header: object, payload: object) {
    const key = 'kid' in header ? deviceKeys.privateKey : card.privateKey;
    return decodeClaims(verifyCompactJws(await signCompactJws(header, payload, signWith(key))));
  }

  async function refused(header: object, payload: object, code: SignedRequestErrorCode): Promise<string> {
    return rejection(decoded(header, payload), code);
  }

  it('accepts the untouched pin and face claims (each refusal below has one change)', async () => {
    expect(await decoded(pinHeader, pinPayload)).toEqual(pinPayload);
    expect(await decoded(faceHeader, facePayload)).toEqual(facePayload);
    const accessLog = { ...pinPayload, request: { kind: 'access-log' } };
    expect(await decoded(pinHeader, accessLog)).toEqual(accessLog);
  });

  it('wrong-type: an unknown or missing typ, or a method that does not fit it', async () => {
    await refused({ ...pinHeader, typ: 'JWT' }, pinPayload, 'wrong-type');
    await refused({ x5c: pinHeader.x5c }, pinPayload, 'wrong-type');
    await refused(pinHeader, { ...pinPayload, method: 'face' }, 'wrong-type');
    await refused(faceHeader, pinPayload, 'wrong-type');
  });

  it('invalid-claims: wrong shapes, unexpected members, a card hash that is not the card', async () => {
    for (const change of [
      { iat: -1 },
      { iat: 1.5 },
      { iat: String(IAT) },
      { nonce: '' },
      { nonce: 'has space' },
      { request: { kind: 'eligibility', medicalInstitutionCode: '1312345678' } },
      { request: { ...context.request, extra: 1 } },
    ])
      await refused(pinHeader, { ...pinPayload, ...change }, 'invalid-claims');
    const unexpected = await refused(
      pinHeader,
      { ...pinPayload, myNumberLeak: '314159265352' },
      'invalid-claims',
    );
    expect(unexpected).not.toContain('myNumberLeak');

    await refused({ ...faceHeader, kid: undefined }, facePayload, 'invalid-claims');
    await refused(faceHeader, { ...facePayload, match: undefined }, 'invalid-claims');
    await refused(
      faceHeader,
      { ...facePayload, liveness: { passed: 'yes', challenge: 'none' } },
      'invalid-claims',
    );
    await refused(faceHeader, { ...facePayload, method: 'visual', staffConfirmed: false }, 'invalid-claims');
    // Only the card holder asks for the access log: a kiosk's attestation cannot.
    expect(
      await refused(faceHeader, { ...facePayload, request: { kind: 'access-log' } }, 'invalid-claims'),
    ).toMatch(/request\.kind/);
    const otherCard = x5cEntry(deviceKeys.certificateDer);
    expect(
      await refused(
        faceHeader,
        { ...facePayload, card: { ...cardClaim, x5c: [otherCard] } },
        'invalid-claims',
      ),
    ).toMatch(/x5t#S256 is not the hash/);
    await refused(faceHeader, { ...facePayload, card: { ...cardClaim, x5c: ['AAAA'] } }, 'invalid-claims');
    await refused(
      faceHeader,
      { ...facePayload, card: { ...cardClaim, 'x5t#S256': 'short' } },
      'invalid-claims',
    );
  });
});
