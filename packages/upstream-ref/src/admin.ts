/**
 * What the upstream's operator does outside the API: register a kiosk's device certificate, revoke a
 * kiosk, a card certificate or a client certificate. Used by startUpstream's handle (demo, tests)
 * and by the testbed's src/scripts/upstream-ca.ts (clinic IT, by hand).
 */
import { X509Certificate } from 'node:crypto';
import { certificateFingerprint } from './pki/fingerprint.ts';
import type { UpstreamRepository } from './store/upstream-repository.ts';
import { subjectField, type Trust } from './verify/trust.ts';

export class AdminError extends Error {
  override readonly name = 'AdminError';
}

/** A certificate given as PEM or as an upper- or lower-case hex serial number. */
export type CertificateRef = string;

function serialOf(ref: CertificateRef): string {
  if (ref.includes('-----BEGIN')) return new X509Certificate(ref).serialNumber.toUpperCase();
  const serial = ref.replace(/:/g, '').trim();
  if (!/^[0-9A-Fa-f]{1,64}$/.test(serial))
    throw new AdminError(`"${ref}" is neither a PEM certificate nor a hex serial`);
  return serial.toUpperCase();
}

/** Registers (or re-registers) the kiosk named by the device certificate's CN; answers the kiosk id. */
export async function registerKiosk(
  repo: UpstreamRepository,
  trust: Trust,
  deviceCertPem: string,
  now: Date,
) {
  const cert = new X509Certificate(deviceCertPem);
  if (!cert.checkIssued(trust.upstreamCa.certificate) || !cert.verify(trust.upstreamCa.certificate.publicKey))
    throw new AdminError('the device certificate is not issued by this upstream CA');
  const kioskId = subjectField(cert, 'CN');
  if (!kioskId) throw new AdminError('the device certificate has no CN (the kiosk id)');
  await repo.registerKiosk({
    kioskId,
    deviceCertSha256: certificateFingerprint(cert),
    deviceSerial: cert.serialNumber,
    registeredAt: now.toISOString(),
  });
  return { kioskId, serial: cert.serialNumber.toUpperCase() };
}

export async function revokeKiosk(repo: UpstreamRepository, kioskId: string, now: Date): Promise<boolean> {
  if (!(await repo.kiosk(kioskId))) throw new AdminError(`no kiosk "${kioskId}" is registered`);
  return repo.revokeKiosk(kioskId, now.toISOString());
}

/**
 * Revokes a certificate: `card` puts a card's user-authentication certificate on the card CRL;
 * `upstream` revokes one the upstream CA issued (a kiosk or staff TLS client, a device certificate).
 */
export function revokeCertificate(
  repo: UpstreamRepository,
  trust: Trust,
  register: 'card' | 'upstream',
  cert: CertificateRef,
  now: Date,
  reason = 'revoked by the operator',
): Promise<boolean> {
  return repo.revokeCertificate({
    issuerSha256: (register === 'card' ? trust.cardCa : trust.upstreamCa).sha256,
    serial: serialOf(cert),
    kind: register,
    reason,
    at: now.toISOString(),
  });
}
