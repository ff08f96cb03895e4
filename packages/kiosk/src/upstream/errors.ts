import { CodedError } from '@myna/protocol/coded-error.js';

/**
 * How a call upstream failed, in the terms the reception flow needs: a refusal is an answer (the
 * patient's request was judged and turned down), anything else means the upstream was not heard.
 */
export const UPSTREAM_FAILURES = ['refused', 'unreachable', 'timed-out'] as const;
export type UpstreamFailure = (typeof UPSTREAM_FAILURES)[number];

/**
 * `code` is the upstream's stable problem code for a refusal (e.g. `nonce-replayed`), else what kept
 * the answer away (`connection-refused`, `timed-out`): an open set, so the exit status follows the
 * `failure`.
 */
export class UpstreamError extends CodedError {
  constructor(
    readonly failure: UpstreamFailure,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

export function isRefusal(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError && error.failure === 'refused';
}
