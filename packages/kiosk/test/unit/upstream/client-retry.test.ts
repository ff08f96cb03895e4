import { describe, expect, it } from 'vitest';
import { UpstreamResponseError } from '../../../src/upstream/client/problem.ts';
import {
  DEFAULT_RETRY,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  withRetries,
} from '../../../src/upstream/client/retry.ts';
import { UpstreamError } from '../../../src/upstream/errors.ts';

const policy: RetryPolicy = {
  attempts: 5,
  baseMs: 100,
  factor: 2,
  maxMs: 1_000,
  jitter: 0.5,
  retryAfterMaxMs: 3_000,
};
const middle = () => 0.5;
const outage = new UpstreamError('unreachable', 'connection-refused', 'down');
const slow = new UpstreamError('timed-out', 'timed-out', 'slow');

function answered(status: number, code: string, retryAfterMs: number | null = null) {
  const failure = status >= 500 ? 'unreachable' : 'refused';
  return new UpstreamResponseError(failure, code, 'answer', status, null, retryAfterMs);
}

describe('retryDelay', () => {
  it('backs off exponentially up to the cap while the upstream is not heard', () => {
    const delays = [1, 2, 3, 4].map((attempt) => retryDelay(policy, attempt, outage, middle));
    expect(delays).toEqual([100, 200, 400, 800]);
    expect(retryDelay({ ...policy, attempts: 9 }, 6, slow, middle)).toBe(1_000);
  });

  it('spreads the delay by the jitter, never past the cap', () => {
    expect(retryDelay(policy, 2, outage, () => 0)).toBe(100);
    expect(retryDelay(policy, 2, outage, () => 1)).toBe(300);
    expect(retryDelay(policy, 4, outage, () => 1)).toBe(1_000);
  });

  it('stops after the last attempt', () => {
    expect(retryDelay(policy, 5, outage, middle)).toBeNull();
    expect(retryDelay({ ...policy, attempts: 1 }, 1, outage, middle)).toBeNull();
  });

  it('never retries a refusal other than rate limiting', () => {
    expect(retryDelay(policy, 1, answered(404, 'visit-unknown'), middle)).toBeNull();
    expect(retryDelay(policy, 1, answered(409, 'nonce-replayed'), middle)).toBeNull();
    expect(retryDelay(policy, 1, new UpstreamError('refused', 'kiosk-revoked', 'no'), middle)).toBeNull();
  });

  it('waits out a Retry-After within its limit and gives up on a longer one', () => {
    expect(retryDelay(policy, 1, answered(429, 'rate-limited', 2_000), middle)).toBe(2_000);
    expect(retryDelay(policy, 1, answered(429, 'rate-limited', 60_000), middle)).toBeNull();
    expect(retryDelay(policy, 1, answered(429, 'rate-limited'), middle)).toBe(100);
    expect(retryDelay(policy, 1, answered(503, 'server-error-503', 1_500), middle)).toBe(1_500);
  });

  it('does not retry what a retry cannot cure, nor errors that are not the upstream’s', () => {
    for (const code of ['tls-failed', 'bad-response', 'response-too-large'])
      expect(retryDelay(policy, 1, new UpstreamError('unreachable', code, code), middle)).toBeNull();
    expect(retryDelay(policy, 1, new TypeError('bug'), middle)).toBeNull();
  });

  it('retries a server error', () => {
    expect(retryDelay(policy, 1, answered(502, 'server-error-502'), middle)).toBe(100);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-03-01T09:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:05 GMT', now)).toBe(5_000);
  });

  it('takes a date in the past as no delay and anything else as absent', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 08:00:00 GMT', now)).toBe(0);
    for (const value of [undefined, '', '-1', '1.5', 'soon', '2026-03-01T09:00:05Z'])
      expect(parseRetryAfter(value, now)).toBeNull();
  });
});

describe('withRetries', () => {
  it('tries again after each transient failure and answers the first success', async () => {
    const slept: number[] = [];
    const seen: string[] = [];
    let calls = 0;
    const answer = await withRetries(
      policy,
      {
        sleep: async (ms) => void slept.push(ms),
        random: middle,
        onRetry: ({ attempt, error }) => void seen.push(`${attempt}:${error.code}`),
      },
      async (attempt) => {
        calls++;
        if (attempt < 3) throw attempt === 1 ? outage : slow;
        return 'ok';
      },
    );
    expect(answer).toBe('ok');
    expect(calls).toBe(3);
    expect(slept).toEqual([100, 200]);
    expect(seen).toEqual(['1:connection-refused', '2:timed-out']);
  });

  it('throws the last error once the attempts are spent, and a refusal at once', async () => {
    let calls = 0;
    const hooks = { sleep: async () => {}, random: middle };
    await expect(
      withRetries(DEFAULT_RETRY, hooks, async () => {
        calls++;
        throw new UpstreamError('unreachable', `server-error-50${calls}`, 'down');
      }),
    ).rejects.toMatchObject({ code: `server-error-50${DEFAULT_RETRY.attempts}` });
    expect(calls).toBe(DEFAULT_RETRY.attempts);

    calls = 0;
    await expect(
      withRetries(DEFAULT_RETRY, hooks, async () => {
        calls++;
        throw answered(400, 'malformed-request');
      }),
    ).rejects.toMatchObject({ failure: 'refused', code: 'malformed-request' });
    expect(calls).toBe(1);
  });
});
