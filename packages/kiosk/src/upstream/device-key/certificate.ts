import { createHash, type KeyObject, X509Certificate } from 'node:crypto';
import {
  type CertificateSummary,
  summarizeCertificate as summarize,
} from '@myna/card/certificate-summary.js';
import forge from 'node-forge';

export type { CertificateSummary };

import { DeviceKeyError } from './errors.ts';

/** Reads a certificate given as PEM or DER; anything else is a `bad-certificate` error. */
export function parseCertificate(input: Uint8Array): { der: Buffer; x509: X509Certificate } {
  const bytes = Buffer.from(input);
  const text = bytes.toString('latin1');
  let der = bytes;
  if (text.includes('-----BEGIN')) {
    const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(text);
    if (!match?.[1]) throw new DeviceKeyError('bad-certificate', 'the file holds no PEM CERTIFICATE block');
    der = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
  }
  try {
    return { der, x509: new X509Certificate(der) };
  } catch (error) {
    throw new DeviceKeyError('bad-certificate', 'the file is not an X.509 certificate (PEM or DER)', {
      cause: error,
    });
  }
}

export function summarizeCertificate(der: Buffer): CertificateSummary {
  return summarize(new X509Certificate(der));
}

/** The DER encodings of issuer, serial number and subject, for the token's certificate object. */
export function certificateNames(der: Buffer): { issuer: Buffer; serialNumber: Buffer; subject: Buffer } {
  const cert = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const tbs = (cert.value as forge.asn1.Asn1[])[0];
  const fields = tbs?.value as forge.asn1.Asn1[] | undefined;
  if (!fields) throw new DeviceKeyError('bad-certificate', 'the certificate has no TBSCertificate');
  // [0] version is optional; then serialNumber, signature, issuer, validity, subject.
  const first = fields[0];
  const offset = first && first.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const pick = (i: number): Buffer => {
    const node = fields[offset + i];
    if (!node) throw new DeviceKeyError('bad-certificate', 'the certificate is truncated');
    return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
  };
  return { serialNumber: pick(0), issuer: pick(2), subject: pick(4) };
}

export function spkiDer(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

export function spkiFingerprint(key: KeyObject): string {
  return createHash('sha256').update(spkiDer(key)).digest('hex');
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}
