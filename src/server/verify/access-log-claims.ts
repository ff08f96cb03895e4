/**
 * A patient asking for their own access log signs, with the card like the PIN path, a request of its
 * own kind: a signed qualification request cannot be turned into a log request, and the reverse.
 * Same JWS `typ` and rules as the PIN path otherwise.
 */
import { z } from 'zod';
import { pinClaimsSchema } from '../../upstream/request-claims.ts';

export const accessLogRequestSchema = z.strictObject({ kind: z.literal('access-log') });

export const accessLogClaimsSchema = pinClaimsSchema.extend({ request: accessLogRequestSchema });

export type AccessLogClaims = z.infer<typeof accessLogClaimsSchema>;
