/**
 * The two ways the kiosk proves a patient's identity upstream, each a compact JWS over a
 * server-issued nonce:
 * - PIN path: the card itself signs, after the patient's PIN opened its user-authentication key;
 *   the card's certificate is the JWS x5c, so the upstream checks it against the JPKI CA. The card
 *   signs a qualification request, or the patient's request for their own access log.
 * - face / visual path: no PIN, so the card cannot sign; the kiosk's device key attests what the
 *   kiosk saw (card certificate, match, liveness or a staff check), and the upstream accepts that
 *   only from a registered kiosk certificate.
 */
import { X509Certificate } from 'node:crypto';
import { certificateSha256, signCompactJws, x5cEntry } from './jws.ts';
import {
  ATTESTATION_TYPE,
  type AttestationClaims,
  attestationClaimsSchema,
  PIN_REQUEST_TYPE,
  type PinClaims,
  parseClaims,
  pinClaimsSchema,
  type QualificationRequest,
  type SignedRequest,
} from './request-claims.ts';
import { SignedRequestError } from './signed-request-errors.ts';

export {
  type AccessLogRequest,
  ATTESTATION_TYPE,
  type AttestationClaims,
  type ClaimsOf,
  decodeClaims,
  type FaceAttestationClaims,
  isRequestKind,
  PIN_REQUEST_TYPE,
  type PinClaims,
  type QualificationRequest,
  type SignedRequest,
  type SignedRequestClaims,
  type VisualAttestationClaims,
} from './request-claims.ts';

/** What every signed request carries besides its proof. */
export interface RequestContext {
  /** Issued by the upstream for this one request: what makes a replay detectable. */
  nonce: string;
  kioskId: string;
  now: Date;
  request: QualificationRequest;
}

export interface PinRequestInput extends Omit<RequestContext, 'request'> {
  /** A qualification, or the patient's own access log: only the card may sign the latter. */
  request: SignedRequest;
  /** DER of the card's JPKI user-authentication certificate. */
  cardCertificate: Uint8Array;
  /** The card's signature over SHA-256 of `message` (JpkiSession.signSha256): RS256 as JWS means it. */
  signSha256: (message: Uint8Array) => Promise<Uint8Array>;
}

/** The device key as the attestation needs it: the kiosk's device signer is one, so is the flow's Attestor. */
export interface AttestationSigner {
  /** CKA_ID of the key pair, lower-case hex: the JWS `kid`. */
  readonly keyId: string;
  /** The installed device certificate, PEM, or null before one is installed. */
  readonly certificatePem: string | null;
  /** RSASSA-PKCS1-v1_5 with SHA-256 over `data`. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface AttestationInput extends RequestContext {
  device: AttestationSigner;
  /** DER of the card's JPKI user-authentication certificate (readable without a PIN). */
  cardCertificate: Uint8Array;
  method: 'face' | 'visual';
  /** Required for `face`. */
  match?: { score: number; threshold: number; calibratedFar: number };
  /** Required for `face`. */
  liveness?: { passed: boolean; challenge: 'none' | 'blink' | 'turn'; passiveScore?: number };
  /** Must be true for `visual`: a member of staff compared the patient with the card face. */
  staffConfirmed?: boolean;
}

export async function signPinRequest(input: PinRequestInput): Promise<string> {
  const card = cardCertificateDer(input.cardCertificate);
  const claims: PinClaims = parseClaims(
    pinClaimsSchema,
    { ...common(input), method: 'pin' },
    'invalid-request',
  );
  return signCompactJws({ typ: PIN_REQUEST_TYPE, x5c: [x5cEntry(card)] }, claims, input.signSha256);
}

/** The patient's request for their own access log, signed by the card like the PIN path. */
export function signAccessLogRequest(input: Omit<PinRequestInput, 'request'>): Promise<string> {
  return signPinRequest({ ...input, request: { kind: 'access-log' } });
}

export async function signAttestation(input: AttestationInput): Promise<string> {
  const device = deviceCertificateDer(input.device);
  const card = cardCertificateDer(input.cardCertificate);
  const claims: AttestationClaims = parseClaims(
    attestationClaimsSchema,
    {
      ...common(input),
      method: input.method,
      card: { x5c: [x5cEntry(card)], 'x5t#S256': certificateSha256(card) },
      match: input.match,
      liveness: input.liveness,
      staffConfirmed: input.staffConfirmed,
    },
    'invalid-request',
  );
  return signCompactJws(
    { typ: ATTESTATION_TYPE, kid: input.device.keyId, x5c: [x5cEntry(device)] },
    claims,
    (data) => input.device.sign(data),
  );
}

function common(input: Omit<RequestContext, 'request'> & { request: SignedRequest }) {
  return {
    nonce: input.nonce,
    kioskId: input.kioskId,
    iat: Math.floor(input.now.getTime() / 1000),
    request: input.request,
  };
}

function cardCertificateDer(der: Uint8Array): Buffer {
  try {
    return new X509Certificate(der).raw;
  } catch (error) {
    throw new SignedRequestError('invalid-request', 'the card certificate is not a DER X.509 certificate', {
      cause: error,
    });
  }
}

function deviceCertificateDer(device: AttestationSigner): Buffer {
  if (!device.certificatePem)
    throw new SignedRequestError(
      'no-device-certificate',
      'the kiosk has no device certificate installed (kiosk device install-cert): the upstream accepts ' +
        'face-path requests only from a registered kiosk certificate',
    );
  try {
    return new X509Certificate(device.certificatePem).raw;
  } catch (error) {
    throw new SignedRequestError('no-device-certificate', 'the installed device certificate does not parse', {
      cause: error,
    });
  }
}
