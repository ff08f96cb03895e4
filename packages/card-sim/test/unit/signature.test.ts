import {
  constants,
  createHash,
  createPublicKey,
  publicDecrypt,
  verify as verifySignature,
  X509Certificate,
} from 'node:crypto';
import { CARD_FACE, JPKI, SHA256_DIGEST_INFO_PREFIX } from '@myna/card/spec.js';
import { describe, expect, it } from 'vitest';
import { card, readAll, selectApp, selectEf, send, sw, toHex, verify } from './card-helpers.ts';

const message = Buffer.from('nonce from the qualification server');
const hash = createHash('sha256').update(message).digest();
const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, hash]);
const lc = (data: Uint8Array) => data.length.toString(16).padStart(2, '0');
const sign = (p1: string, p2: string, data: Uint8Array) => `802A${p1}${p2}${lc(data)}${toHex(data)}00`;

function readCertificate(c: ReturnType<typeof card>, ef: number): X509Certificate {
  sw(c, selectEf(ef));
  const file = readAll(c);
  return new X509Certificate(file.subarray(0, file.readUInt16BE(2) + 4));
}

function ready(pin: string, pinEf: number, keyEf: number) {
  const c = card();
  sw(c, selectApp('jpki'));
  sw(c, selectEf(pinEf));
  expect(sw(c, verify(pin))).toBe('9000');
  sw(c, selectEf(keyEf));
  return c;
}

describe('COMPUTE DIGITAL SIGNATURE (JPKI)', () => {
  it('P1 00..03 all verify against the user-authentication certificate', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    const cert = readCertificate(c, JPKI.ef.authCertificate);
    const caCert = readCertificate(c, JPKI.ef.authCaCertificate);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(caCert.subject).toContain('JPKI test user-authentication CA');
    expect(cert.subject).not.toContain('中年');
    sw(c, selectEf(JPKI.ef.authPin));
    sw(c, verify('4321'));
    sw(c, selectEf(JPKI.ef.authKey));

    for (const [p1, data] of [
      ['00', digestInfo],
      ['02', hash],
      ['03', message],
    ] as const) {
      const r = send(c, sign(p1, '80', data));
      expect(r.sw).toBe('9000');
      expect(r.data.length).toBe(256);
      expect(verifySignature('sha256', message, cert.publicKey, r.data)).toBe(true);
    }
    const bare = send(c, sign('01', '80', message));
    expect(publicDecrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING }, bare.data)).toEqual(
      hash,
    );
    expect(sw(c, sign('04', '80', message))).toBe('6A86');
    expect(sw(c, sign('02', '80', message))).toBe('6700');
  });

  it('the signing key signs after the signing password, checked against the signing certificate', () => {
    const c = ready('KENSHIN45', JPKI.ef.signPassword, JPKI.ef.signKey);
    const r = send(c, sign('00', '80', digestInfo));
    const cert = readCertificate(c, JPKI.ef.signCertificate);
    expect(verifySignature('sha256', message, cert.publicKey, r.data)).toBe(true);
  });

  it('needs the PIN of its own key, a key EF, P2 80, and an Le of 256', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.authKey));
    expect(sw(c, sign('00', '80', digestInfo))).toBe('6982');
    const signing = ready('KENSHIN45', JPKI.ef.signPassword, JPKI.ef.authKey);
    expect(sw(signing, sign('00', '80', digestInfo))).toBe('6982');
    const auth = ready('4321', JPKI.ef.authPin, JPKI.ef.authCertificate);
    expect(sw(auth, sign('00', '80', digestInfo))).toBe('6985');
    sw(auth, selectEf(JPKI.ef.authKey));
    expect(sw(auth, sign('00', '00', digestInfo))).toBe('6A86');
    expect(sw(auth, `802A0080${lc(digestInfo)}${toHex(digestInfo)}`)).toBe('6700');
    expect(sw(auth, `802A0080${lc(digestInfo)}${toHex(digestInfo)}80`)).toBe('6C00');
  });
});

describe('card presence proof', () => {
  it.each(['cardFace', 'textInfo'] as const)('%s AP signs DATA with the card key of DF24, no PIN', (app) => {
    const c = card();
    sw(c, selectApp(app));
    const challenge = send(c, '0084000010');
    expect(challenge.sw).toBe('9000');
    expect(challenge.data.length).toBe(16);
    const r = send(c, sign('00', '00', challenge.data));
    expect(r.sw).toBe('9000');

    sw(c, selectApp('cardFace'));
    sw(c, selectEf(CARD_FACE.ef.verificationB));
    sw(c, verify('45052020321970'));
    sw(c, selectEf(CARD_FACE.ef.face));
    const face = readAll(c);
    // DF24 sits at the third offset of DF21: tag DF24, length 82 01 09, then 81 modulus / 82 exponent.
    const df24 = face.readUInt16BE(5 + 3 + 4);
    expect(toHex(face.subarray(df24, df24 + 5))).toBe('DF24820109');
    const n = face.subarray(df24 + 5 + 4, df24 + 5 + 4 + 256);
    const e = face.subarray(df24 + 5 + 4 + 256 + 2, df24 + 5 + 4 + 256 + 5);
    const key = createPublicKey({
      key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') },
      format: 'jwk',
    });
    expect(publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, r.data)).toEqual(challenge.data);
  });

  it('refuses other P1 / P2 in the card-face AP and needs a DF', () => {
    const c = card();
    expect(sw(c, sign('00', '00', Buffer.from('x')))).toBe('6985');
    sw(c, selectApp('cardFace'));
    expect(sw(c, sign('00', '80', Buffer.from('x')))).toBe('6A86');
    expect(sw(c, sign('01', '00', Buffer.from('x')))).toBe('6A86');
  });
});

describe('GET CHALLENGE', () => {
  it('returns 16 fresh random bytes', () => {
    const c = card();
    const a = send(c, '0084000010');
    const b = send(c, '0084000010');
    expect(a.data.length).toBe(16);
    expect(a.data).not.toEqual(b.data);
    expect(sw(c, '0084010010')).toBe('6A86');
    expect(sw(c, '00840000')).toBe('6700');
  });
});
