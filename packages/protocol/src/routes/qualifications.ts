import { z } from 'zod';
import { qualificationResultSchema } from '../oqs/qualification.ts';
import { personRefSchema, type Route, visitIdSchema } from './route.ts';
import { signedBodySchema } from './signed-body.ts';

/**
 * POST /v1/qualifications { jws } → 200. The qualification is answered even before insurance use is
 * registered: the kiosk needs the name to offer the registration, and registers before it uses the
 * answer for reception.
 */
export const qualify = {
  method: 'POST',
  path: '/v1/qualifications',
  body: signedBodySchema,
  status: 200,
  answer: z.object({
    visitId: visitIdSchema,
    personRef: personRefSchema,
    insuranceUseRegistered: z.boolean(),
    qualification: qualificationResultSchema,
  }),
} as const satisfies Route;
