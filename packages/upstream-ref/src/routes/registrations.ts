import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireKiosk } from '../http/client-identity.ts';
import { answerOnce } from '../http/idempotency.ts';
import { parseBody } from '../http/parse-body.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';
import { kioskVisit } from './visits.ts';

const registrationSchema = z.strictObject({ visitId: z.uuid() });

/**
 * POST /v1/registrations { visitId } with Idempotency-Key → 200 { visitId, personRef,
 * insuranceUseRegistered: true, registeredAt }: 健康保険証利用の申込 for the visit's patient. A
 * patient already registered keeps the first registration time.
 */
export function registrationRoutes(app: FastifyInstance, services: UpstreamServices): void {
  app.post('/v1/registrations', { bodyLimit: BODY_LIMITS.small }, async (request, reply) => {
    const client = requireKiosk(request);
    const { visitId } = parseBody(registrationSchema, request.body);
    const now = services.now();
    const scope = { repo: services.repo, client: client.commonName, endpoint: 'registrations', now };
    return answerOnce(request, reply, scope, async (tx) => {
      const visit = await kioskVisit(tx, visitId, client.commonName);
      const registeredAt = await tx.registerInsuranceUse(visit.personRef, now.toISOString());
      return {
        status: 200,
        body: { visitId, personRef: visit.personRef, insuranceUseRegistered: true, registeredAt },
      };
    });
  });
}
