import { createHash, type X509Certificate } from 'node:crypto';

/** SHA-256 of a certificate's DER, lower-case hex: how the upstream names a CA or a device certificate. */
export function certificateFingerprint(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}
