import { describe, expect, it } from 'vitest';
import type { MatchPolicy } from '../../../src/face/match-policy.ts';
import { MatchSession } from '../../../src/face/match-session.ts';

const policy: MatchPolicy = {
  threshold: 0.45,
  calibratedFar: 0.0001,
  calibratedOn: 'test',
  earlyAccept: 0.3,
  framesToDecide: 3,
  timeoutMs: 10_000,
};

describe('MatchSession', () => {
  it('accepts at once on a clearly matching frame, timed from the first usable frame', () => {
    const s = new MatchSession(policy);
    expect(s.offer({ reasons: ['too-far'], atMs: 0 })).toBeNull();
    expect(s.offer({ reasons: [], distance: 0.4, atMs: 100 })).toBeNull();
    expect(s.offer({ reasons: [], distance: 0.25, atMs: 250 })).toEqual({
      outcome: 'accept',
      score: 0.25,
      threshold: 0.45,
      reasons: [],
      usableFrames: 2,
      msFromFirstUsable: 150,
    });
  });

  it('decides on the median of the last usable frames: one odd frame cannot decide', () => {
    const accept = new MatchSession(policy);
    accept.offer({ reasons: [], distance: 0.44, atMs: 0 });
    accept.offer({ reasons: [], distance: 0.9, atMs: 1 });
    expect(accept.offer({ reasons: [], distance: 0.42, atMs: 2 })).toMatchObject({
      outcome: 'accept',
      score: 0.44,
    });

    const reject = new MatchSession(policy);
    reject.offer({ reasons: [], distance: 0.8, atMs: 0 });
    reject.offer({ reasons: [], distance: 0.31, atMs: 1 });
    expect(reject.offer({ reasons: [], distance: 0.7, atMs: 2 })).toMatchObject({
      outcome: 'reject',
      score: 0.7,
      reasons: ['no-match'],
    });
  });

  it('ignores frames with problems and times out with the last reason', () => {
    const s = new MatchSession(policy);
    expect(s.offer({ reasons: ['face-covered'], atMs: 0 })).toBeNull();
    expect(s.offer({ reasons: [], distance: 0.5, atMs: 5_000 })).toBeNull();
    expect(s.offer({ reasons: ['too-dark', 'blurred'], atMs: 10_000 })).toMatchObject({
      outcome: 'timeout',
      score: 0.5,
      reasons: ['too-dark', 'blurred'],
      usableFrames: 1,
    });
  });

  it('decides on the frames there were when the list runs out', () => {
    const s = new MatchSession(policy);
    s.offer({ reasons: [], distance: 0.4, atMs: 0 });
    expect(s.finish(1)).toMatchObject({ outcome: 'accept', score: 0.4 });
    const none = new MatchSession(policy);
    none.offer({ reasons: ['no-face'], atMs: 0 });
    expect(none.finish(1)).toMatchObject({ outcome: 'timeout', score: null, reasons: ['no-face'] });
  });
});
