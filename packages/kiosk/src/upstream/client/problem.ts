/**
 * From an HTTP answer that is not a success to the UpstreamError the kiosk acts on. The upstream's
 * problem document (RFC 9457) carries a stable `code`; the kiosk branches on that code and on the
 * status, never on the wording, and keeps both for the audit log.
 */
import { receivedProblemSchema } from '@myna/protocol/problem.js';
import { UpstreamError, type UpstreamFailure } from '../errors.ts';

/** A problem document as received: only the code is sure to be there. */
export interface ProblemDocument {
  type: string | null;
  title: string | null;
  status: number | null;
  code: string;
  detail: string | null;
}

/** What one call was, in words safe for a log line: method and route, never a body or a header. */
export type CallLabel = string;

/** The problem document in a body, or null when the body is not one (a proxy's HTML page, say). */
export function parseProblem(contentType: string | undefined, body: Buffer): ProblemDocument | null {
  if (!isMediaType(contentType, 'application/problem+json') && !isMediaType(contentType, 'application/json'))
    return null;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const parsed = receivedProblemSchema.safeParse(json);
  if (!parsed.success) return null;
  const { type, title, status, code, detail } = parsed.data;
  return { type: type ?? null, title: title ?? null, status: status ?? null, code, detail: detail ?? null };
}

export function isMediaType(contentType: string | undefined, expected: string): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === expected;
}

/** An answer that was heard but was not a success: the status and the problem stay with the error. */
export class UpstreamResponseError extends UpstreamError {
  constructor(
    failure: UpstreamFailure,
    code: string,
    message: string,
    readonly status: number,
    readonly problem: ProblemDocument | null,
    /** From Retry-After, already turned into a delay; null when the answer named none. */
    readonly retryAfterMs: number | null,
  ) {
    super(failure, code, message);
  }
}

/**
 * Mapping (the whole table):
 * - 429 → refused `rate-limited` (the problem's code when it has one);
 * - other 4xx → refused with the problem's code, or `http-<status>` when no problem document came;
 * - 5xx → unreachable `server-error-<status>`: the upstream failed, it did not judge the request;
 * - anything else that is not 2xx → unreachable `unexpected-status-<status>`.
 */
export function responseError(
  label: CallLabel,
  status: number,
  contentType: string | undefined,
  body: Buffer,
  retryAfterMs: number | null,
): UpstreamResponseError {
  const problem = parseProblem(contentType, body);
  const said = problem ? ` (${oneLine(problem.detail ?? problem.title ?? '')})` : '';
  if (status >= 500 && status <= 599) {
    const code = `server-error-${status}`;
    return new UpstreamResponseError(
      'unreachable',
      code,
      `${label}: the upstream failed with ${status}${problem ? ` ${problem.code}` : ''}${said}`,
      status,
      problem,
      retryAfterMs,
    );
  }
  if (status >= 400 && status <= 499) {
    const code = status === 429 ? (problem?.code ?? 'rate-limited') : (problem?.code ?? `http-${status}`);
    return new UpstreamResponseError(
      'refused',
      code,
      `${label}: refused with ${status} ${code}${said}`,
      status,
      problem,
      retryAfterMs,
    );
  }
  return new UpstreamResponseError(
    'unreachable',
    `unexpected-status-${status}`,
    `${label}: unexpected HTTP status ${status}`,
    status,
    problem,
    retryAfterMs,
  );
}

/** The upstream's words go into logs and the audit chain: printable, one line, bounded. */
function oneLine(text: string): string {
  const flat = text.replace(/\p{Cc}+/gu, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}
