import { z } from 'zod';
import { CONSENT_ITEMS } from '../consent-items.ts';
import { qualificationResultSchema } from '../oqs/qualification.ts';
import { personRefSchema, type Route, timestampSchema, visitIdSchema } from './route.ts';

const itemSchema = z.enum(CONSENT_ITEMS);

/**
 * POST /v1/consents with Idempotency-Key → 200: the patient's answers in a visit, each item at most
 * once. An agreement holds for 24 hours from its time (validUntil); a refusal withdraws an earlier
 * agreement (validUntil null). The qualification is rebuilt with the OQS consent flags, and with the
 * limit certificate when limit-info was agreed.
 */
export const recordConsents = {
  method: 'POST',
  path: '/v1/consents',
  body: z.strictObject({
    visitId: visitIdSchema,
    items: z
      .array(z.strictObject({ item: itemSchema, agreed: z.boolean(), at: timestampSchema }))
      .min(1)
      .max(CONSENT_ITEMS.length)
      .refine((items) => new Set(items.map((i) => i.item)).size === items.length, 'each item at most once'),
  }),
  status: 200,
  answer: z.object({
    visitId: visitIdSchema,
    personRef: personRefSchema,
    consents: z.array(
      z.object({
        item: itemSchema,
        agreed: z.boolean(),
        at: timestampSchema,
        validUntil: timestampSchema.nullable(),
      }),
    ),
    qualification: qualificationResultSchema,
  }),
} as const satisfies Route;
