import { z } from 'zod';

/** The body of a route that acts on a signed request (request-claims.ts): the compact JWS alone. */
export const signedBodySchema = z.strictObject({ jws: z.string().min(1) });
