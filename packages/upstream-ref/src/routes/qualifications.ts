import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireKiosk } from '../http/client-identity.ts';
import { parseBody } from '../http/parse-body.ts';
import { Problem } from '../http/problem.ts';
import { buildQualificationResult } from '../qualification-result.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';
import { acceptQualificationRequest } from '../verify/signed-request.ts';

export const signedBodySchema = z.strictObject({ jws: z.string().min(1) });

/**
 * The answer's outer members for fast-json-stringify; the OQS document inside is built and checked
 * against its own schema by buildQualificationResult, and passes as it is.
 */
const answerSchema = {
  type: 'object',
  required: ['visitId', 'personRef', 'insuranceUseRegistered', 'qualification'],
  properties: {
    visitId: { type: 'string' },
    personRef: { type: 'string' },
    insuranceUseRegistered: { type: 'boolean' },
    qualification: { type: 'object', additionalProperties: true },
  },
} as const;

/**
 * POST /v1/qualifications { jws } → 200 { visitId, personRef, insuranceUseRegistered, qualification }.
 * The qualification is answered even before insurance use is registered: the kiosk needs the name to
 * offer the registration, and registers before it uses the answer for reception.
 */
export function qualificationRoutes(app: FastifyInstance, services: UpstreamServices): void {
  app.post(
    '/v1/qualifications',
    { bodyLimit: BODY_LIMITS.signed, schema: { response: { 200: answerSchema } } },
    async (request) => {
      const client = requireKiosk(request);
      const { jws } = parseBody(signedBodySchema, request.body);
      const now = services.now();
      const { repo, trust } = services;
      return acceptQualificationRequest(jws, { trust, repo, now, client }, async ({ claims, card }, tx) => {
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
  );
}
