import { describe, expect, it } from 'vitest';
import { RestartPolicy } from '../../../src/shell/restart-policy.ts';

describe('restart policy for crashed renderers', () => {
  const limits = { maxRestarts: 3, windowMs: 60_000, firstDelayMs: 500, maxDelayMs: 1500 };

  it('waits longer after each crash, up to a ceiling, and gives up after the limit', () => {
    let now = 0;
    const policy = new RestartPolicy(limits, () => now);
    expect([policy.next(), policy.next(), policy.next()]).toEqual([500, 1000, 1500]);
    now += 10_000;
    expect(policy.next()).toBeNull();
  });

  it('forgets crashes older than its window', () => {
    let now = 0;
    const policy = new RestartPolicy(limits, () => now);
    policy.next();
    policy.next();
    policy.next();
    now += 60_001;
    expect(policy.next()).toBe(500);
    expect(policy.recent).toBe(1);
  });
});
