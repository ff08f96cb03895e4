/**
 * Every refusal over HTTP, the reference upstream's to a kiosk and the kiosk's local results API's to
 * a reception system, is an RFC 9457 problem document with a stable `code`: programs branch on the
 * code (and its `type`, the same code as a URI), people read the title and detail. The table is the
 * whole vocabulary of both.
 */
import { z } from 'zod';
import { CodedError } from './coded-error.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `type` is this followed by the code. */
export const PROBLEM_TYPE_BASE = 'urn:myna-kiosk:problem:';

export const PROBLEMS = {
  'malformed-request': { status: 400, title: 'The request does not have the expected shape' },
  'invalid-query': { status: 400, title: 'The query is not valid' },
  unauthorized: { status: 401, title: 'A valid bearer token is required' },
  'unsupported-media-type': { status: 415, title: 'The body must be application/json' },
  'body-too-large': { status: 413, title: 'The request body is larger than this endpoint accepts' },
  'rate-limited': { status: 429, title: 'Too many requests from this client certificate' },
  'not-found': { status: 404, title: 'No such endpoint' },
  'idempotency-key-missing': { status: 400, title: 'This endpoint needs an Idempotency-Key header' },
  'idempotency-key-reused': {
    status: 422,
    title: 'The Idempotency-Key was already used for a different request',
  },
  'client-not-allowed': { status: 403, title: 'This client certificate may not use this endpoint' },
  'nonce-unknown': { status: 401, title: 'The nonce was not issued to this kiosk' },
  'nonce-expired': { status: 401, title: 'The nonce has expired' },
  'nonce-replayed': { status: 409, title: 'The nonce was already used' },
  'bad-signature': { status: 401, title: 'The signature does not verify' },
  'untrusted-certificate': { status: 401, title: 'The certificate does not chain to a trusted CA' },
  'certificate-revoked': { status: 401, title: 'The certificate has been revoked' },
  'certificate-expired': { status: 401, title: 'The certificate is not valid at this time' },
  'kiosk-unknown': { status: 403, title: 'The kiosk certificate is not registered' },
  'kiosk-revoked': { status: 403, title: 'The kiosk has been revoked' },
  'kiosk-mismatch': { status: 403, title: 'The kiosk named in the request is not the client' },
  'face-not-verified': { status: 403, title: 'The face match or liveness check did not pass' },
  'person-unknown': { status: 404, title: 'No insured person is linked to this card' },
  'visit-unknown': { status: 404, title: 'No such visit for this kiosk' },
  'result-not-found': { status: 404, title: 'No such result (it may have expired)' },
  'consent-time-invalid': { status: 400, title: 'The consent time lies outside the visit' },
  'role-not-qualified': { status: 403, title: 'The staff role may not read patient records' },
  'consent-missing': { status: 403, title: 'The patient has not consented to this information' },
  'consent-expired': { status: 403, title: 'The patient’s consent has expired' },
  'internal-error': { status: 500, title: 'The service failed to answer' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  /** The path the refusal is about, where it helps the reader. */
  instance?: string;
}

export function problemType(code: ProblemCode): string {
  return `${PROBLEM_TYPE_BASE}${code}`;
}

export function problemDocument(code: ProblemCode, detail?: string, instance?: string): ProblemDocument {
  const { status, title } = PROBLEMS[code];
  return {
    type: problemType(code),
    title,
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...(instance === undefined ? {} : { instance }),
  };
}

/** Thrown where a request is refused; the HTTP layer answers with its document. */
export class Problem extends CodedError<ProblemCode> {
  override readonly name = 'Problem';
  readonly statusCode: number;

  constructor(
    code: ProblemCode,
    readonly detail: string,
  ) {
    super(code, `${code}: ${detail}`);
    this.statusCode = PROBLEMS[code].status;
  }

  document(instance?: string): ProblemDocument {
    return problemDocument(this.code, this.detail, instance);
  }
}

/**
 * A problem document as a client reads one: only the code is required, and it is any code-shaped
 * string, since an upstream may know codes this table does not.
 */
export const receivedProblemSchema = z.object({
  type: z.string().max(512).optional(),
  title: z.string().max(512).optional(),
  status: z.number().int().min(100).max(599).optional(),
  // A code is matched by programs, so anything that does not look like one is not trusted as one.
  code: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/),
  detail: z.string().max(2_048).optional(),
});
