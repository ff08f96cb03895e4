/**
 * An in-process upstream for flow tests and the flow benchmark: it issues single-use nonces and
 * really verifies each signed request (signature, claims, nonce, card certificate chain to the
 * test JPKI CA, and for attestations the kiosk's certificate), then answers with the person the
 * card belongs to. The reference server (src/server) does the same over mTLS; this one skips the
 * network so a benchmark sees only the kiosk's own time.
 */
import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import type { Qualification } from '@myna/kiosk/reception/flow-types.js';
import type { UpstreamPort, VerifiedVisit } from '@myna/kiosk/reception/ports.js';
import { UpstreamError } from '@myna/kiosk/upstream/errors.js';
import { certificateFromX5c, verifyCompactJws } from '@myna/protocol/jws.js';
import { decodeClaims } from '@myna/protocol/signed-requests.js';

export interface StandInDocument {
  visitId: string;
  method: string;
  person: Qualification;
}

export interface StandInOptions {
  /** The JPKI CA the card certificates must chain to. */
  cardCa: X509Certificate;
  /** People by card certificate serial (upper-case hex, as X509Certificate reports it). */
  people: Map<string, Qualification>;
  /** Device certificates (PEM) of the kiosks allowed to attest; empty: no face path. */
  kiosks?: string[];
}

export class UpstreamStandIn implements UpstreamPort<StandInDocument> {
  private readonly nonces = new Set<string>();
  readonly visits: StandInDocument[] = [];

  constructor(private readonly options: StandInOptions) {}

  async nonce(): Promise<string> {
    const nonce = randomBytes(24).toString('base64url');
    this.nonces.add(nonce);
    return nonce;
  }

  async verify(jws: string): Promise<VerifiedVisit<StandInDocument>> {
    let claims: ReturnType<typeof decodeClaims>;
    let card: X509Certificate;
    try {
      const verified = verifyCompactJws(jws);
      claims = decodeClaims(verified);
      if (claims.method === 'pin') {
        card = verified.certificate;
      } else {
        card = certificateFromX5c(claims.card.x5c[0]);
        const kiosk = verified.certificate.raw;
        if (!(this.options.kiosks ?? []).some((pem) => new X509Certificate(pem).raw.equals(kiosk))) {
          throw refused('kiosk-unknown');
        }
      }
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw refused((error as { code?: string }).code ?? 'malformed-request');
    }
    if (!this.nonces.delete(claims.nonce)) throw refused('nonce-unknown');
    if (!card.verify(this.options.cardCa.publicKey)) throw refused('untrusted-certificate');
    const person = this.options.people.get(card.serialNumber);
    if (!person) throw refused('person-unknown');
    const document: StandInDocument = { visitId: randomUUID(), method: claims.method, person };
    this.visits.push(document);
    return { visitId: document.visitId, qualification: person, document };
  }
}

const refused = (code: string) =>
  new UpstreamError('refused', code, `the upstream refused the request: ${code}`);
