/**
 * How a call upstream failed, in the terms the reception flow needs: a refusal is an answer (the
 * patient's request was judged and turned down), anything else means the upstream was not heard.
 */
export type UpstreamFailure = 'refused' | 'unreachable' | 'timed-out';

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';

  constructor(
    readonly failure: UpstreamFailure,
    /** The upstream's stable problem code for a refusal (e.g. `nonce-replayed`), else the failure. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRefusal(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError && error.failure === 'refused';
}
