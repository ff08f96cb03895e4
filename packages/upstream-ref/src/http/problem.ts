/**
 * Every refusal the upstream gives is an RFC 9457 problem document with a stable `code`: kiosks and
 * tests branch on the code, people read the title and detail. The table is the whole vocabulary.
 */

export const PROBLEM_TYPE_BASE = 'https://upstream.myna-kiosk.test/problems/';

export const PROBLEMS = {
  'malformed-request': { status: 400, title: 'The request does not have the expected shape' },
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
  'consent-time-invalid': { status: 400, title: 'The consent time lies outside the visit' },
  'role-not-qualified': { status: 403, title: 'The staff role may not read patient records' },
  'consent-missing': { status: 403, title: 'The patient has not consented to this information' },
  'consent-expired': { status: 403, title: 'The patient’s consent has expired' },
  'internal-error': { status: 500, title: 'The upstream failed to answer' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
}

/** Thrown anywhere in a handler; the error handler answers with its document. */
export class Problem extends Error {
  override readonly name = 'Problem';
  readonly statusCode: number;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.statusCode = PROBLEMS[code].status;
  }

  document(): ProblemDocument {
    const { status, title } = PROBLEMS[this.code];
    return { type: `${PROBLEM_TYPE_BASE}${this.code}`, title, status, code: this.code, detail: this.detail };
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
