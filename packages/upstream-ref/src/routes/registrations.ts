import { registerInsuranceUse } from '@myna/protocol/routes/registrations.js';
import type { RouteAnswer } from '@myna/protocol/routes/route.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { kioskOnly, requireKiosk } from '../http/client-identity.ts';
import { answerOnce } from '../http/idempotency.ts';
import { routeOptions } from '../http/route-options.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';
import { kioskVisit } from './visits.ts';

/** POST /v1/registrations: 健康保険証利用の申込, acted on once per Idempotency-Key. */
export const registrationRoutes: FastifyPluginAsyncZod<{ services: UpstreamServices }> = async (
  app,
  { services },
) => {
  app.route({
    ...routeOptions(registerInsuranceUse),
    bodyLimit: BODY_LIMITS.small,
    onRequest: kioskOnly,
    handler: async (request, reply) => {
      const client = requireKiosk(request);
      const { visitId } = request.body;
      const now = services.now();
      const scope = { repo: services.repo, client: client.commonName, endpoint: 'registrations', now };
      return answerOnce<RouteAnswer<typeof registerInsuranceUse>>(request, reply, scope, async (tx) => {
        const visit = await kioskVisit(tx, visitId, client.commonName);
        const registeredAt = await tx.registerInsuranceUse(visit.personRef, now.toISOString());
        return {
          status: registerInsuranceUse.status,
          body: { visitId, personRef: visit.personRef, insuranceUseRegistered: true, registeredAt },
        };
      });
    },
  });
};
