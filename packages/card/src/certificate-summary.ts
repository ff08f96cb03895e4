import type { X509Certificate } from 'node:crypto';

/**
 * What the kiosk shows of a certificate (the card's user-authentication one, which holds no personal
 * data, or the kiosk's own device certificate).
 */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  expired: boolean;
  fingerprint256: string;
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
