import { randomUUID } from 'node:crypto';
import { Problem } from '@myna/protocol/problem.js';
import { qualify } from '@myna/protocol/routes/qualifications.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { kioskOnly, requireKiosk } from '../http/client-identity.ts';
import { routeOptions } from '../http/route-options.ts';
import { buildQualificationResult } from '../qualification-result.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';
import { acceptQualificationRequest } from '../verify/signed-request.ts';

/** POST /v1/qualifications: a signed qualification request opens a visit for this kiosk. */
export const qualificationRoutes: FastifyPluginAsyncZod<{ services: UpstreamServices }> = async (
  app,
  { services },
) => {
  app.route({
    ...routeOptions(qualify),
    bodyLimit: BODY_LIMITS.signed,
    onRequest: kioskOnly,
    handler: async (request) => {
      const client = requireKiosk(request);
      const now = services.now();
      const { repo, trust } = services;
      const context = { trust, repo, now, client };
      return acceptQualificationRequest(request.body.jws, context, async ({ claims, card }, tx) => {
        const person = await tx.personByCard(trust.cardCa.sha256, card.serialNumber);
        if (!person)
          throw new Problem('person-unknown', 'the card certificate is not linked to an insured person');
        const visit = {
          visitId: randomUUID(),
          personRef: person.personRef,
          kioskId: client.commonName,
          medicalInstitutionCode: claims.request.medicalInstitutionCode,
          method: claims.method,
          createdAt: now.toISOString(),
        };
        await tx.createVisit(visit);
        return {
          visitId: visit.visitId,
          personRef: person.personRef,
          insuranceUseRegistered: person.insuranceUseRegisteredAt !== null,
          qualification: buildQualificationResult({ visit, person, now }),
        };
      });
    },
  });
};
