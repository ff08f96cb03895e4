import { CONSENT_ITEMS } from '@myna/protocol/consent-items.js';
import { Problem } from '@myna/protocol/problem.js';
import { recordConsents } from '@myna/protocol/routes/consents.js';
import type { RouteAnswer } from '@myna/protocol/routes/route.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { kioskOnly, requireKiosk } from '../http/client-identity.ts';
import { answerOnce } from '../http/idempotency.ts';
import { routeOptions } from '../http/route-options.ts';
import { buildQualificationResult } from '../qualification-result.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';
import { orderedId } from '../store/ordered-id.ts';
import type { Consent } from '../store/records.ts';
import type { UpstreamRepository } from '../store/upstream-repository.ts';
import { kioskVisit } from './visits.ts';

/** How far a kiosk clock may run ahead of ours, or a consent precede the visit's qualification. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * POST /v1/consents, acted on once per Idempotency-Key: each answer is recorded with its validity,
 * and the visit's qualification is rebuilt with the patient's current answers.
 */
export const consentRoutes: FastifyPluginAsyncZod<{ services: UpstreamServices }> = async (
  app,
  { services },
) => {
  app.route({
    ...routeOptions(recordConsents),
    bodyLimit: BODY_LIMITS.consents,
    onRequest: kioskOnly,
    handler: async (request, reply) => {
      const client = requireKiosk(request);
      const { body } = request;
      const now = services.now();
      const scope = { repo: services.repo, client: client.commonName, endpoint: 'consents', now };
      return answerOnce<RouteAnswer<typeof recordConsents>>(request, reply, scope, async (tx) => {
        const visit = await kioskVisit(tx, body.visitId, client.commonName);
        const earliest = new Date(visit.createdAt).getTime() - CLOCK_SKEW_MS;
        const latest = now.getTime() + CLOCK_SKEW_MS;
        const recorded: Consent[] = [];
        for (const item of body.items) {
          const at = new Date(item.at);
          if (at.getTime() < earliest || at.getTime() > latest)
            throw new Problem(
              'consent-time-invalid',
              `${item.item}: the time must lie between the visit and now`,
            );
          const consent: Consent = {
            visitId: visit.visitId,
            item: item.item,
            agreed: item.agreed,
            consentedAt: at.toISOString(),
            validUntil: new Date(at.getTime() + services.consentValidityMs).toISOString(),
          };
          await tx.recordConsent(orderedId(), visit.personRef, consent, now.toISOString());
          recorded.push(consent);
        }
        const person = await tx.person(visit.personRef);
        const visitConsents = await consentsOfVisit(tx, visit.personRef, visit.visitId);
        const sharesLimit = visitConsents.some((c) => c.item === 'limit-info' && c.agreed);
        const qualification = buildQualificationResult({
          visit,
          person: person!,
          now,
          consents: visitConsents,
          limitCertificate: sharesLimit ? await tx.limitCertificate(visit.personRef) : undefined,
        });
        return {
          status: recordConsents.status,
          body: {
            visitId: visit.visitId,
            personRef: visit.personRef,
            consents: recorded.map((c) => ({
              item: c.item,
              agreed: c.agreed,
              at: c.consentedAt,
              validUntil: c.agreed ? c.validUntil : null,
            })),
            qualification,
          },
        };
      });
    },
  });
};

/** The patient's current answer per item, where it was given in this visit. */
async function consentsOfVisit(
  repo: UpstreamRepository,
  personRef: string,
  visitId: string,
): Promise<Consent[]> {
  const latest = await Promise.all(CONSENT_ITEMS.map((item) => repo.latestConsent(personRef, item)));
  return latest.filter((c): c is Consent => c !== undefined && c.visitId === visitId);
}
