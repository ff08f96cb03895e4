/**
 * Compact JWS (RFC 7515) with RS256 only: the form of every signed request the kiosk sends upstream.
 * One algorithm keeps the verifier small enough to read in full; the keys that sign (the card's
 * user-authentication key, the kiosk's device key) are RSA-2048 PKCS#1 v1.5 anyway.
 *
 * The verifier trusts nothing in the token but the signature under x5c[0]'s key. Whether that
 * certificate is one the upstream accepts (chain, CRL, expiry, registered kiosk) is the caller's
 * decision, made after this.
 */
import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import { BoundedCache } from './bounded-cache.ts';
import { JwsError } from './jws-errors.ts';
import { decodeBase64, decodeBase64url, encodeBase64url } from './strict-base64.ts';

export const JWS_ALGORITHM = 'RS256';
/** Far above a request with a card certificate and a device certificate (~5 KiB), far below abuse. */
export const MAX_JWS_LENGTH = 64 * 1024;
/** RFC 7518 §3.3 asks for 2048 bits at least; a card or device key is never smaller. */
const MIN_RSA_BITS = 2048;
const MAX_CHAIN_LENGTH = 8;
/**
 * Parsing a DER certificate costs a few tenths of a millisecond, more than the rest of a request's
 * checks together, and a kiosk's patients bring the same few hundred cards again and again. An
 * X509Certificate never changes once made, and SHA-256 names its DER beyond doubt, so one parse per
 * distinct certificate is shared by every request that carries it.
 */
const parsedCertificates = new BoundedCache<string, X509Certificate>(2_048);
/** Certificates whose key already passed checkSigningKey: the answer is a property of the DER. */
const rsaSigners = new WeakSet<X509Certificate>();
/**
 * A card signs every request with the same header (its certificate is most of it), so a header's
 * exact base64url text, which strict decoding maps to one value only, stands for everything read
 * and checked from it. Frozen: every request that carries the text shares the one object.
 */
const checkedHeaders = new BoundedCache<
  string,
  { header: VerifiedJwsHeader; chain: readonly X509Certificate[] }
>(1_024);

/** RSASSA-PKCS1-v1_5 with SHA-256 over `signingInput`, made where the key lives (card or token). */
export type JwsSign = (signingInput: Uint8Array) => Promise<Uint8Array>;

export interface JwsHeader {
  /** Always RS256 in what is signed, whatever is given. */
  alg?: typeof JWS_ALGORITHM;
  typ?: string;
  kid?: string;
  /** The signer's certificate first, then its issuers; standard base64 of each DER. */
  x5c?: string[];
}

export interface VerifiedJwsHeader {
  alg: typeof JWS_ALGORITHM;
  typ?: string;
  kid?: string;
  x5c: string[];
  /** Parameters this module has no use for are passed on unread. */
  [parameter: string]: unknown;
}

export interface VerifiedJws {
  header: VerifiedJwsHeader;
  payload: Record<string, unknown>;
  /** x5c[0]: the certificate whose key made the signature. */
  certificate: X509Certificate;
  /** Every x5c certificate in order, x5c[0] included: not checked against one another here. */
  chain: readonly X509Certificate[];
}

export async function signCompactJws(header: JwsHeader, payload: object, sign: JwsSign): Promise<string> {
  if (Array.isArray(payload)) throw new JwsError('malformed', 'a JWS payload here is a JSON object');
  const { alg: _given, ...rest } = header;
  const signingInput = `${encodeJson({ alg: JWS_ALGORITHM, ...rest })}.${encodeJson(payload)}`;
  const signature = await sign(Buffer.from(signingInput, 'ascii'));
  const jws = `${signingInput}.${encodeBase64url(signature)}`;
  // Refused here rather than by the upstream, where the patient would wait for the round trip.
  if (jws.length > MAX_JWS_LENGTH)
    throw new JwsError('too-large', `the JWS is longer than ${MAX_JWS_LENGTH} characters`);
  return jws;
}

export function verifyCompactJws(jws: string): VerifiedJws {
  if (typeof jws !== 'string') throw new JwsError('malformed', 'a compact JWS is a string');
  if (jws.length > MAX_JWS_LENGTH)
    throw new JwsError('too-large', `the JWS is longer than ${MAX_JWS_LENGTH} characters`);
  const parts = jws.split('.');
  if (parts.length !== 3) throw new JwsError('malformed', 'a compact JWS has three dot-separated parts');
  const [encodedHeader = '', encodedPayload = '', encodedSignature = ''] = parts;
  const { header, chain } = checkedHeaders.getOrMake(encodedHeader, () => {
    const read = parseJsonObject(part(encodedHeader, 'header'), 'header');
    const certificates = Object.freeze(checkHeader(read));
    if (Array.isArray(read.x5c)) Object.freeze(read.x5c);
    return { header: Object.freeze(read) as VerifiedJwsHeader, chain: certificates };
  });
  const certificate = chain[0]!;

  const payloadBytes = part(encodedPayload, 'payload');
  const signature = part(encodedSignature, 'signature');
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
  const key = { key: certificate.publicKey, padding: constants.RSA_PKCS1_PADDING };
  if (!verify('sha256', signed, key, signature))
    throw new JwsError('bad-signature', "the signature does not verify with x5c[0]'s key");

  // Parsed only once signed, so nothing an attacker wrote reaches the JSON parser unauthenticated.
  const payload = parseJsonObject(payloadBytes, 'payload');
  return { header, payload, certificate, chain };
}

/** The header rules, in the order that keeps an unsigned or foreign-algorithm token cheapest to refuse. */
function checkHeader(header: Record<string, unknown>): X509Certificate[] {
  // First: an `alg: none` token has no signature to decode.
  if (header.alg !== JWS_ALGORITHM)
    throw new JwsError('unsupported-algorithm', `the JWS algorithm must be ${JWS_ALGORITHM}`);
  // RFC 7515 §4.1.11: an extension the verifier does not implement makes the JWS invalid.
  if ('crit' in header) throw new JwsError('malformed', 'critical header extensions are not supported');
  for (const name of ['typ', 'kid'])
    if (name in header && typeof header[name] !== 'string')
      throw new JwsError('malformed', `the header parameter ${name} must be a string`);
  const x5c = header.x5c;
  if (x5c === undefined || (Array.isArray(x5c) && x5c.length === 0))
    throw new JwsError('missing-certificate', 'the JWS header carries no x5c certificate');
  if (!Array.isArray(x5c) || x5c.length > MAX_CHAIN_LENGTH)
    throw new JwsError('bad-certificate', `x5c must be an array of 1 to ${MAX_CHAIN_LENGTH} certificates`);
  const chain = x5c.map(certificateFromX5c);
  checkSigningKey(chain[0]!);
  return chain;
}

/** One x5c entry (standard base64 of a DER certificate) as a certificate, or `bad-certificate`. */
export function certificateFromX5c(entry: unknown): X509Certificate {
  const der = typeof entry === 'string' ? decodeBase64(entry) : null;
  if (!der) throw new JwsError('bad-certificate', 'an x5c entry is not standard base64');
  try {
    return parsedCertificates.getOrMake(
      createHash('sha256').update(der).digest('hex'),
      () => new X509Certificate(der),
    );
  } catch (error) {
    throw new JwsError('bad-certificate', 'an x5c entry is not a DER X.509 certificate', { cause: error });
  }
}

/** The JOSE `x5t#S256` of a certificate: base64url of the SHA-256 of its DER. */
export function certificateSha256(der: Uint8Array): string {
  return encodeBase64url(createHash('sha256').update(der).digest());
}

/** The `x5c` entry for a DER certificate. */
export function x5cEntry(der: Uint8Array): string {
  return Buffer.from(der).toString('base64');
}

/**
 * node:crypto verifies with whatever key it is handed: an EC certificate with an ECDSA signature
 * would pass as "RS256" unless the key type is pinned here.
 */
function checkSigningKey(certificate: X509Certificate): void {
  if (rsaSigners.has(certificate)) return;
  const key = certificate.publicKey;
  if (key.asymmetricKeyType !== 'rsa')
    throw new JwsError('bad-certificate', 'the signing certificate does not hold an RSA key');
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS)
    throw new JwsError('bad-certificate', `the signing key is shorter than ${MIN_RSA_BITS} bits`);
  rsaSigners.add(certificate);
}

function part(text: string, name: string): Buffer {
  const bytes = decodeBase64url(text);
  if (!bytes || bytes.length === 0) throw new JwsError('malformed', `the JWS ${name} is not base64url`);
  return bytes;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parseJsonObject(bytes: Buffer, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytes));
  } catch {
    // No cause: a JSON syntax error quotes the text it choked on.
    throw new JwsError('malformed', `the JWS ${name} is not UTF-8 JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new JwsError('malformed', `the JWS ${name} is not a JSON object`);
  return value as Record<string, unknown>;
}

function encodeJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
