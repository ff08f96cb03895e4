import { z } from 'zod';
import { type Route, timestampSchema } from './route.ts';

/** POST /v1/nonces → 201: one signed request's worth of freshness, for the asking kiosk only. */
export const issueNonce = {
  method: 'POST',
  path: '/v1/nonces',
  // No body at all reaches the server as null.
  body: z.strictObject({}).nullish(),
  status: 201,
  answer: z.object({
    nonce: z.string().min(16).max(256),
    expiresAt: timestampSchema,
  }),
} as const satisfies Route;
