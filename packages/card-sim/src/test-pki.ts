/**
 * The test PKI behind every virtual card: a TEST JPKI user-authentication CA, a TEST signing CA, a
 * TEST card-issuer key (card-face signature, integrity record, card-verifiable certificates), and per
 * person the user-authentication / signing keys and certificates and the card's own key.
 *
 * Generated material is cached on disk (where the caller says, else KIOSK_PKI_DIR, else var/pki/
 * under the working directory, the repository root for tests and the testbed) so that separate
 * processes — the vpcd card and the test that checks its signatures — agree on the same CA and the
 * same card keys. Files are written to a temporary name and then linked or renamed into place, so
 * two processes starting together never see half a file.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';
import type { Person } from './person.ts';

export interface TestCa {
  readonly privateKey: KeyObject;
  readonly certificateDer: Uint8Array;
  readonly certificatePem: string;
}

export interface TestPki {
  readonly dir: string;
  /** "JPKI test user-authentication CA" (TEST). */
  readonly authCa: TestCa;
  readonly signCa: TestCa;
  /** Signs the card face (DF28), the integrity record and the card-verifiable certificates. */
  readonly issuerKey: KeyObject;
}

export interface KeyAndCertificate {
  readonly privateKey: KeyObject;
  readonly certificateDer: Uint8Array;
}

export interface PersonKeys {
  readonly auth: KeyAndCertificate;
  /** Absent on a PIN-less card. */
  readonly sign: KeyAndCertificate | undefined;
  /** The card's own key: its public half is DF24 of the card face, it proves card presence. */
  readonly cardKey: KeyObject;
}

export function testPkiDir(): string {
  return resolve(process.env.KIOSK_PKI_DIR ?? 'var/pki');
}

const TEST_ORGANISATION = [
  { shortName: 'C', value: 'JP' },
  { shortName: 'O', value: 'JPKI TEST' },
  { shortName: 'OU', value: 'TEST ONLY - NOT A REAL CERTIFICATION AUTHORITY' },
];
const CA_VALIDITY = { notBefore: '2020-01-01T00:00:00Z', notAfter: '2099-12-31T23:59:59Z' };
const DEFAULT_NOT_BEFORE = '2024-04-01T00:00:00Z';
const EXPIRED_VALIDITY = { notBefore: '2019-04-01T00:00:00Z', notAfter: '2024-03-31T23:59:59Z' };

export function loadTestPki(dir = testPkiDir()): TestPki {
  mkdirSync(join(dir, 'people'), { recursive: true });
  return {
    dir,
    authCa: loadCa(dir, 'auth-ca.json', 'JPKI test user-authentication CA'),
    signCa: loadCa(dir, 'sign-ca.json', 'JPKI test signing CA'),
    issuerKey: createPrivateKey(
      createOnce(join(dir, 'card-issuer.json'), () => ({ keyPem: newKeyPem() })).keyPem,
    ),
  };
}

interface StoredCa {
  keyPem: string;
  certPem: string;
}

function loadCa(dir: string, file: string, commonName: string): TestCa {
  const stored = createOnce<StoredCa>(join(dir, file), () => {
    const keyPem = newKeyPem();
    const subject = [...TEST_ORGANISATION, { shortName: 'CN', value: commonName }];
    const certPem = issueCertificate({
      subject,
      issuer: subject,
      subjectPublicKeyPem: publicPem(keyPem),
      issuerKeyPem: keyPem,
      validity: CA_VALIDITY,
      usage: 'ca',
    });
    return { keyPem, certPem };
  });
  return {
    privateKey: createPrivateKey(stored.keyPem),
    certificateDer: pemToDer(stored.certPem),
    certificatePem: stored.certPem,
  };
}

interface StoredPerson {
  /** What the certificates were issued from; a change re-issues them. */
  basis: string;
  authKeyPem: string;
  authCertPem: string;
  signKeyPem?: string;
  signCertPem?: string;
  cardKeyPem: string;
}

export function personKeys(person: Person, pki: TestPki): PersonKeys {
  const validity = certificateValidity(person);
  const basis = JSON.stringify({
    authCa: fingerprint(pki.authCa.certificateDer),
    signCa: fingerprint(pki.signCa.certificateDer),
    validity,
    pinless: person.pinless,
  });
  const path = join(pki.dir, 'people', `${person.id}.json`);
  let stored = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StoredPerson) : undefined;
  if (stored?.basis !== basis) {
    stored = newPersonMaterial(person, pki, validity, basis);
    replaceFile(path, JSON.stringify(stored));
  }
  return {
    auth: { privateKey: createPrivateKey(stored.authKeyPem), certificateDer: pemToDer(stored.authCertPem) },
    sign:
      stored.signKeyPem && stored.signCertPem
        ? { privateKey: createPrivateKey(stored.signKeyPem), certificateDer: pemToDer(stored.signCertPem) }
        : undefined,
    cardKey: createPrivateKey(stored.cardKeyPem),
  };
}

interface Validity {
  notBefore: string;
  notAfter: string;
}

function certificateValidity(person: Person): Validity {
  if (person.expired) return EXPIRED_VALIDITY;
  if (person.certificate) return person.certificate;
  return { notBefore: DEFAULT_NOT_BEFORE, notAfter: `${person.cardExpiry}T23:59:59Z` };
}

function newPersonMaterial(person: Person, pki: TestPki, validity: Validity, basis: string): StoredPerson {
  const authKeyPem = newKeyPem();
  // Like the real user-authentication certificate, the subject carries no personal data.
  const serial = serialNumber();
  const authCertPem = issueCertificate({
    subject: [
      { shortName: 'C', value: 'JP' },
      { shortName: 'CN', value: `TEST${serial.toUpperCase()}` },
    ],
    issuer: caSubject(pki.authCa),
    subjectPublicKeyPem: publicPem(authKeyPem),
    issuerKeyPem: keyPem(pki.authCa.privateKey),
    validity,
    usage: 'auth',
    serial,
  });
  const material: StoredPerson = { basis, authKeyPem, authCertPem, cardKeyPem: newKeyPem() };
  if (person.pinless) return material;
  const signKeyPem = newKeyPem();
  const signCertPem = issueCertificate({
    subject: [
      { shortName: 'C', value: 'JP' },
      {
        shortName: 'CN',
        value: person.name,
        valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
      },
    ],
    issuer: caSubject(pki.signCa),
    subjectPublicKeyPem: publicPem(signKeyPem),
    issuerKeyPem: keyPem(pki.signCa.privateKey),
    validity,
    usage: 'sign',
  });
  return { ...material, signKeyPem, signCertPem };
}

interface IssueParams {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  subjectPublicKeyPem: string;
  issuerKeyPem: string;
  validity: Validity;
  usage: keyof typeof KEY_USAGE;
  serial?: string;
}

const KEY_USAGE = {
  ca: { keyCertSign: true, cRLSign: true },
  auth: { digitalSignature: true },
  sign: { digitalSignature: true, nonRepudiation: true },
} as const;

function issueCertificate(p: IssueParams): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(p.subjectPublicKeyPem);
  cert.serialNumber = p.serial ?? serialNumber();
  cert.validity.notBefore = new Date(p.validity.notBefore);
  cert.validity.notAfter = new Date(p.validity.notAfter);
  cert.setSubject(p.subject);
  cert.setIssuer(p.issuer);
  cert.setExtensions([
    { name: 'basicConstraints', cA: p.usage === 'ca', critical: p.usage === 'ca' },
    { name: 'keyUsage', critical: true, ...KEY_USAGE[p.usage] },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(p.issuerKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function caSubject(ca: TestCa): forge.pki.CertificateField[] {
  return forge.pki.certificateFromPem(ca.certificatePem).subject.attributes as forge.pki.CertificateField[];
}

/** 8 random bytes, first bit clear so the DER INTEGER stays positive and minimal. */
function serialNumber(): string {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString('hex');
}

function newKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
}

function keyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs1', format: 'pem' }).toString();
}

function publicPem(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}

function pemToDer(pem: string): Uint8Array {
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function fingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

function tempPath(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Creates the file unless another process got there first; either way returns what is stored. */
function createOnce<T>(path: string, create: () => T): T {
  if (!existsSync(path)) {
    const tmp = tempPath(path);
    writeFileSync(tmp, JSON.stringify(create()), { mode: 0o600 });
    try {
      linkSync(tmp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(tmp);
    }
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function replaceFile(path: string, content: string): void {
  const tmp = tempPath(path);
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, path);
}
