/**
 * The claims of the signed requests, as one set of rules for both ends: the kiosk checks what it
 * is about to sign against them (so it never sends what the upstream must refuse), the upstream
 * checks what it received against the same ones.
 */
import { z } from 'zod';
import { certificateFromX5c, certificateSha256, type VerifiedJws } from './jws.ts';
import { SignedRequestError, type SignedRequestErrorCode } from './signed-request-errors.ts';

/** JWS `typ` of a PIN-path request: signed by the card's user-authentication key. */
export const PIN_REQUEST_TYPE = 'oqs-pin+jws';
/** JWS `typ` of a face- or visual-path attestation: signed by the kiosk's device key. */
export const ATTESTATION_TYPE = 'kiosk-attestation+jws';

// Server-issued and configured values: visible ASCII keeps them out of any log-forging trouble.
const token = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[\x21-\x7e]+$/, 'must be 1 or more visible ASCII characters');

export const qualificationRequestSchema = z.strictObject({
  kind: z.literal('qualification'),
  medicalInstitutionCode: z.string().regex(/^\d{10}$/, 'must be 10 digits'),
});

/** 資格確認: what the patient's insurance is, asked for by the clinic the kiosk serves. */
export type QualificationRequest = z.infer<typeof qualificationRequestSchema>;

export const accessLogRequestSchema = z.strictObject({ kind: z.literal('access-log') });

/**
 * The patient's own access log: who looked at their records. Only the card holder may ask, so only
 * a card-signed (PIN path) request carries it; a kiosk attestation cannot.
 */
export type AccessLogRequest = z.infer<typeof accessLogRequestSchema>;

/**
 * What a signed request asks for. The kind is signed with the rest, so a request signed for one
 * endpoint is refused by every other one.
 */
export const signedRequestSchema = z.discriminatedUnion('kind', [
  qualificationRequestSchema,
  accessLogRequestSchema,
]);

export type SignedRequest = z.infer<typeof signedRequestSchema>;
export type RequestKind = SignedRequest['kind'];

const commonClaims = {
  nonce: token(256),
  kioskId: token(128),
  /** Seconds since the epoch. */
  iat: z.int().nonnegative(),
};

const cardClaim = z.strictObject({
  /** The card's user-authentication certificate first (standard base64 DER), as in a JWS x5c. */
  x5c: z.array(z.string()).min(1).max(4),
  'x5t#S256': z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url SHA-256'),
});

/** Descriptor distance (lower is closer), the threshold it was judged by and that threshold's FAR. */
const matchShape = {
  score: z.number().nonnegative(),
  threshold: z.number().nonnegative(),
  calibratedFar: z.number().min(0).max(1),
};

const livenessShape = {
  passed: z.boolean(),
  challenge: z.enum(['none', 'blink', 'turn']),
  passiveScore: z.number().optional(),
};

/** A missing member gets a sentence of its own; anything else keeps zod's wording. */
const whenMissing = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? message : undefined),
});

export const pinClaimsSchema = z.strictObject({
  ...commonClaims,
  request: signedRequestSchema,
  method: z.literal('pin'),
});

export const faceClaimsSchema = z.strictObject({
  ...commonClaims,
  request: qualificationRequestSchema,
  method: z.literal('face'),
  card: cardClaim,
  match: z.strictObject(matchShape, whenMissing('the face method needs the match result')),
  liveness: z.strictObject(livenessShape, whenMissing('the face method needs the liveness result')),
  staffConfirmed: z.boolean().optional(),
});

export const visualClaimsSchema = z.strictObject({
  ...commonClaims,
  request: qualificationRequestSchema,
  method: z.literal('visual'),
  card: cardClaim,
  match: z.strictObject(matchShape).optional(),
  liveness: z.strictObject(livenessShape).optional(),
  staffConfirmed: z.literal(true, { error: 'the visual method needs staffConfirmed true' }),
});

export const attestationClaimsSchema = z.discriminatedUnion('method', [faceClaimsSchema, visualClaimsSchema]);

export type PinClaims = z.infer<typeof pinClaimsSchema>;
export type FaceAttestationClaims = z.infer<typeof faceClaimsSchema>;
export type VisualAttestationClaims = z.infer<typeof visualClaimsSchema>;
export type AttestationClaims = z.infer<typeof attestationClaimsSchema>;
export type SignedRequestClaims = PinClaims | AttestationClaims;
/** Claims asking for one kind of request. */
export type ClaimsOf<K extends RequestKind> = SignedRequestClaims & {
  request: Extract<SignedRequest, { kind: K }>;
};

export function isRequestKind<K extends RequestKind>(
  claims: SignedRequestClaims,
  kind: K,
): claims is ClaimsOf<K> {
  return claims.request.kind === kind;
}

/**
 * The typed claims of a JWS that `verifyCompactJws` accepted. Checks what binds the parts together
 * (the `typ` fits the method, the card hash fits the card certificate); whether the signer and the
 * card are trusted, and whether the nonce is fresh, is the upstream's to decide next.
 */
export function decodeClaims(verified: VerifiedJws): SignedRequestClaims {
  const { header, payload } = verified;
  if (header.typ === PIN_REQUEST_TYPE) {
    if (payload.method !== 'pin')
      throw new SignedRequestError('wrong-type', `a ${PIN_REQUEST_TYPE} request must claim method pin`);
    return parseClaims(pinClaimsSchema, payload, 'invalid-claims');
  }
  if (header.typ === ATTESTATION_TYPE) {
    if (payload.method !== 'face' && payload.method !== 'visual')
      throw new SignedRequestError('wrong-type', `a ${ATTESTATION_TYPE} must claim method face or visual`);
    if (!header.kid)
      throw new SignedRequestError('invalid-claims', 'an attestation names its device key (kid)');
    const claims = parseClaims(attestationClaimsSchema, payload, 'invalid-claims');
    checkCardHash(claims.card);
    return claims;
  }
  throw new SignedRequestError(
    'wrong-type',
    `the JWS typ must be ${PIN_REQUEST_TYPE} or ${ATTESTATION_TYPE}`,
  );
}

/** Parses with `schema`, or throws a SignedRequestError whose message lists fields and rules only. */
export function parseClaims<T>(schema: z.ZodType<T>, value: unknown, code: SignedRequestErrorCode): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'claims';
    // The unknown member's name is the sender's text: it is not repeated.
    return `${where}: ${issue.code === 'unrecognized_keys' ? 'unexpected member' : issue.message}`;
  });
  throw new SignedRequestError(code, `the request claims break the rules: ${problems.join('; ')}`);
}

function checkCardHash(card: AttestationClaims['card']): void {
  let der: Buffer;
  try {
    der = certificateFromX5c(card.x5c[0]).raw;
  } catch (error) {
    throw new SignedRequestError('invalid-claims', 'card.x5c[0] is not a certificate', { cause: error });
  }
  if (certificateSha256(der) !== card['x5t#S256'])
    throw new SignedRequestError('invalid-claims', "card.x5t#S256 is not the hash of the card's certificate");
}
