/** COMPUTE DIGITAL SIGNATURE (`80 2A`): the four PKCS#1 v1.5 schemes selected by P1. */
import { constants, createHash, type KeyObject, privateEncrypt } from 'node:crypto';
import { SHA256_DIGEST_INFO_PREFIX, SIGN_SCHEME, SW } from '@myna/card/spec.js';

const SHA256_LENGTH = 32;
/** PKCS#1 v1.5 type 1 padding needs at least 11 bytes of a 256-byte block. */
const MAX_RAW_INPUT = 256 - 11;

export type SignOutcome = { readonly signature: Uint8Array } | { readonly sw: number };

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();
const wrap = (hash: Uint8Array) => Buffer.concat([SHA256_DIGEST_INFO_PREFIX, hash]);

function blockFor(scheme: number, data: Uint8Array): Uint8Array | number {
  switch (scheme) {
    case SIGN_SCHEME.asGiven:
      return data.length > 0 && data.length <= MAX_RAW_INPUT ? data : SW.wrongLength;
    case SIGN_SCHEME.hashThenSign:
      return sha256(data);
    case SIGN_SCHEME.wrapHash:
      return data.length === SHA256_LENGTH ? wrap(data) : SW.wrongLength;
    case SIGN_SCHEME.hashAndWrap:
      return wrap(sha256(data));
    default:
      return SW.wrongP1P2;
  }
}

export function computeSignature(key: KeyObject, scheme: number, data: Uint8Array): SignOutcome {
  const block = blockFor(scheme, data);
  if (typeof block === 'number') return { sw: block };
  return { signature: privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, block) };
}
