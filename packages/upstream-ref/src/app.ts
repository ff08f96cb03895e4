/**
 * The reference upstream as a Fastify application over HTTPS with client certificates: TLS admits
 * only certificates of the upstream CA, a hook refuses revoked ones, every route answers JSON, every
 * refusal is a problem document, and every client certificate has its own rate limit.
 */
import type { TLSSocket } from 'node:tls';
import { Problem } from '@myna/protocol/problem.js';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { peerIdentity, readClientIdentity } from './http/client-identity.ts';
import { asProblem, sendProblem } from './http/problem.ts';
import { type RateLimit, rateLimiter } from './http/rate-limit.ts';
import { accessLogRoutes } from './routes/access-log.ts';
import { consentRoutes } from './routes/consents.ts';
import { insurerRoutes } from './routes/insurers.ts';
import { nonceRoutes } from './routes/nonces.ts';
import { patientRecordRoutes } from './routes/patient-records.ts';
import { qualificationRoutes } from './routes/qualifications.ts';
import { registrationRoutes } from './routes/registrations.ts';
import type { UpstreamServices } from './services.ts';

export type { RateLimit } from './http/rate-limit.ts';

export const DEFAULT_RATE_LIMIT: RateLimit = { max: 300, windowMs: 60_000 };
/** Above every per-route limit, so a body too large for any route is refused before it is read. */
const GLOBAL_BODY_LIMIT = 128 * 1024;

export interface UpstreamAppOptions {
  services: UpstreamServices;
  tls: { keyPem: string; certPem: string; caPem: string };
  rateLimit?: RateLimit;
  /** A pino logger for failures; none by default. */
  log?: FastifyBaseLogger;
  /** Also log every request and its answer (default false). */
  logRequests?: boolean;
}

export async function buildUpstreamApp(options: UpstreamAppOptions): Promise<FastifyInstance> {
  const https = Fastify({
    https: {
      key: options.tls.keyPem,
      cert: options.tls.certPem,
      ca: options.tls.caPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    bodyLimit: GLOBAL_BODY_LIMIT,
    ...(options.log ? { loggerInstance: options.log } : { logger: false }),
    // Two log lines for every request would cost more than answering it; failures are still logged.
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
  });
  // Routes do not care which server type carries them.
  const app = https as unknown as FastifyInstance;
  // A TLS 1.2 client could otherwise present another certificate mid-connection, behind the identity
  // read when the connection opened (client-identity.ts).
  https.server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  // JSON only: a text/plain body would otherwise reach the handlers as a string.
  app.removeContentTypeParser('text/plain');
  const { services } = options;
  const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;

  // Bodies and params are checked, and answers written, by the protocol's route schemas.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
    const problem = asProblem(error);
    if (problem.code === 'internal-error') request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new Problem('not-found', `${request.method} ${request.url.split('?')[0]} is not an endpoint`),
    ),
  );

  const overLimit = rateLimiter(limit);
  app.addHook('onRequest', async (request, reply) => {
    const refused = overLimit(peerIdentity(request.raw.socket as TLSSocket)?.fingerprint256 ?? request.ip);
    if (refused) {
      const problem = new Problem(
        'rate-limited',
        `at most ${limit.max} requests in ${limit.windowMs / 1000} s; try again in ${refused.retryAfterSeconds} s`,
      );
      return sendProblem(reply.header('retry-after', String(refused.retryAfterSeconds)), problem);
    }
    // Revocation is ours to check: TLS only knows the CA signed the certificate.
    const client = readClientIdentity(request);
    const standing = await services.repo.clientStanding(
      services.trust.upstreamCa.sha256,
      client.serial,
      client.kind === 'kiosk' ? client.commonName : null,
    );
    if (standing.certificateRevoked)
      throw new Problem('certificate-revoked', 'this client certificate has been revoked');
    if (standing.kioskRevoked) throw new Problem('kiosk-revoked', `kiosk ${client.commonName} was revoked`);
  });

  for (const routes of [
    nonceRoutes,
    qualificationRoutes,
    registrationRoutes,
    consentRoutes,
    patientRecordRoutes,
    accessLogRoutes,
    insurerRoutes,
  ])
    app.register(routes, { services });
  await app.ready();
  return app;
}
