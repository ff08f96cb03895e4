/**
 * The certificate checks the upstream makes itself, after the JWS signature verified: a card
 * certificate against the JPKI CA and the card CRL, a device certificate against the upstream CA and
 * the kiosk register.
 */
import { X509Certificate } from 'node:crypto';
import { Problem } from '@myna/protocol/problem.js';
import { certificateFingerprint } from '../pki/fingerprint.ts';
import type { UpstreamRepository } from '../store/upstream-repository.ts';

export interface TrustAnchor {
  readonly certificate: X509Certificate;
  /** certificateFingerprint of the anchor: names the issuer in revocation and card tables. */
  readonly sha256: string;
}

export interface Trust {
  /** The JPKI user-authentication CA every card certificate must be issued by. */
  readonly cardCa: TrustAnchor;
  /** The upstream's own CA: TLS clients and kiosk device certificates. */
  readonly upstreamCa: TrustAnchor;
}

/** A CA certificate as its holder hands it over: parsed, or its DER. */
export type CertificateInput = X509Certificate | Uint8Array;

export function trustAnchor(input: CertificateInput): TrustAnchor {
  const certificate = input instanceof X509Certificate ? input : new X509Certificate(input);
  return { certificate, sha256: certificateFingerprint(certificate) };
}

/**
 * What a certificate's DER settles once and for all: whether each anchor issued it (an RSA
 * verification per check otherwise) and its validity period. Keyed by the certificate object, which
 * the JWS verifier shares between requests carrying the same DER; revocation and the clock are not
 * properties of the DER and are looked at every time.
 */
interface Settled {
  readonly from: number;
  readonly to: number;
  /** Anchor sha256 → issued by it. */
  readonly issuedBy: Map<string, boolean>;
}

const settled = new WeakMap<X509Certificate, Settled>();

function settledFor(cert: X509Certificate): Settled {
  let known = settled.get(cert);
  if (!known) {
    known = {
      from: new Date(cert.validFrom).getTime(),
      to: new Date(cert.validTo).getTime(),
      issuedBy: new Map(),
    };
    settled.set(cert, known);
  }
  return known;
}

/** Issued by `anchor`: the name matches and the anchor's key verifies the signature. */
export function isIssuedBy(cert: X509Certificate, anchor: TrustAnchor, known = settledFor(cert)): boolean {
  let issued = known.issuedBy.get(anchor.sha256);
  if (issued === undefined) {
    issued = cert.checkIssued(anchor.certificate) && cert.verify(anchor.certificate.publicKey);
    known.issuedBy.set(anchor.sha256, issued);
  }
  return issued;
}

/** Issued by `anchor` (name and signature), valid at `now`, and not revoked. */
export async function checkIssuedCertificate(
  cert: X509Certificate,
  anchor: TrustAnchor,
  repo: UpstreamRepository,
  now: Date,
  what: string,
): Promise<void> {
  const known = settledFor(cert);
  if (!isIssuedBy(cert, anchor, known))
    throw new Problem(
      'untrusted-certificate',
      `the ${what} is not issued by ${subjectCn(anchor.certificate)}`,
    );
  const { from, to } = known;
  if (now.getTime() < from || now.getTime() > to)
    throw new Problem(
      'certificate-expired',
      `the ${what} is valid from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
    );
  if (await repo.isRevoked(anchor.sha256, cert.serialNumber))
    throw new Problem('certificate-revoked', `the ${what} (serial ${cert.serialNumber}) has been revoked`);
}

/** One attribute of a certificate subject (Node prints it as `NAME=value` lines). */
export function subjectField(cert: X509Certificate, name: string): string | undefined {
  const prefix = `${name}=`;
  return cert.subject
    .split('\n')
    .find((line) => line.startsWith(prefix))
    ?.slice(prefix.length);
}

function subjectCn(cert: X509Certificate): string {
  return subjectField(cert, 'CN') ?? 'the trusted CA';
}
