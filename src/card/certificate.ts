import { X509Certificate } from 'node:crypto';
import { MalformedDataError } from './errors.ts';
import { readTlv } from './tlv.ts';

/** What the kiosk shows of a card certificate: no personal data is in the user-authentication one. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  expired: boolean;
  fingerprint256: string;
}

const DER_SEQUENCE = 0x30;

/**
 * Parses a DER certificate read from the card. The outer SEQUENCE's length is checked first, so
 * trailing filler is dropped and a truncated file is refused before the X.509 parser sees it.
 */
export function parseCertificate(file: Uint8Array): { der: Uint8Array; cert: X509Certificate } {
  const outer = readTlv(file, 0);
  if (outer.tag !== DER_SEQUENCE) throw new MalformedDataError('certificate does not start with a SEQUENCE');
  const der = file.subarray(0, outer.end);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new MalformedDataError('certificate does not parse as X.509');
  }
  return { der, cert };
}

export function summarizeCertificate(cert: X509Certificate, now = new Date()): CertificateSummary {
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    serialNumber: cert.serialNumber,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    expired: now.getTime() > new Date(cert.validTo).getTime(),
    fingerprint256: cert.fingerprint256,
  };
}
