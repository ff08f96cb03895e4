import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readClientIdentity } from '../http/client-identity.ts';
import { Problem } from '../http/problem.ts';
import { QUALIFIED_ROLES } from '../pki/staff-roles.ts';
import type { UpstreamServices } from '../services.ts';
import { orderedId } from '../store/ordered-id.ts';
import type { ConsentItem } from '../store/records.ts';

const RESOURCES = {
  medications: { item: 'medication', read: 'medications' },
  checkups: { item: 'checkup', read: 'checkups' },
} as const satisfies Record<string, { item: ConsentItem; read: 'medications' | 'checkups' }>;

/**
 * GET /v1/persons/:personRef/medications | /checkups → 200 { personRef, consentValidUntil, medications
 * | checkups }. Only for a staff certificate whose title is doctor, dentist or pharmacist, and only
 * while the patient's consent for that item holds. Every attempt, granted or refused, goes into the
 * access log the patient can read.
 */
export function patientRecordRoutes(app: FastifyInstance, services: UpstreamServices): void {
  for (const [resource, { item, read }] of Object.entries(RESOURCES)) {
    app.get<{ Params: { personRef: string } }>(`/v1/persons/:personRef/${resource}`, async (request) => {
      const { personRef } = request.params;
      const now = services.now();
      try {
        const consentValidUntil = await authorise(request, services, personRef, item, now);
        const records = await services.repo[read](personRef);
        await log(request, services, personRef, resource, now, 'granted');
        return { personRef, consentValidUntil, [resource]: records };
      } catch (error) {
        await log(
          request,
          services,
          personRef,
          resource,
          now,
          error instanceof Problem ? error.code : 'internal-error',
        );
        throw error;
      }
    });
  }
}

async function authorise(
  request: FastifyRequest,
  services: UpstreamServices,
  personRef: string,
  item: ConsentItem,
  now: Date,
): Promise<string> {
  const client = readClientIdentity(request);
  if (client.kind !== 'staff')
    throw new Problem('client-not-allowed', 'patient records are for staff client certificates (OU=staff)');
  if (!client.role || !QUALIFIED_ROLES.has(client.role))
    throw new Problem('role-not-qualified', `role "${client.role ?? 'none'}" may not read patient records`);
  if (!(await services.repo.person(personRef))) throw new Problem('person-unknown', 'no such person');
  const consent = await services.repo.latestConsent(personRef, item);
  if (!consent?.agreed)
    throw new Problem('consent-missing', `the patient has not agreed to share ${item} information`);
  if (now.toISOString() > consent.validUntil || now.toISOString() < consent.consentedAt)
    throw new Problem(
      'consent-expired',
      `the consent to share ${item} information ended at ${consent.validUntil}`,
    );
  return consent.validUntil;
}

async function log(
  request: FastifyRequest,
  services: UpstreamServices,
  personRef: string,
  resource: string,
  now: Date,
  outcome: string,
): Promise<void> {
  let accessor = 'unidentified client';
  let role: string | null = null;
  try {
    const client = readClientIdentity(request);
    accessor = client.subject;
    role = client.role;
  } catch {
    // Logged all the same: an attempt without a readable identity is worth seeing too.
  }
  await services.repo.logAccess(orderedId(), {
    personRef,
    accessor,
    accessorRole: role,
    resource,
    granted: outcome === 'granted',
    outcome,
    at: now.toISOString(),
  });
}
