import { execFileSync } from 'node:child_process';
import { createHmac, type KeyObject, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { loadTestPki, personKeys } from '@myna/card-sim/test-pki.js';
import { describe, expect, it } from 'vitest';
import {
  certificateSha256,
  MAX_JWS_LENGTH,
  signCompactJws,
  verifyCompactJws,
  x5cEntry,
} from '../../src/jws.ts';
import { JwsError, type JwsErrorCode } from '../../src/jws-errors.ts';

const pki = loadTestPki();
const alice = personKeys(loadPerson(peopleFile('middle-aged')), pki).auth;
const bob = personKeys(loadPerson(peopleFile('elderly')), pki).auth;
const signer = (key: KeyObject) => async (input: Uint8Array) => sign('sha256', input, key);
const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A marker that stands for personal data: no error message may ever carry it. */
const SECRET = 'PAYLOAD-MARKER-314159265352';

function refusal(jws: string): { code: JwsErrorCode; message: string } {
  try {
    verifyCompactJws(jws);
  } catch (error) {
    expect(error).toBeInstanceOf(JwsError);
    const { code, message } = error as JwsError;
    expect(message).not.toContain(SECRET);
    return { code, message };
  }
  throw new Error('the JWS was accepted');
}

/** A JWS over exactly these header and payload parts, signed by `key`. */
function forge(header: unknown, payload: unknown, key = alice.privateKey): string {
  const input = `${typeof header === 'string' ? header : enc(header)}.${typeof payload === 'string' ? payload : enc(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

const x5c = [x5cEntry(alice.certificateDer)];

describe('signCompactJws / verifyCompactJws round trip', () => {
  it('signs RS256 over header.payload, base64url without padding, and verifies', async () => {
    const payload = { nonce: 'n-1', name: '𠮷野', nested: { n: 1 } };
    const jws = await signCompactJws({ typ: 'test+jws', kid: 'k1', x5c }, payload, signer(alice.privateKey));
    const parts = jws.split('.');
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(parts[0]!, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'test+jws',
      kid: 'k1',
      x5c,
    });
    // The signature is plain RSASSA-PKCS1-v1_5 SHA-256 over the ASCII signing input.
    const signature = Buffer.from(parts[2]!, 'base64url');
    const cert = new X509Certificate(alice.certificateDer);
    expect(verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), cert.publicKey, signature)).toBe(true);

    const verified = verifyCompactJws(jws);
    expect(verified.payload).toEqual(payload);
    expect(verified.header).toEqual({ alg: 'RS256', typ: 'test+jws', kid: 'k1', x5c });
    expect(verified.certificate.raw.equals(Buffer.from(alice.certificateDer))).toBe(true);
    expect(verified.chain).toHaveLength(1);
  });

  it('always writes alg RS256, whatever header it is given', async () => {
    const header = { alg: 'none', x5c } as unknown as { x5c: string[] };
    const jws = await signCompactJws(header, {}, signer(alice.privateKey));
    expect(verifyCompactJws(jws).header.alg).toBe('RS256');
  });

  it('hands back the whole x5c chain in order, which the caller can check', async () => {
    const chain = [...x5c, x5cEntry(pki.authCa.certificateDer)];
    const verified = verifyCompactJws(await signCompactJws({ x5c: chain }, {}, signer(alice.privateKey)));
    expect(verified.chain.map((c) => c.raw.toString('base64'))).toEqual(chain);
    expect(verified.certificate.verify(verified.chain[1]!.publicKey)).toBe(true);
  });

  it('shares one parsed certificate between tokens that carry the same DER', async () => {
    const sign = signer(alice.privateKey);
    const first = verifyCompactJws(await signCompactJws({ x5c }, { n: 1 }, sign));
    const second = verifyCompactJws(await signCompactJws({ x5c }, { n: 2 }, sign));
    expect(second.certificate).toBe(first.certificate);
    expect(second.payload).toEqual({ n: 2 });
    const other = verifyCompactJws(
      await signCompactJws({ x5c: [x5cEntry(bob.certificateDer)] }, { n: 3 }, signer(bob.privateKey)),
    );
    expect(other.certificate).not.toBe(first.certificate);
    expect(other.certificate.raw).toEqual(Buffer.from(bob.certificateDer));
  });

  it('refuses to sign an array payload or one that would be too large to send', async () => {
    const sign = signer(alice.privateKey);
    await expect(signCompactJws({ x5c }, [1, 2], sign)).rejects.toMatchObject({ code: 'malformed' });
    await expect(signCompactJws({ x5c }, { pad: 'x'.repeat(MAX_JWS_LENGTH) }, sign)).rejects.toMatchObject({
      code: 'too-large',
    });
  });
});

describe('verifyCompactJws refusals', () => {
  const good = forge({ alg: 'RS256', x5c }, { secret: SECRET });
  const [h, p, s] = good.split('.') as [string, string, string];

  it('accepts the untouched token (so every refusal below is caused by its one change)', () => {
    expect(verifyCompactJws(good).payload).toEqual({ secret: SECRET });
  });

  it('bad-signature: a tampered payload or header, or a signature by another key', () => {
    expect(refusal(`${h}.${enc({ secret: SECRET, admin: true })}.${s}`).code).toBe('bad-signature');
    expect(refusal(`${enc({ alg: 'RS256', x5c, typ: 'other' })}.${p}.${s}`).code).toBe('bad-signature');
    const flipped = Buffer.from(s, 'base64url');
    flipped[10]! ^= 1;
    expect(refusal(`${h}.${p}.${flipped.toString('base64url')}`).code).toBe('bad-signature');
    // Signed by Bob, presented with Alice's certificate.
    expect(refusal(forge({ alg: 'RS256', x5c }, { secret: SECRET }, bob.privateKey)).code).toBe(
      'bad-signature',
    );
  });

  it('unsupported-algorithm: none, HS256 keyed with the public key, and anything but exactly RS256', () => {
    expect(refusal(`${enc({ alg: 'none', x5c })}.${p}.`).code).toBe('unsupported-algorithm');
    const spki = new X509Certificate(alice.certificateDer).publicKey.export({ type: 'spki', format: 'pem' });
    const hsHeader = enc({ alg: 'HS256', x5c });
    const mac = createHmac('sha256', spki).update(`${hsHeader}.${p}`).digest('base64url');
    expect(refusal(`${hsHeader}.${p}.${mac}`).code).toBe('unsupported-algorithm');
    for (const alg of ['rs256', 'RS512', 'PS256', 'ES256', undefined, ['RS256']])
      expect(refusal(forge({ alg, x5c }, {})).code).toBe('unsupported-algorithm');
  });

  it('missing-certificate and bad-certificate: x5c absent, empty, or not base64 DER', () => {
    expect(refusal(forge({ alg: 'RS256' }, {})).code).toBe('missing-certificate');
    expect(refusal(forge({ alg: 'RS256', x5c: [] }, {})).code).toBe('missing-certificate');
    const base64url = Buffer.from(alice.certificateDer).toString('base64url');
    for (const bad of [x5c[0], [42], ['AAAA'], [base64url], [`${x5c[0]}\n`], Array(9).fill(x5c[0])])
      expect(refusal(forge({ alg: 'RS256', x5c: bad }, {})).code).toBe('bad-certificate');
  });

  it('bad-certificate: a key that RS256 cannot mean (EC) or that is too short (RSA-1024)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jws-keys-'));
    try {
      for (const [newkey, reason] of [
        [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'], /does not hold an RSA key/],
        [['-newkey', 'rsa:1024'], /shorter than 2048 bits/],
      ] as const) {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            ...newkey,
            '-nodes',
            '-subj',
            '/CN=test',
            '-days',
            '1',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
        const cert = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
        const key = readFileSync(join(dir, 'key.pem'));
        const input = `${enc({ alg: 'RS256', x5c: [x5cEntry(cert.raw)] })}.${enc({})}`;
        // An ECDSA signature would verify under the EC key if the key type were not pinned.
        const jws = `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
        expect(
          verify('sha256', Buffer.from(input), cert.publicKey, Buffer.from(jws.split('.')[2]!, 'base64url')),
        ).toBe(true);
        expect(refusal(jws)).toEqual({ code: 'bad-certificate', message: expect.stringMatching(reason) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('malformed: not three parts, not strict base64url, not a JSON object, crit, odd typ/kid', () => {
    for (const bad of [`${h}.${p}`, `${h}.${p}.${s}.${s}`, '', '..', `${h}..${s}`, `${h}.${p}.`])
      expect(refusal(bad).code).toBe('malformed');
    // Padding, the standard alphabet, a stray character.
    for (const header of [`${h}=`, `${h.slice(0, -1)}+`, `${h}!`])
      expect(refusal(`${header}.${p}.${s}`).code).toBe('malformed');
    // Another spelling of the same header bytes (a spare bit set in the last character), signed
    // as written: lenient decoding would accept it.
    const canonical = enc({ alg: 'RS256', x5c, pad: ' ' });
    const spelled = canonical.length % 4 === 2 ? canonical : enc({ alg: 'RS256', x5c, pad: '  ' });
    const spare = spelled.length % 4 === 2 ? spelled : enc({ alg: 'RS256', x5c, pad: '   ' });
    expect(spare.length % 4).toBe(2);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const other = `${spare.slice(0, -1)}${alphabet[alphabet.indexOf(spare.at(-1)!) | 1]}`;
    expect(Buffer.from(other, 'base64url')).toEqual(Buffer.from(spare, 'base64url'));
    expect(verifyCompactJws(forge(spare, {})).header.alg).toBe('RS256');
    expect(refusal(forge(other, {})).code).toBe('malformed');
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    for (const header of [
      b64('not json'),
      enc([1]),
      enc('RS256'),
      enc(null),
      Buffer.from([0xff, 0xfe]).toString('base64url'),
    ])
      expect(refusal(forge(header, {})).code).toBe('malformed');
    expect(refusal(forge({ alg: 'RS256', x5c, crit: ['exp'], exp: 1 }, {})).code).toBe('malformed');
    expect(refusal(forge({ alg: 'RS256', x5c, typ: 7 }, {})).code).toBe('malformed');
    expect(refusal(forge({ alg: 'RS256', x5c, kid: {} }, {})).code).toBe('malformed');
    // A properly signed payload that is not a JSON object; the refusal does not quote it.
    expect(refusal(forge({ alg: 'RS256', x5c }, b64(`"${SECRET}"`))).code).toBe('malformed');
    expect(refusal(forge({ alg: 'RS256', x5c }, b64(`{"n": ${SECRET}}`))).code).toBe('malformed');
  });

  it('too-large: refused before any parsing', () => {
    const padded = forge({ alg: 'RS256', x5c }, { pad: 'x'.repeat(MAX_JWS_LENGTH) });
    expect(refusal(padded).code).toBe('too-large');
    expect(refusal('!'.repeat(MAX_JWS_LENGTH + 1)).code).toBe('too-large');
  });
});

describe('certificateSha256', () => {
  it('is the x5t#S256 form of the SHA-256 fingerprint', () => {
    const fingerprint = new X509Certificate(alice.certificateDer).fingerprint256.replaceAll(':', '');
    expect(
      Buffer.from(certificateSha256(alice.certificateDer), 'base64url').toString('hex').toUpperCase(),
    ).toBe(fingerprint);
    expect(certificateSha256(alice.certificateDer)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
