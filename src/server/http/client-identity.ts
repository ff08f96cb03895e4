/**
 * Who is calling, from the TLS client certificate alone: TLS has already checked that it chains to
 * the upstream CA (rejectUnauthorized), so what is left is to read what it says it is for.
 */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';
import { CLIENT_KIND } from '../pki/staff-roles.ts';
import { Problem } from './problem.ts';

export interface ClientIdentity {
  kind: 'kiosk' | 'staff' | 'other';
  /** Subject CN: the kiosk id, or the staff member's name. */
  commonName: string;
  /** Staff only: the subject's `title`. */
  role: string | null;
  /** Upper-case hex, as X509Certificate reports it. */
  serial: string;
  fingerprint256: string;
  /** The subject as one line, for the access log. */
  subject: string;
}

const identities = new WeakMap<FastifyRequest, ClientIdentity>();

function field(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

export function readClientIdentity(request: FastifyRequest): ClientIdentity {
  const known = identities.get(request);
  if (known) return known;
  const socket = request.raw.socket as TLSSocket;
  const cert = (typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : {}) as
    | PeerCertificate
    | Record<string, never>;
  if (!cert || !('subject' in cert) || !cert.subject)
    throw new Problem('client-not-allowed', 'the connection carries no client certificate');
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const ou = field(subject.OU);
  const kind = ou === CLIENT_KIND.kiosk ? 'kiosk' : ou === CLIENT_KIND.staff ? 'staff' : 'other';
  const identity: ClientIdentity = {
    kind,
    commonName: field(subject.CN),
    role: kind === 'staff' ? field(subject.title) || null : null,
    serial: cert.serialNumber.toUpperCase(),
    fingerprint256: cert.fingerprint256,
    subject: Object.entries(subject)
      .map(([name, value]) => `${name}=${field(value)}`)
      .join(', '),
  };
  identities.set(request, identity);
  return identity;
}

export function requireKiosk(request: FastifyRequest): ClientIdentity {
  const client = readClientIdentity(request);
  if (client.kind !== 'kiosk')
    throw new Problem('client-not-allowed', 'this endpoint is for kiosk client certificates (OU=kiosk)');
  return client;
}
