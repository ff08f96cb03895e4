/**
 * One call to a running reference upstream: database opened and migrated, population seeded and
 * linked to the cards the caller hands over, PKI loaded (or made on first use), HTTPS listening on
 * loopback.
 */
import type { FastifyBaseLogger } from 'fastify';
import * as admin from './admin.ts';
import { buildUpstreamApp, type RateLimit } from './app.ts';
import { migrate } from './db/migrations.ts';
import { openDatabase } from './db/open-database.ts';
import type { SqlDatabase } from './db/sql-database.ts';
import { type DeviceCertificate, loadUpstreamPki, type UpstreamPki } from './pki/upstream-pki.ts';
import type { SeedCards } from './seed/seed-cards.ts';
import { seedPopulation } from './seed/seed-population.ts';
import type { UpstreamServices } from './services.ts';
import { UpstreamRepository } from './store/upstream-repository.ts';
import { type CertificateInput, type Trust, trustAnchor } from './verify/trust.ts';

export const DEFAULT_PORT = 8443;
export const NONCE_TTL_MS = 60_000;
export const CONSENT_VALIDITY_MS = 24 * 3_600_000;

export interface StartUpstreamOptions {
  /** `sqlite:FILE`, `sqlite::memory:` (default) or `postgres://…`, or an open database. */
  db?: string | SqlDatabase;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The upstream CA and its certificates (default $KIOSK_UPSTREAM_PKI_DIR or ./var/upstream-pki). */
  pkiDir?: string;
  /** The JPKI user-authentication CA every card certificate must be issued by. */
  cardCa: CertificateInput;
  /** Seeds the synthetic population and links each person to their card here (none: no seeding). */
  seedCards?: SeedCards;
  now?: () => Date;
  nonceTtlMs?: number;
  consentValidityMs?: number;
  rateLimit?: RateLimit;
  /** Failures are logged here, the database's too; requests also with `logRequests`. */
  log?: FastifyBaseLogger;
  logRequests?: boolean;
}

export interface RunningUpstream {
  /** https://HOST:PORT */
  readonly url: string;
  readonly port: number;
  readonly pki: UpstreamPki;
  readonly trust: Trust;
  readonly repository: UpstreamRepository;
  /** Signs a kiosk's device-key CSR and registers the kiosk, ready for `kiosk device install-cert`. */
  enrolDevice(csrPem: string, options?: { kioskId?: string }): Promise<DeviceCertificate>;
  registerKiosk(deviceCertPem: string): Promise<{ kioskId: string; serial: string }>;
  revokeKiosk(kioskId: string): Promise<boolean>;
  /** Card CRL: a PEM certificate or a hex serial. */
  revokeCardCertificate(card: string): Promise<boolean>;
  /** A client or device certificate of the upstream CA: PEM or hex serial. */
  revokeClientCertificate(cert: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function startUpstream(options: StartUpstreamOptions): Promise<RunningUpstream> {
  const pki = loadUpstreamPki(options.pkiDir);
  const trust: Trust = { cardCa: trustAnchor(options.cardCa), upstreamCa: trustAnchor(pki.ca.x509) };
  const ownsDb = typeof options.db !== 'object';
  const db =
    typeof options.db === 'object'
      ? options.db
      : await openDatabase(options.db ?? 'sqlite::memory:', { log: options.log });
  try {
    if (!ownsDb) await migrate(db);
    if (options.seedCards)
      await seedPopulation(db, { cardCa: trust.cardCa.certificate, seedCards: options.seedCards });
    const repository = new UpstreamRepository(db);
    const now = options.now ?? (() => new Date());
    const services: UpstreamServices = {
      repo: repository,
      trust,
      now,
      nonceTtlMs: options.nonceTtlMs ?? NONCE_TTL_MS,
      consentValidityMs: options.consentValidityMs ?? CONSENT_VALIDITY_MS,
    };
    const app = await buildUpstreamApp({
      services,
      tls: { keyPem: pki.server.keyPem, certPem: pki.server.certPem, caPem: pki.ca.certPem },
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.logRequests ? { logRequests: true } : {}),
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
    return {
      url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      pki,
      trust,
      repository,
      enrolDevice: async (csrPem, enrol = {}) => {
        const device = pki.signDeviceCsr(csrPem, enrol);
        await admin.registerKiosk(repository, trust, device.certPem, now());
        return device;
      },
      registerKiosk: (pem) => admin.registerKiosk(repository, trust, pem, now()),
      revokeKiosk: (kioskId) => admin.revokeKiosk(repository, kioskId, now()),
      revokeCardCertificate: (card) => admin.revokeCertificate(repository, trust, 'card', card, now()),
      revokeClientCertificate: (cert) => admin.revokeCertificate(repository, trust, 'upstream', cert, now()),
      close: async () => {
        await app.close();
        if (ownsDb) await db.close();
      },
    };
  } catch (error) {
    if (ownsDb) await db.close().catch(() => undefined);
    throw error;
  }
}
