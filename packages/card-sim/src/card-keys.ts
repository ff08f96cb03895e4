/** Public-key encodings and issuer signatures shared by the card-face and input-support builders. */
import { createHash, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { ascii, tlv } from './ber-tlv.ts';

/**
 * The card's public key as DF24 holds it: `81` modulus (256 bytes) + `82` exponent, which gives
 * the 265-byte value (`DF 24 82 01 09`) seen on a test card.
 */
export function rawRsaPublicKey(key: KeyObject): Uint8Array {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return Buffer.concat([
    tlv(0x81, Buffer.from(jwk.n!, 'base64url')),
    tlv(0x82, Buffer.from(jwk.e!, 'base64url')),
  ]);
}

export const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** RSASSA-PKCS1-v1_5 with SHA-256: how the test issuer signs everything it signs. */
export function issuerSign(issuerKey: KeyObject, data: Uint8Array): Uint8Array {
  return sign('sha256', data, issuerKey);
}

/**
 * A card-verifiable certificate `7F21` (EF 0004 of both card-face applications) binding the card's
 * key to the test issuer. The real body layout is unpublished; this follows ISO 7816-8 CV form.
 */
export function cvCertificate(cardKey: KeyObject, issuerKey: KeyObject): Uint8Array {
  const holder = Buffer.from(sha256(rawRsaPublicKey(cardKey)).subarray(0, 8))
    .toString('hex')
    .toUpperCase();
  const body = tlv(
    0x7f4e,
    tlv(0x5f29, Uint8Array.of(0)),
    tlv(0x42, ascii('JPTESTISSUER')),
    tlv(0x7f49, rawRsaPublicKey(cardKey)),
    tlv(0x5f20, ascii(holder)),
  );
  return tlv(0x7f21, body, tlv(0x5f37, issuerSign(issuerKey, body)));
}
