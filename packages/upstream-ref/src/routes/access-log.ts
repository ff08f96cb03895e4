import { Problem } from '@myna/protocol/problem.js';
import { readAccessLog } from '@myna/protocol/routes/access-log.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { kioskOnly, requireKiosk } from '../http/client-identity.ts';
import { routeOptions } from '../http/route-options.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';
import { acceptAccessLogRequest } from '../verify/signed-request.ts';

/** POST /v1/access-log: the card holder's own access log, asked for with a card-signed request. */
export const accessLogRoutes: FastifyPluginAsyncZod<{ services: UpstreamServices }> = async (
  app,
  { services },
) => {
  app.route({
    ...routeOptions(readAccessLog),
    bodyLimit: BODY_LIMITS.signed,
    onRequest: kioskOnly,
    handler: async (request) => {
      const client = requireKiosk(request);
      const { repo, trust } = services;
      const context = { trust, repo, now: services.now(), client };
      return acceptAccessLogRequest(request.body.jws, context, async ({ card }, tx) => {
        const person = await tx.personByCard(trust.cardCa.sha256, card.serialNumber);
        if (!person)
          throw new Problem('person-unknown', 'the card certificate is not linked to an insured person');
        const entries = await tx.accessLog(person.personRef);
        return {
          personRef: person.personRef,
          entries: entries.map((e) => ({
            at: e.at,
            accessor: e.accessor,
            role: e.accessorRole,
            resource: e.resource,
            granted: e.granted,
            outcome: e.outcome,
          })),
        };
      });
    },
  });
};
