/**
 * Who is calling, from the TLS client certificate alone: TLS has already checked that it chains to
 * the upstream CA (rejectUnauthorized), so what is left is to read what it says it is for.
 */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { Problem } from '@myna/protocol/problem.js';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { CLIENT_KIND } from '../pki/staff-roles.ts';

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

/**
 * getPeerCertificate() builds a fresh object from the certificate on every call, and a kept-alive
 * connection carries thousands of requests from the one certificate it was opened with: the
 * identity is read once per socket. The server refuses renegotiation (app.ts), so the certificate
 * a socket was opened with is the only one it ever has. `null` remembers a socket without one.
 */
const identities = new WeakMap<TLSSocket, ClientIdentity | null>();

function field(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** The identity of the certificate a TLS socket was opened with; undefined without one. */
export function peerIdentity(socket: TLSSocket): ClientIdentity | undefined {
  let identity = identities.get(socket);
  if (identity === undefined) {
    identity = identityOf(
      typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined,
    );
    identities.set(socket, identity);
  }
  return identity ?? undefined;
}

function identityOf(cert: PeerCertificate | Record<string, never> | undefined): ClientIdentity | null {
  if (!cert || !('subject' in cert) || !cert.subject) return null;
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const ou = field(subject.OU);
  const kind = ou === CLIENT_KIND.kiosk ? 'kiosk' : ou === CLIENT_KIND.staff ? 'staff' : 'other';
  return {
    kind,
    commonName: field(subject.CN),
    role: kind === 'staff' ? field(subject.title) || null : null,
    serial: cert.serialNumber.toUpperCase(),
    fingerprint256: cert.fingerprint256,
    subject: Object.entries(subject)
      .map(([name, value]) => `${name}=${field(value)}`)
      .join(', '),
  };
}

export function readClientIdentity(request: FastifyRequest): ClientIdentity {
  const identity = peerIdentity(request.raw.socket as TLSSocket);
  if (!identity) throw new Problem('client-not-allowed', 'the connection carries no client certificate');
  return identity;
}

export function requireKiosk(request: FastifyRequest): ClientIdentity {
  const client = readClientIdentity(request);
  if (client.kind !== 'kiosk')
    throw new Problem('client-not-allowed', 'this endpoint is for kiosk client certificates (OU=kiosk)');
  return client;
}

/**
 * A route's own onRequest hook: a staff certificate is refused before its body is read or checked,
 * so it learns nothing about the body a kiosk would send.
 */
export const kioskOnly: onRequestAsyncHookHandler = async (request) => {
  requireKiosk(request);
};
