import { z } from 'zod';
import { personRefSchema, type Route, timestampSchema, visitIdSchema } from './route.ts';

/**
 * POST /v1/registrations { visitId } with Idempotency-Key → 200: 健康保険証利用の申込 for the visit's
 * patient. A patient already registered keeps the first registration time.
 */
export const registerInsuranceUse = {
  method: 'POST',
  path: '/v1/registrations',
  body: z.strictObject({ visitId: visitIdSchema }),
  status: 200,
  answer: z.object({
    visitId: visitIdSchema,
    personRef: personRefSchema,
    insuranceUseRegistered: z.literal(true),
    registeredAt: timestampSchema,
  }),
} as const satisfies Route;
