import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { requireKiosk } from '../http/client-identity.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';

const answerSchema = {
  type: 'object',
  required: ['nonce', 'expiresAt'],
  properties: { nonce: { type: 'string' }, expiresAt: { type: 'string' } },
} as const;

/** POST /v1/nonces → 201 { nonce, expiresAt }: one signed request's worth of freshness, for this kiosk only. */
export function nonceRoutes(app: FastifyInstance, services: UpstreamServices): void {
  app.post(
    '/v1/nonces',
    { bodyLimit: BODY_LIMITS.small, schema: { response: { 201: answerSchema } } },
    async (request, reply) => {
      const client = requireKiosk(request);
      const issuedAt = services.now();
      const expiresAt = new Date(issuedAt.getTime() + services.nonceTtlMs);
      const nonce = randomBytes(32).toString('base64url');
      await services.repo.issueNonce(
        nonce,
        client.commonName,
        issuedAt.toISOString(),
        expiresAt.toISOString(),
      );
      return reply.status(201).send({ nonce, expiresAt: expiresAt.toISOString() });
    },
  );
}
