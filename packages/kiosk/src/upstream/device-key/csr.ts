import forge from 'node-forge';
import { DeviceKeyError } from './errors.ts';

export interface SubjectAttribute {
  /** Short name as forge knows it: CN, O, OU, C, L, ST, serialNumber, … */
  shortName: string;
  value: string;
}

const SHORT_NAMES = new Set(['CN', 'O', 'OU', 'C', 'L', 'ST', 'E', 'serialNumber']);

/** Parses `CN=kiosk-0001,O=Example Clinic,C=JP` (or the `/CN=…/O=…` form of openssl). */
export function parseSubject(text: string): SubjectAttribute[] {
  const parts = text.startsWith('/') ? text.slice(1).split('/') : text.split(',');
  const attributes = parts
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      const shortName = eq > 0 ? part.slice(0, eq).trim() : '';
      const value = eq > 0 ? part.slice(eq + 1).trim() : '';
      if (!SHORT_NAMES.has(shortName) || !value)
        throw new DeviceKeyError(
          'invalid-input',
          `bad subject part "${part}" (use e.g. CN=kiosk-0001,O=Example Clinic,C=JP; names: ${[...SHORT_NAMES].join(' ')})`,
        );
      return { shortName, value };
    });
  if (!attributes.some((a) => a.shortName === 'CN'))
    throw new DeviceKeyError('invalid-input', 'the subject needs a CN');
  return attributes;
}

/**
 * Builds a PKCS#10 certification request whose signature is made by `sign` (the token): the
 * CertificationRequestInfo is built and DER-encoded with forge, `sign` returns the RSASSA-PKCS1-v1_5
 * SHA-256 signature over those bytes, and the request is assembled around it. Returns PEM.
 */
export async function buildCsr(
  publicKeyPem: string,
  subject: SubjectAttribute[],
  sign: (data: Uint8Array) => Uint8Array | Promise<Uint8Array>,
): Promise<string> {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // UTF8String, so a clinic name in Japanese survives; PrintableString where X.520 asks for it.
  const tag = (name: string) =>
    (name === 'C' || name === 'serialNumber'
      ? forge.asn1.Type.PRINTABLESTRING
      : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class;
  csr.setSubject(
    subject.map((a) => ({ shortName: a.shortName, value: a.value, valueTagClass: tag(a.shortName) })),
  );
  const pki = forge.pki as typeof forge.pki & {
    getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
  };
  const info = pki.getCertificationRequestInfo(csr);
  const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
  const signature = await sign(der);
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  // What csr.sign() would set, with a signature forge did not make.
  const request = csr as forge.pki.CertificateSigningRequest & {
    certificationRequestInfo: forge.asn1.Asn1;
    signatureOid: string;
    siginfo: { algorithmOid: string };
    signature: string;
  };
  request.certificationRequestInfo = info;
  request.signatureOid = oid;
  request.siginfo.algorithmOid = oid;
  request.signature = Buffer.from(signature).toString('binary');
  return forge.pki.certificationRequestToPem(request);
}
