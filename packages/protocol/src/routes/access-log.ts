import { z } from 'zod';
import { personRefSchema, type Route, timestampSchema } from './route.ts';
import { signedBodySchema } from './signed-body.ts';

/**
 * POST /v1/access-log { jws } → 200: who looked at (or tried to look at) the patient's records,
 * oldest first. The JWS is card-signed over a fresh nonce with request { kind: 'access-log' }: only
 * the card holder asks.
 */
export const readAccessLog = {
  method: 'POST',
  path: '/v1/access-log',
  body: signedBodySchema,
  status: 200,
  answer: z.object({
    personRef: personRefSchema,
    entries: z.array(
      z.object({
        at: timestampSchema,
        /** The staff certificate's subject. */
        accessor: z.string(),
        role: z.string().nullable(),
        resource: z.string(),
        granted: z.boolean(),
        /** `granted`, or the problem code of the refusal. */
        outcome: z.string(),
      }),
    ),
  }),
} as const satisfies Route;
