import { describe, expect, it } from 'vitest';
import { rateLimiter } from '../../src/http/rate-limit.ts';

describe('rateLimiter', () => {
  it('allows max requests per key in a window, then says how long until the window ends', () => {
    let now = 1_000_000;
    const limited = rateLimiter({ max: 2, windowMs: 60_000 }, () => now);
    expect(limited('a')).toBeUndefined();
    now += 10_000;
    expect(limited('a')).toBeUndefined();
    expect(limited('a')).toEqual({ retryAfterSeconds: 50 });
    expect(limited('b')).toBeUndefined();
    now += 49_500;
    expect(limited('a')).toEqual({ retryAfterSeconds: 1 });
    now += 500;
    expect(limited('a')).toBeUndefined();
  });

  it('starts each key’s window at its first request', () => {
    let now = 0;
    const limited = rateLimiter({ max: 1, windowMs: 1_000 }, () => now);
    expect(limited('a')).toBeUndefined();
    now = 900;
    expect(limited('b')).toBeUndefined();
    expect(limited('b')).toEqual({ retryAfterSeconds: 1 });
    now = 1_000;
    expect(limited('a')).toBeUndefined();
    expect(limited('b')).toEqual({ retryAfterSeconds: 1 });
  });
});
