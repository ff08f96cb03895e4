import { z } from 'zod';
import { personRefSchema, type Route, timestampSchema } from './route.ts';

// Any segment is a person asked for: an unknown one is refused in the handler, and logged.
const params = z.strictObject({ personRef: z.string() });

const medicationSchema = z.object({
  dispensedOn: z.iso.date(),
  pharmacy: z.string(),
  prescribingInstitution: z.string(),
  prescriber: z.string(),
  drugName: z.string(),
  ingredientName: z.string(),
  dosage: z.string(),
  quantity: z.string(),
  unit: z.string(),
  days: z.number().int(),
});

const checkupSchema = z.object({
  kind: z.enum(['specific', 'later-elderly']),
  examinedOn: z.iso.date(),
  insurerNumber: z.string(),
  results: z.record(z.string(), z.union([z.number(), z.string()])),
});

/**
 * GET /v1/persons/:personRef/medications → 200, for a staff certificate of a qualified role while
 * the patient's consent to share medication information holds. Every attempt is access-logged.
 */
export const readMedications = {
  method: 'GET',
  path: '/v1/persons/:personRef/medications',
  params,
  status: 200,
  answer: z.object({
    personRef: personRefSchema,
    consentValidUntil: timestampSchema,
    medications: z.array(medicationSchema),
  }),
} as const satisfies Route;

/** GET /v1/persons/:personRef/checkups → 200, as medications, under the check-up consent. */
export const readCheckups = {
  method: 'GET',
  path: '/v1/persons/:personRef/checkups',
  params,
  status: 200,
  answer: z.object({
    personRef: personRefSchema,
    consentValidUntil: timestampSchema,
    checkups: z.array(checkupSchema),
  }),
} as const satisfies Route;
