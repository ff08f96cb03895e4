/**
 * When a failed upstream call is tried again, and after how long. Only calls that are safe to repeat
 * come here at all (the client decides that per route): a nonce request, and the writes that carry
 * an Idempotency-Key. A qualification request is never repeated: its nonce is single-use, so a
 * second try needs a new nonce and a new signature, and that is the reception flow's decision.
 *
 * The delay is the outbox's exponential back-off with jitter (one formula for both), except that
 * a Retry-After the upstream sent is honoured when it is within `retryAfterMaxMs`; a longer one
 * ends the retries here, and the caller (the outbox, the patient's screen) decides what next.
 */
import type { BackoffPolicy } from '../../store/db.ts';
import { backoffDelay } from '../../store/outbox.ts';
import { UpstreamError } from '../errors.ts';
import { UpstreamResponseError } from './problem.ts';

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts in all, the first included; 1 means never retry. */
  attempts: number;
  /** The longest Retry-After the client waits out itself. */
  retryAfterMaxMs: number;
}

/** Short, because a patient may be waiting on the nonce; the outbox retries writes for longer. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  baseMs: 200,
  factor: 2,
  maxMs: 2_000,
  jitter: 0.5,
  retryAfterMaxMs: 5_000,
};

/**
 * Failures that another try will not cure: the kiosk's TLS set-up, an answer the kiosk could not
 * read, or one too large to read.
 */
const LASTING_FAILURES = new Set(['tls-failed', 'bad-response', 'response-too-large']);

/**
 * The delay before attempt `attempt + 1` after `error` ended attempt `attempt` (1-based), or null
 * when there is to be no further attempt.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  error: unknown,
  random: () => number,
): number | null {
  if (attempt >= policy.attempts || !(error instanceof UpstreamError)) return null;
  if (error.failure === 'refused' && error.code !== 'rate-limited') return null;
  if (LASTING_FAILURES.has(error.code)) return null;
  const asked = error instanceof UpstreamResponseError ? error.retryAfterMs : null;
  if (asked !== null) return asked <= policy.retryAfterMaxMs ? asked : null;
  return backoffDelay(policy, attempt, random);
}

/**
 * Retry-After as a delay in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). A date
 * in the past is no delay; anything unreadable is treated as absent.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1_000;
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

export interface RetryHooks {
  sleep(ms: number): Promise<void>;
  random(): number;
  /** Told before each wait: for the kiosk's log, and for tests. */
  onRetry?(info: { attempt: number; delayMs: number; error: UpstreamError }): void;
}

/** Runs `call` until it succeeds or `retryDelay` says stop; the last error is the one thrown. */
export async function withRetries<T>(
  policy: RetryPolicy,
  hooks: RetryHooks,
  call: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      const delayMs = retryDelay(policy, attempt, error, hooks.random);
      if (delayMs === null) throw error;
      hooks.onRetry?.({ attempt, delayMs, error: error as UpstreamError });
      await hooks.sleep(delayMs);
    }
  }
}
