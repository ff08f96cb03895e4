import type { ConsentItem } from '@myna/protocol/consent-items.js';
import { Problem } from '@myna/protocol/problem.js';
import { readCheckups, readMedications } from '@myna/protocol/routes/patient-records.js';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readClientIdentity } from '../http/client-identity.ts';
import { routeOptions } from '../http/route-options.ts';
import { QUALIFIED_ROLES } from '../pki/staff-roles.ts';
import type { UpstreamServices } from '../services.ts';
import { orderedId } from '../store/ordered-id.ts';

/**
 * GET /v1/persons/:personRef/medications | /checkups. Only for a staff certificate whose title is
 * doctor, dentist or pharmacist, and only while the patient's consent for that item holds. Every
 * attempt, granted or refused, goes into the access log the patient can read.
 */
export const patientRecordRoutes: FastifyPluginAsyncZod<{ services: UpstreamServices }> = async (
  app,
  { services },
) => {
  app.route({
    ...routeOptions(readMedications),
    handler: (request) =>
      answerUnderConsent(request, services, request.params.personRef, 'medications', (ref) =>
        services.repo.medications(ref),
      ),
  });
  app.route({
    ...routeOptions(readCheckups),
    handler: (request) =>
      answerUnderConsent(request, services, request.params.personRef, 'checkups', (ref) =>
        services.repo.checkups(ref),
      ),
  });
};

const CONSENT_FOR = { medications: 'medication', checkups: 'checkup' } as const;

type RecordsAnswer<Resource extends keyof typeof CONSENT_FOR, T> = {
  personRef: string;
  consentValidUntil: string;
} & Record<Resource, T>;

/** The records, read only for a qualified role under a current consent; the attempt is logged. */
async function answerUnderConsent<Resource extends keyof typeof CONSENT_FOR, T>(
  request: FastifyRequest,
  services: UpstreamServices,
  personRef: string,
  resource: Resource,
  read: (personRef: string) => Promise<T>,
): Promise<RecordsAnswer<Resource, T>> {
  const now = services.now();
  try {
    const consentValidUntil = await authorise(request, services, personRef, CONSENT_FOR[resource], now);
    const records = await read(personRef);
    await log(request, services, personRef, resource, now, 'granted');
    return { personRef, consentValidUntil, [resource]: records } as RecordsAnswer<Resource, T>;
  } catch (error) {
    const outcome = error instanceof Problem ? error.code : 'internal-error';
    await log(request, services, personRef, resource, now, outcome);
    throw error;
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
