/**
 * The reference upstream as a Fastify application over HTTPS with client certificates: TLS admits
 * only certificates of the upstream CA, a hook refuses revoked ones, every route answers JSON, every
 * refusal is a problem document, and every client certificate has its own rate limit.
 */
import type { TLSSocket } from 'node:tls';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { readClientIdentity } from './http/client-identity.ts';
import { PROBLEM_CONTENT_TYPE, Problem } from './http/problem.ts';
import { accessLogRoutes } from './routes/access-log.ts';
import { consentRoutes } from './routes/consents.ts';
import { insurerRoutes } from './routes/insurers.ts';
import { nonceRoutes } from './routes/nonces.ts';
import { patientRecordRoutes } from './routes/patient-records.ts';
import { qualificationRoutes } from './routes/qualifications.ts';
import { registrationRoutes } from './routes/registrations.ts';
import type { UpstreamServices } from './services.ts';

export interface RateLimit {
  /** Requests per client certificate per window. */
  max: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { max: 300, windowMs: 60_000 };
/** Above every per-route limit, so a body too large for any route is refused before it is read. */
const GLOBAL_BODY_LIMIT = 128 * 1024;

export interface UpstreamAppOptions {
  services: UpstreamServices;
  tls: { keyPem: string; certPem: string; caPem: string };
  rateLimit?: RateLimit;
  /** A pino logger for requests and failures; none by default. */
  log?: FastifyBaseLogger;
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
  });
  // Routes do not care which server type carries them.
  const app = https as unknown as FastifyInstance;
  // JSON only: a text/plain body would otherwise reach the handlers as a string.
  app.removeContentTypeParser('text/plain');
  const { services } = options;
  const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;

  app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
    const problem = asProblem(error);
    if (problem.code === 'internal-error') request.log.error({ err: error }, 'request failed');
    return reply.status(problem.statusCode).type(PROBLEM_CONTENT_TYPE).send(problem.document());
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = new Problem(
      'not-found',
      `${request.method} ${request.url.split('?')[0]} is not an endpoint`,
    );
    return reply.status(problem.statusCode).type(PROBLEM_CONTENT_TYPE).send(problem.document());
  });

  await app.register(rateLimit, {
    global: true,
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (request) =>
      (request.raw.socket as TLSSocket).getPeerCertificate?.().fingerprint256 ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new Problem('rate-limited', `at most ${context.max} requests in ${context.after}; try again later`),
  });

  // Revocation is ours to check: TLS only knows the CA signed the certificate.
  app.addHook('onRequest', async (request) => {
    const client = readClientIdentity(request);
    if (await services.repo.isRevoked(services.trust.upstreamCa.sha256, client.serial))
      throw new Problem('certificate-revoked', 'this client certificate has been revoked');
    if (client.kind === 'kiosk') {
      const kiosk = await services.repo.kiosk(client.commonName);
      if (kiosk?.revokedAt) throw new Problem('kiosk-revoked', `kiosk ${client.commonName} was revoked`);
    }
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
    routes(app, services);
  return app;
}

function asProblem(error: FastifyError | Problem): Problem {
  if (error instanceof Problem) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem('body-too-large', 'the body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('unsupported-media-type', 'send the body as application/json');
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return new Problem('body-too-large', 'the body is larger than this endpoint accepts');
  if (status === 415) return new Problem('unsupported-media-type', 'send the body as application/json');
  if (status >= 400 && status < 500) return new Problem('malformed-request', 'the body is not valid JSON');
  return new Problem('internal-error', 'the upstream failed; the request may be retried');
}
