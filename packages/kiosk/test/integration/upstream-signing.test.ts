/**
 * The signed upstream requests made by the real signers: the virtual card (in-process and through
 * pcscd + vpcd) for the PIN path, the device key in a SoftHSM2 token for the face path. Each JWS is
 * checked by our verifier and, independently, by openssl against the key in its own x5c.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardConnection } from '@myna/card/connection.js';
import { SecurityStatusError } from '@myna/card/errors.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import { virtualCardFor } from '@myna/card-sim/card-factory.js';
import { InProcessConnection } from '@myna/card-sim/in-process-connection.js';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson, type Person } from '@myna/card-sim/person.js';
import { type PcscStack, pcscSkipReason, startPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';
import { loadTestPki } from '@myna/card-sim/test-pki.js';
import { type VerifiedJws, verifyCompactJws } from '@myna/protocol/jws.js';
import { SignedRequestError } from '@myna/protocol/signed-request-errors.js';
import { decodeClaims, signAttestation, signPinRequest } from '@myna/protocol/signed-requests.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCsr,
  DEFAULT_PKCS11_MODULE,
  type DeviceKeyOptions,
  deviceSigner,
  parseSubject,
  withDeviceToken,
} from '../../src/upstream/device-key/index.ts';

const person = loadPerson(peopleFile('middle-aged'));
const context = {
  nonce: 'srv-nonce-0c8e1f52a9d74b36',
  kioskId: 'kiosk-0001',
  now: new Date('2026-01-05T09:30:00Z'),
  request: { kind: 'qualification' as const, medicalInstitutionCode: '2712345678' },
};
const work = mkdtempSync(join(tmpdir(), 'upstream-signing-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function openssl(args: string[]): { status: number | null; stdout: string; out: string } {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, out: `${run.stdout}${run.stderr}` };
}

/**
 * openssl's answer for the JWS as signed and for one with a changed payload, using the public key
 * openssl itself takes out of x5c[0].
 */
function opensslVerdicts(jws: string): { original: string; tampered: string } {
  const dir = mkdtempSync(join(work, 'openssl-'));
  const [header = '', payload = '', signature = ''] = jws.split('.');
  const x5c0 = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { x5c: string[] }).x5c[0]!;
  writeFileSync(join(dir, 'cert.der'), Buffer.from(x5c0, 'base64'));
  const pub = openssl(['x509', '-inform', 'DER', '-in', join(dir, 'cert.der'), '-pubkey', '-noout']);
  expect(pub.status, pub.out).toBe(0);
  writeFileSync(join(dir, 'pub.pem'), pub.stdout);
  writeFileSync(join(dir, 'sig.bin'), Buffer.from(signature, 'base64url'));
  writeFileSync(join(dir, 'input'), `${header}.${payload}`);
  const tamperedPayload = Buffer.from(
    Buffer.from(payload, 'base64url').toString().replace('"kiosk-0001"', '"kiosk-0002"'),
  ).toString('base64url');
  expect(tamperedPayload).not.toBe(payload);
  writeFileSync(join(dir, 'tampered'), `${header}.${tamperedPayload}`);
  const verdict = (file: string) =>
    openssl([
      'dgst',
      '-sha256',
      '-verify',
      join(dir, 'pub.pem'),
      '-signature',
      join(dir, 'sig.bin'),
      join(dir, file),
    ]).stdout.trim();
  return { original: verdict('input'), tampered: verdict('tampered') };
}

/** The PIN path as the flow runs it: VERIFY, read the certificate, let the card sign. */
async function pinPath(connection: CardConnection, who: Person): Promise<string> {
  const card = await MyNumberCard.recognise(connection);
  await card.jpki.verifyAuthPin(who.pin!);
  const certificate = await card.jpki.authCertificate();
  return signPinRequest({
    ...context,
    cardCertificate: certificate.der,
    signSha256: (message) => card.jpki.signSha256(message),
  });
}

function checkPinRequest(jws: string): VerifiedJws {
  const verified = verifyCompactJws(jws);
  expect(decodeClaims(verified)).toEqual({
    nonce: context.nonce,
    kioskId: 'kiosk-0001',
    iat: 1767605400,
    method: 'pin',
    request: context.request,
  });
  // Signed by the card's key, under the test JPKI user-authentication CA: what the upstream checks.
  const ca = new X509Certificate(loadTestPki().authCa.certificateDer);
  expect(verified.certificate.checkIssued(ca)).toBe(true);
  expect(verified.certificate.verify(ca.publicKey)).toBe(true);
  expect(opensslVerdicts(jws)).toEqual({ original: 'Verified OK', tampered: 'Verification failure' });
  return verified;
}

describe('PIN path with the in-process virtual card', () => {
  it('the card signs a JWS that node:crypto and openssl verify, chained to the JPKI test CA', async () => {
    const connection = new InProcessConnection(virtualCardFor(person));
    try {
      const verified = checkPinRequest(await pinPath(connection, person));
      const card = await MyNumberCard.recognise(connection);
      const onCard = await card.jpki.authCertificate();
      expect(verified.certificate.raw.equals(Buffer.from(onCard.der))).toBe(true);
      // The CA certificate the card carries is the one the chain was checked against.
      const caOnCard = await card.jpki.authCaCertificate();
      expect(Buffer.from(caOnCard.der).equals(Buffer.from(loadTestPki().authCa.certificateDer))).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('without the PIN the card will not sign, so no request is made', async () => {
    const connection = new InProcessConnection(virtualCardFor(person));
    try {
      const card = await MyNumberCard.recognise(connection);
      const certificate = await card.jpki.authCertificate();
      await expect(
        signPinRequest({
          ...context,
          cardCertificate: certificate.der,
          signSha256: (message) => card.jpki.signSha256(message),
        }),
      ).rejects.toBeInstanceOf(SecurityStatusError);
    } finally {
      await connection.close();
    }
  });
});

describe.skipIf(pcscSkipReason())('PIN path through pcscd + vpcd', () => {
  let stack: PcscStack;
  let readers: PcscReaders;

  beforeAll(async () => {
    stack = await startPcscStack({ person: person.file });
    readers = await PcscReaders.open();
  });

  afterAll(async () => {
    await readers?.close();
    await stack?.stop();
  });

  it('the card behind a real reader signs a request that verifies', async () => {
    const connection = await readers.connect(stack.readerName);
    try {
      checkPinRequest(await pinPath(connection, person));
    } finally {
      await connection.close();
    }
  });
});

const softhsmMissing = !existsSync(DEFAULT_PKCS11_MODULE)
  ? `${DEFAULT_PKCS11_MODULE} is missing`
  : spawnSync('softhsm2-util', ['--version']).status !== 0
    ? 'softhsm2-util is not installed'
    : null;
if (softhsmMissing) console.warn(`face-path attestation tests skipped: ${softhsmMissing}`);

describe.skipIf(softhsmMissing !== null)('face path: attestation by the device key in SoftHSM2', () => {
  const script = join(import.meta.dirname, '../../../devtools/scripts/softhsm-token.sh');
  const tokenDir = join(work, 'token');
  const savedConf = process.env.SOFTHSM2_CONF;
  let options: DeviceKeyOptions;
  let cardCertificate: Uint8Array;

  beforeAll(async () => {
    const lines = execFileSync('bash', [script, 'create', tokenDir, 'kiosk-attest', '246810'], {
      encoding: 'utf8',
    });
    const env = Object.fromEntries(
      lines
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    // SoftHSM2 finds its token directory through the environment when the module initialises.
    process.env.SOFTHSM2_CONF = env.SOFTHSM2_CONF;
    options = {
      modulePath: env.KIOSK_PKCS11_MODULE,
      tokenLabel: env.KIOSK_TOKEN_LABEL,
      pin: env.KIOSK_TOKEN_PIN,
    };
    await withDeviceToken(options, (token) => token.generateKey());
    // The card certificate needs no PIN: the face path reads it as is.
    const connection = new InProcessConnection(virtualCardFor(person));
    try {
      cardCertificate = (await (await MyNumberCard.recognise(connection)).jpki.authCertificate()).der;
    } finally {
      await connection.close();
    }
  });

  afterAll(() => {
    if (savedConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = savedConf;
    execFileSync('bash', [script, 'delete', tokenDir]);
  });

  const faceClaims = {
    method: 'face' as const,
    match: { score: 0.38, threshold: 0.5, calibratedFar: 0.0001 },
    liveness: { passed: true, challenge: 'blink' as const, passiveScore: 0.91 },
  };

  it('refuses to attest before a device certificate is installed, without using the key', async () => {
    const signer = await deviceSigner(options);
    expect(signer.certificatePem).toBeNull();
    let signatures = 0;
    const counted = {
      ...signer,
      sign: (data: Uint8Array) => {
        signatures++;
        return signer.sign(data);
      },
    };
    await expect(
      signAttestation({ ...context, ...faceClaims, device: counted, cardCertificate }),
    ).rejects.toMatchObject({ name: 'SignedRequestError', code: 'no-device-certificate' });
    expect(signatures).toBe(0);
  });

  it('signs with the token key and its installed certificate; node:crypto and openssl verify', async () => {
    // A kiosk CA of the test's own issues the device certificate from the token-signed CSR.
    const ca = { key: join(work, 'kiosk-ca.key'), cert: join(work, 'kiosk-ca.pem') };
    const made = openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=Test Kiosk CA',
      '-days',
      '2',
      '-keyout',
      ca.key,
      '-out',
      ca.cert,
    ]);
    expect(made.status, made.out).toBe(0);
    const unregistered = await deviceSigner(options);
    const csrFile = join(work, 'device.csr');
    writeFileSync(
      csrFile,
      await buildCsr(
        unregistered.publicKeyPem,
        parseSubject('CN=kiosk-0001,O=Test Clinic,C=JP'),
        unregistered.sign,
      ),
    );
    const certFile = join(work, 'device.pem');
    const issued = openssl([
      'x509',
      '-req',
      '-in',
      csrFile,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-set_serial',
      '0x1001',
      '-days',
      '2',
      '-out',
      certFile,
    ]);
    expect(issued.status, issued.out).toBe(0);
    await withDeviceToken(options, (token) => token.installCertificate(readFileSync(certFile)));

    const signer = await deviceSigner(options);
    const jws = await signAttestation({ ...context, ...faceClaims, device: signer, cardCertificate });
    const verified = verifyCompactJws(jws);
    expect(verified.header).toMatchObject({ typ: 'kiosk-attestation+jws', kid: signer.keyId });
    expect(verified.certificate.raw.equals(new X509Certificate(readFileSync(certFile)).raw)).toBe(true);
    expect(verified.certificate.verify(new X509Certificate(readFileSync(ca.cert)).publicKey)).toBe(true);
    const claims = decodeClaims(verified);
    expect(claims).toMatchObject({ ...faceClaims, nonce: context.nonce, iat: 1767605400 });
    expect(
      'card' in claims && Buffer.from(claims.card.x5c[0]!, 'base64').equals(Buffer.from(cardCertificate)),
    ).toBe(true);
    expect(opensslVerdicts(jws)).toEqual({ original: 'Verified OK', tampered: 'Verification failure' });
    // The same certificate under another method's rules still refuses: visual needs the staff check.
    await expect(
      signAttestation({ ...context, method: 'visual', device: signer, cardCertificate }),
    ).rejects.toBeInstanceOf(SignedRequestError);
  });
});
