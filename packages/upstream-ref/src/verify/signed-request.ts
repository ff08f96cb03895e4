/**
 * From a compact JWS to a request the upstream acts on: signature (verifyCompactJws), claim shape
 * (decodeClaims, shared with the kiosk), the request kind the endpoint serves, then who signed it
 * and for whom, and last the nonce, spent in the same transaction as what the request does: a
 * request refused for any reason, its own action's included, leaves its nonce for a corrected retry.
 */
import type { X509Certificate } from 'node:crypto';
import { certificateFromX5c, type VerifiedJws, verifyCompactJws } from '@myna/protocol/jws.js';
import { JwsError } from '@myna/protocol/jws-errors.js';
import { Problem } from '@myna/protocol/problem.js';
import { PIN_REQUEST_TYPE } from '@myna/protocol/request-claims.js';
import { SignedRequestError } from '@myna/protocol/signed-request-errors.js';
import { type ClaimsOf, decodeClaims, isRequestKind } from '@myna/protocol/signed-requests.js';
import type { ClientIdentity } from '../http/client-identity.ts';
import { certificateFingerprint } from '../pki/fingerprint.ts';
import type { UpstreamRepository } from '../store/upstream-repository.ts';
import { checkIssuedCertificate, isIssuedBy, subjectField, type Trust } from './trust.ts';

export interface VerifyContext {
  readonly trust: Trust;
  readonly repo: UpstreamRepository;
  readonly now: Date;
  readonly client: ClientIdentity;
}

export interface AcceptedRequest<C> {
  readonly claims: C;
  /** The card's user-authentication certificate: the signer on the PIN path, attested otherwise. */
  readonly card: X509Certificate;
}

/** What the endpoint does with an accepted request, in the transaction that spends its nonce. */
export type ActOnce<C, T> = (request: AcceptedRequest<C>, tx: UpstreamRepository) => Promise<T>;

/** A qualification request on any path: PIN (card-signed) or face / visual (kiosk-attested). */
export async function acceptQualificationRequest<T>(
  jws: string,
  context: VerifyContext,
  act: ActOnce<ClaimsOf<'qualification'>, T>,
): Promise<T> {
  const verified = verifyJws(jws);
  const claims = claimsOf(() => decodeClaims(verified));
  if (!isRequestKind(claims, 'qualification'))
    throw new Problem(
      'malformed-request',
      `this endpoint answers requests of kind qualification, not ${claims.request.kind}`,
    );
  let card: X509Certificate;
  if (claims.method === 'pin') {
    card = verified.certificate;
  } else {
    await checkKioskDevice(verified.certificate, context);
    card = certificateFromX5c(claims.card.x5c[0]);
    if (claims.method === 'face' && !(claims.liveness.passed && claims.match.score <= claims.match.threshold))
      throw new Problem(
        'face-not-verified',
        claims.liveness.passed ? 'the match score is above its threshold' : 'the liveness check did not pass',
      );
  }
  await checkIssuedCertificate(card, context.trust.cardCa, context.repo, context.now, 'card certificate');
  return actOnce({ claims, card }, context, act);
}

/** A patient's own access-log request: card-signed like the PIN path, with its own request kind. */
export async function acceptAccessLogRequest<T>(
  jws: string,
  context: VerifyContext,
  act: ActOnce<ClaimsOf<'access-log'>, T>,
): Promise<T> {
  const verified = verifyJws(jws);
  if (verified.header.typ !== PIN_REQUEST_TYPE)
    throw new Problem(
      'malformed-request',
      `the access log is asked for with a card-signed ${PIN_REQUEST_TYPE}`,
    );
  const claims = claimsOf(() => decodeClaims(verified));
  if (!isRequestKind(claims, 'access-log'))
    throw new Problem(
      'malformed-request',
      `this endpoint answers requests of kind access-log, not ${claims.request.kind}`,
    );
  const card = verified.certificate;
  await checkIssuedCertificate(card, context.trust.cardCa, context.repo, context.now, 'card certificate');
  return actOnce({ claims, card }, context, act);
}

/**
 * The nonce is spent and the request acted on in one relaxed transaction (db/sql-database.ts). A
 * power loss may then undo both together: the nonce unspent again, and the visit it paid for gone.
 * Within the nonce's life (60 s) the same JWS could be accepted once more, but only from the kiosk
 * it names (its kioskId must be the TLS client's, whose key stays in that kiosk), and it would get
 * what the first request got: that patient's qualification at that kiosk, as a visit in place of
 * the one the power loss took. Nothing reaches anyone who had not had it, no record is left
 * half-written, so the request does not wait for the disk. What must survive (registrations,
 * consents, who read a patient's records, revocations) is written durably.
 */
async function actOnce<C extends { kioskId: string; nonce: string }, T>(
  accepted: AcceptedRequest<C>,
  { repo, client, now }: VerifyContext,
  act: ActOnce<C, T>,
): Promise<T> {
  const { claims } = accepted;
  if (claims.kioskId !== client.commonName)
    throw new Problem('kiosk-mismatch', 'the signed kioskId is not the kiosk of this connection');
  return repo.transaction(
    async (tx) => {
      const outcome = await tx.consumeNonce(claims.nonce, client.commonName, now.toISOString());
      if (outcome === 'unknown') throw new Problem('nonce-unknown', 'this kiosk was not given that nonce');
      if (outcome === 'expired') throw new Problem('nonce-expired', 'ask for a new nonce and sign again');
      if (outcome === 'replayed') throw new Problem('nonce-replayed', 'a nonce is good for one request');
      return act(accepted, tx);
    },
    { durability: 'relaxed' },
  );
}

/**
 * The attestation's signer must be the registered device certificate of the kiosk on the other end
 * of this connection, issued by the upstream CA, current and not revoked.
 */
async function checkKioskDevice(device: X509Certificate, { trust, repo, now, client }: VerifyContext) {
  if (!isIssuedBy(device, trust.upstreamCa))
    throw new Problem(
      'untrusted-certificate',
      'the attestation is not signed by a kiosk certificate of this upstream',
    );
  const kioskId = subjectField(device, 'CN') ?? '';
  const kiosk = await repo.kiosk(kioskId);
  if (!kiosk || kiosk.deviceCertSha256 !== certificateFingerprint(device))
    throw new Problem('kiosk-unknown', 'the device certificate that signed is not registered for a kiosk');
  if (kiosk.revokedAt !== null) throw new Problem('kiosk-revoked', `kiosk ${kioskId} was revoked`);
  await checkIssuedCertificate(device, trust.upstreamCa, repo, now, 'device certificate');
  if (kioskId !== client.commonName)
    throw new Problem('kiosk-mismatch', 'the attesting device is not the kiosk of this connection');
}

function verifyJws(jws: string): VerifiedJws {
  try {
    return verifyCompactJws(jws);
  } catch (error) {
    if (!(error instanceof JwsError)) throw error;
    if (error.code === 'bad-signature') throw new Problem('bad-signature', error.message);
    if (error.code === 'bad-certificate') throw new Problem('untrusted-certificate', error.message);
    throw new Problem('malformed-request', error.message);
  }
}

function claimsOf<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof SignedRequestError || error instanceof JwsError)
      throw new Problem('malformed-request', error.message);
    throw error;
  }
}
