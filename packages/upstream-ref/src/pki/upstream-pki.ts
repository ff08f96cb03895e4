/**
 * The upstream's own test CA and what it issued, as PEM files clinic IT can point a kiosk at:
 *
 *   var/upstream-pki/ca/cert.pem            trust anchor for the server and for client certificates
 *   var/upstream-pki/server/{key,cert}.pem  TLS server, SAN 127.0.0.1 and localhost
 *   var/upstream-pki/kiosks/ID/…            a kiosk's TLS client certificate (CN = kiosk id)
 *   var/upstream-pki/staff/ROLE-NAME/…      a staff TLS client certificate (title = role)
 *   var/upstream-pki/devices/ID.cert.pem    a kiosk's device certificate, from its CSR
 *
 * The tree is where the caller says, else KIOSK_UPSTREAM_PKI_DIR, else var/upstream-pki under the
 * working directory (the repository root, where the testbed's commands run). Each issued pair is written into a private temporary
 * directory and renamed into place, so two processes starting at once end up sharing one of them.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';
import { issueCertificate, type NameAttribute } from './issue-certificate.ts';
import { CLIENT_KIND, isStaffRole, type StaffRole } from './staff-roles.ts';

export class PkiError extends Error {
  override readonly name = 'PkiError';
  constructor(
    readonly code: 'bad-csr' | 'bad-name' | 'csr-mismatch',
    message: string,
  ) {
    super(message);
  }
}

export interface IssuedPair {
  readonly keyPem: string;
  readonly certPem: string;
  readonly keyPath: string;
  readonly certPath: string;
}

export interface UpstreamCa {
  readonly certPem: string;
  readonly certPath: string;
  readonly privateKey: KeyObject;
  readonly x509: X509Certificate;
}

export interface ClientOptions {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly organisation?: string;
}

export interface DeviceCertificate {
  readonly kioskId: string;
  readonly certPem: string;
  readonly certPath: string;
  readonly serial: string;
}

export interface UpstreamPki {
  readonly dir: string;
  readonly ca: UpstreamCa;
  readonly server: IssuedPair;
  /** The kiosk's TLS client pair, issued once and then read back. */
  kioskClient(kioskId: string): IssuedPair;
  /** A staff member's TLS client pair, issued once per role and name. */
  staffClient(name: string, role: StaffRole): IssuedPair;
  /** A fresh pair that is not cached: for other validity periods, or names used once in a test. */
  issueClient(
    kind: 'kiosk' | 'staff',
    commonName: string,
    role?: StaffRole,
    options?: ClientOptions,
  ): { keyPem: string; certPem: string; serial: string };
  /** Signs a device-key CSR (PEM) into a device certificate; its CN must be the kiosk id. */
  signDeviceCsr(csrPem: string, options?: { kioskId?: string } & ClientOptions): DeviceCertificate;
  /** A device certificate for a public key already at hand (tests; a CSR proves possession, this does not). */
  issueDeviceCertificate(kioskId: string, publicKey: KeyObject, options?: ClientOptions): DeviceCertificate;
}

const ORGANISATION: NameAttribute[] = [
  { name: 'C', value: 'JP' },
  { name: 'O', value: 'Reference qualification service TEST' },
];
const CA_NAME = 'Reference upstream test CA (TEST ONLY)';
const ROOT_VALIDITY = {
  notBefore: new Date('2020-01-01T00:00:00Z'),
  notAfter: new Date('2099-12-31T23:59:59Z'),
};
const YEAR_MS = 365 * 24 * 3_600_000;
/** Names become directory names: keep them to a safe alphabet. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function upstreamPkiDir(): string {
  return resolve(process.env.KIOSK_UPSTREAM_PKI_DIR ?? 'var/upstream-pki');
}

export function loadUpstreamPki(dir = upstreamPkiDir()): UpstreamPki {
  mkdirSync(dir, { recursive: true });
  const caPair = cachedPair(
    join(dir, 'ca'),
    () => true,
    () => {
      const key = newRsaKey();
      return {
        key,
        certPem: issueCertificate({
          profile: 'ca',
          subject: [...ORGANISATION, { name: 'CN', value: CA_NAME }],
          publicKey: key,
          selfKey: key,
          ...ROOT_VALIDITY,
        }),
      };
    },
  );
  const ca: UpstreamCa = {
    certPem: caPair.certPem,
    certPath: caPair.certPath,
    privateKey: createPrivateKey(caPair.keyPem),
    x509: new X509Certificate(caPair.certPem),
  };
  const issuedByCa = (certPem: string) => new X509Certificate(certPem).verify(ca.x509.publicKey);

  const issue = (
    profile: 'server' | 'client',
    subject: NameAttribute[],
    options: ClientOptions & { dnsNames?: string[]; ipAddresses?: string[] } = {},
  ) => {
    const key = newRsaKey();
    const now = Date.now();
    const certPem = issueCertificate({
      profile,
      subject,
      publicKey: key,
      issuer: { certificatePem: ca.certPem, privateKey: ca.privateKey },
      notBefore: options.notBefore ?? new Date(now - 24 * 3_600_000),
      notAfter: options.notAfter ?? new Date(now + 5 * YEAR_MS),
      ...(options.dnsNames ? { dnsNames: options.dnsNames } : {}),
      ...(options.ipAddresses ? { ipAddresses: options.ipAddresses } : {}),
    });
    return { key, certPem };
  };

  const server = cachedPair(join(dir, 'server'), issuedByCa, () =>
    issue('server', [...ORGANISATION, { name: 'CN', value: 'localhost' }], {
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    }),
  );

  const clientSubject = (
    kind: 'kiosk' | 'staff',
    commonName: string,
    role?: StaffRole,
    organisation?: string,
  ) => {
    if (kind === 'staff' && (!role || !isStaffRole(role)))
      throw new PkiError('bad-name', `a staff certificate needs a role (doctor, dentist, pharmacist, clerk)`);
    return [
      { name: 'C', value: 'JP' },
      { name: 'O', value: organisation ?? 'Test clinic' },
      { name: 'OU', value: kind === 'kiosk' ? CLIENT_KIND.kiosk : CLIENT_KIND.staff },
      ...(kind === 'staff' ? [{ name: 'title', value: role! }] : []),
      { name: 'CN', value: commonName },
    ];
  };

  const issueDevice = (
    kioskId: string,
    publicKey: KeyObject,
    options: ClientOptions = {},
  ): DeviceCertificate => {
    safeName(kioskId, 'kiosk id');
    const now = Date.now();
    const certPem = issueCertificate({
      profile: 'device',
      subject: [
        { name: 'C', value: 'JP' },
        { name: 'O', value: options.organisation ?? 'Test clinic' },
        { name: 'OU', value: CLIENT_KIND.device },
        { name: 'CN', value: kioskId },
      ],
      publicKey,
      issuer: { certificatePem: ca.certPem, privateKey: ca.privateKey },
      notBefore: options.notBefore ?? new Date(now - 3_600_000),
      notAfter: options.notAfter ?? new Date(now + 3 * YEAR_MS),
    });
    mkdirSync(join(dir, 'devices'), { recursive: true });
    const certPath = join(dir, 'devices', `${kioskId}.cert.pem`);
    writeFileSync(certPath, certPem);
    return { kioskId, certPem, certPath, serial: new X509Certificate(certPem).serialNumber };
  };

  return {
    dir,
    ca,
    server,
    kioskClient(kioskId) {
      safeName(kioskId, 'kiosk id');
      return cachedPair(join(dir, 'kiosks', kioskId), issuedByCa, () =>
        issue('client', clientSubject('kiosk', kioskId)),
      );
    },
    staffClient(name, role) {
      safeName(name, 'staff name');
      return cachedPair(join(dir, 'staff', `${role}-${name}`), issuedByCa, () =>
        issue('client', clientSubject('staff', name, role)),
      );
    },
    issueClient(kind, commonName, role, options = {}) {
      const { key, certPem } = issue(
        'client',
        clientSubject(kind, commonName, role, options.organisation),
        options,
      );
      const keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
      return { keyPem, certPem, serial: new X509Certificate(certPem).serialNumber };
    },
    signDeviceCsr(csrPem, options = {}) {
      const csr = parseCsr(csrPem);
      const cn = csr.subject.getField('CN')?.value as string | undefined;
      if (!cn) throw new PkiError('bad-csr', 'the certificate request has no CN (it must be the kiosk id)');
      if (options.kioskId !== undefined && cn !== options.kioskId)
        throw new PkiError('csr-mismatch', `the request is for "${cn}", not for kiosk "${options.kioskId}"`);
      const publicKey = createPublicKey(forge.pki.publicKeyToPem(csr.publicKey as forge.pki.rsa.PublicKey));
      return issueDevice(cn, publicKey, options);
    },
    issueDeviceCertificate: issueDevice,
  };
}

function parseCsr(csrPem: string): forge.pki.CertificateSigningRequest {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch {
    throw new PkiError('bad-csr', 'not a PEM certificate request with an RSA key');
  }
  let selfSigned = false;
  try {
    selfSigned = csr.verify();
  } catch {
    // forge throws, rather than answering false, when the signature does not even decrypt.
  }
  if (!selfSigned) throw new PkiError('bad-csr', 'the certificate request is not signed by its own key');
  return csr;
}

function newRsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

function safeName(value: string, what: string): void {
  if (!SAFE_NAME.test(value))
    throw new PkiError('bad-name', `${what} "${value}" must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'`);
}

function writePair(target: string, key: KeyObject, certPem: string): IssuedPair {
  mkdirSync(target, { recursive: true });
  const keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileSync(join(target, 'key.pem'), keyPem, { mode: 0o600 });
  writeFileSync(join(target, 'cert.pem'), certPem);
  return { keyPem, certPem, keyPath: join(target, 'key.pem'), certPath: join(target, 'cert.pem') };
}

function readPair(target: string): IssuedPair | undefined {
  const keyPath = join(target, 'key.pem');
  const certPath = join(target, 'cert.pem');
  if (!existsSync(keyPath) || !existsSync(certPath)) return undefined;
  return {
    keyPem: readFileSync(keyPath, 'utf8'),
    certPem: readFileSync(certPath, 'utf8'),
    keyPath,
    certPath,
  };
}

/**
 * The pair stored at `target`, or a new one when there is none or `usable` turns the stored one
 * down (a CA that was re-created since). The new pair is written beside the target and renamed in.
 */
function cachedPair(
  target: string,
  usable: (certPem: string) => boolean,
  create: () => { key: KeyObject; certPem: string },
): IssuedPair {
  const stored = readPair(target);
  if (stored && usable(stored.certPem)) return stored;
  const { key, certPem } = create();
  const staging = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writePair(staging, key, certPem);
  if (stored) rmSync(target, { recursive: true, force: true });
  try {
    renameSync(staging, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    rmSync(staging, { recursive: true, force: true });
    // Another process renamed its pair in first: use that one.
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  return readPair(target)!;
}
