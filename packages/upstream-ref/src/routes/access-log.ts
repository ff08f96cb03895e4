import type { FastifyInstance } from 'fastify';
import { requireKiosk } from '../http/client-identity.ts';
import { parseBody } from '../http/parse-body.ts';
import { Problem } from '../http/problem.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';
import { acceptAccessLogRequest } from '../verify/signed-request.ts';
import { signedBodySchema } from './qualifications.ts';

/**
 * POST /v1/access-log { jws } → 200 { personRef, entries: [{ at, accessor, role, resource, granted,
 * outcome }] }: who looked at (or tried to look at) the patient's records, oldest first. The JWS is
 * card-signed over a fresh nonce with request { kind: 'access-log' }: only the card holder asks.
 */
export function accessLogRoutes(app: FastifyInstance, services: UpstreamServices): void {
  app.post('/v1/access-log', { bodyLimit: BODY_LIMITS.signed }, async (request) => {
    const client = requireKiosk(request);
    const { jws } = parseBody(signedBodySchema, request.body);
    const { repo, trust } = services;
    return acceptAccessLogRequest(jws, { trust, repo, now: services.now(), client }, async ({ card }, tx) => {
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
  });
}
