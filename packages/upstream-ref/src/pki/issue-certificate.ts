/**
 * Certificate issuance for the upstream's own test CA, with node-forge (keys come from node:crypto).
 * Profiles differ only in extensions: the CA signs certificates, the server authenticates TLS, kiosk
 * and staff clients authenticate TLS, and a kiosk's device key signs attestations (no TLS use).
 */
import { createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export type Profile = 'ca' | 'server' | 'client' | 'device';

export interface NameAttribute {
  /** forge short name (CN, O, OU, C) or `title`. */
  readonly name: string;
  readonly value: string;
}

export interface IssueRequest {
  readonly profile: Profile;
  readonly subject: readonly NameAttribute[];
  /** Only its public half is used, so the subject's private key object will do. */
  readonly publicKey: KeyObject;
  /** The issuing CA; absent for the self-signed root. */
  readonly issuer?: { readonly certificatePem: string; readonly privateKey: KeyObject };
  /** Self-signing only: the root's own private key. */
  readonly selfKey?: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Server profile: DNS names and IP addresses for subjectAltName. */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

const EXTENSIONS: Record<Profile, object[]> = {
  ca: [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
  ],
  server: [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
  ],
  client: [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ],
  device: [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
  ],
};

/** Returns the certificate as PEM. */
export function issueCertificate(request: IssueRequest): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicHalf(request.publicKey).export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.serialNumber = positiveSerial();
  cert.validity.notBefore = request.notBefore;
  cert.validity.notAfter = request.notAfter;
  const subject = request.subject.map(toForgeField);
  cert.setSubject(subject);
  const signer = request.issuer?.privateKey ?? request.selfKey;
  if (!signer) throw new Error('a certificate needs an issuer or, for a root, its own key');
  if (request.issuer) {
    const issuerCert = forge.pki.certificateFromPem(request.issuer.certificatePem);
    cert.setIssuer(issuerCert.subject.attributes);
  } else {
    cert.setIssuer(subject);
  }
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    ...EXTENSIONS[request.profile],
    { name: 'subjectKeyIdentifier' },
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  cert.sign(forgePrivateKey(signer), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function toForgeField(attribute: NameAttribute): forge.pki.CertificateField {
  return {
    ...(attribute.name === 'title' ? { name: 'title' } : { shortName: attribute.name }),
    value: attribute.value,
    // UTF8String keeps a Japanese clinic or staff name intact; country stays a PrintableString.
    valueTagClass: (attribute.name === 'C'
      ? forge.asn1.Type.PRINTABLESTRING
      : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class,
  };
}

function publicHalf(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

function forgePrivateKey(key: KeyObject): forge.pki.rsa.PrivateKey {
  return forge.pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }).toString());
}

/** 16 random bytes with the top bit clear: unique, positive, and never re-used by a later issue. */
function positiveSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
