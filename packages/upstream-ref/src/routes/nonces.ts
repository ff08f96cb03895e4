import { randomBytes } from 'node:crypto';
import { issueNonce } from '@myna/protocol/routes/nonces.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { kioskOnly, requireKiosk } from '../http/client-identity.ts';
import { routeOptions } from '../http/route-options.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';

/** POST /v1/nonces: single use, for this kiosk only, valid for services.nonceTtlMs. */
export const nonceRoutes: FastifyPluginAsyncZod<{ services: UpstreamServices }> = async (
  app,
  { services },
) => {
  app.route({
    ...routeOptions(issueNonce),
    bodyLimit: BODY_LIMITS.small,
    onRequest: kioskOnly,
    handler: async (request, reply) => {
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
      return reply.status(issueNonce.status).send({ nonce, expiresAt: expiresAt.toISOString() });
    },
  });
};
