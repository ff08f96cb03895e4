import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireKiosk } from '../http/client-identity.ts';
import { answerOnce } from '../http/idempotency.ts';
import { parseBody } from '../http/parse-body.ts';
import { Problem } from '../http/problem.ts';
import { buildQualificationResult } from '../qualification-result.ts';
import { BODY_LIMITS, type UpstreamServices } from '../services.ts';
import { orderedId } from '../store/ordered-id.ts';
import { CONSENT_ITEMS, type Consent } from '../store/records.ts';
import type { UpstreamRepository } from '../store/upstream-repository.ts';
import { kioskVisit } from './visits.ts';

/** How far a kiosk clock may run ahead of ours, or a consent precede the visit's qualification. */
const CLOCK_SKEW_MS = 5 * 60_000;

const consentsSchema = z.strictObject({
  visitId: z.uuid(),
  items: z
    .array(
      z.strictObject({
        item: z.enum(CONSENT_ITEMS),
        agreed: z.boolean(),
        at: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1)
    .max(CONSENT_ITEMS.length)
    .refine((items) => new Set(items.map((i) => i.item)).size === items.length, 'each item at most once'),
});

/**
 * POST /v1/consents { visitId, items: [{ item, agreed, at }] } with Idempotency-Key → 200 { visitId,
 * personRef, consents: [{ item, agreed, at, validUntil }], qualification }. An agreement holds for
 * 24 hours from its time; a refusal withdraws an earlier agreement. The qualification is rebuilt with
 * the OQS consent flags, and with the limit certificate when limit-info was agreed.
 */
export function consentRoutes(app: FastifyInstance, services: UpstreamServices): void {
  app.post('/v1/consents', { bodyLimit: BODY_LIMITS.consents }, async (request, reply) => {
    const client = requireKiosk(request);
    const body = parseBody(consentsSchema, request.body);
    const now = services.now();
    const scope = { repo: services.repo, client: client.commonName, endpoint: 'consents', now };
    return answerOnce(request, reply, scope, async (tx) => {
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
        status: 200,
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
  });
}

/** The patient's current answer per item, where it was given in this visit. */
async function consentsOfVisit(
  repo: UpstreamRepository,
  personRef: string,
  visitId: string,
): Promise<Consent[]> {
  const latest = await Promise.all(CONSENT_ITEMS.map((item) => repo.latestConsent(personRef, item)));
  return latest.filter((c): c is Consent => c !== undefined && c.visitId === visitId);
}
