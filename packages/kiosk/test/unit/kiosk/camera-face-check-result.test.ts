/** What the reception flow is told, from what the live session saw. */
import { describe, expect, it } from 'vitest';
import type { MatchDecision } from '../../../src/face/match-session.ts';
import type { LiveVerdict } from '../../../src/face/worker/live-session.ts';
import { faceCheckResult } from '../../../src/kiosk/face/face-check-result.ts';

const policy = { threshold: 0.52, calibratedFar: 0.001 };
const camera = { received: 20, refused: 0 };

function verdict(match: Partial<MatchDecision> | null, liveness: Partial<LiveVerdict['liveness']> = {}) {
  return {
    match: match && {
      outcome: 'accept',
      score: 0.41,
      threshold: 0.52,
      reasons: [],
      usableFrames: 3,
      msFromFirstUsable: 800,
      ...match,
    },
    liveness: {
      live: true,
      decision: 'live',
      reasons: [],
      challenge: 'blink',
      passiveScore: 0.97,
      ...liveness,
    },
    frames: { analysed: 8, undecodable: 0 },
    ms: { card: 300, analysis: 3000 },
  } as LiveVerdict;
}

describe('faceCheckResult', () => {
  it('accepts only a matching face that is also live', () => {
    expect(faceCheckResult(verdict({}), policy, camera)).toEqual({
      decision: 'accept',
      score: 0.41,
      threshold: 0.52,
      calibratedFar: 0.001,
      reasons: [],
      liveness: { passed: true, challenge: 'blink', passiveScore: 0.97 },
    });
  });

  it('a matching face that failed liveness as a spoof is refused, with the liveness reasons', () => {
    const result = faceCheckResult(
      verdict({}, { live: false, decision: 'spoof', reasons: ['no-blink'] }),
      policy,
      camera,
    );
    expect(result).toMatchObject({ decision: 'reject', reasons: ['no-blink'], score: 0.41 });
    expect(result.liveness.passed).toBe(false);
  });

  it('a matching face whose liveness could not be shown either way is undecided', () => {
    const result = faceCheckResult(
      verdict({}, { live: false, decision: 'undecided', reasons: ['several-faces'] }),
      policy,
      camera,
    );
    expect(result).toMatchObject({ decision: 'undecided', reasons: ['several-faces'] });
  });

  it('a different person is refused as no-match, live or not', () => {
    const result = faceCheckResult(
      verdict({ outcome: 'reject', score: 0.83, reasons: ['no-match'] }),
      policy,
      camera,
    );
    expect(result).toMatchObject({ decision: 'reject', score: 0.83, reasons: ['no-match'] });
  });

  it('no decision: the last quality reasons, or what the camera did wrong when nothing was analysed', () => {
    const timeout = { outcome: 'timeout' as const, score: null, reasons: ['too-dark'] };
    expect(faceCheckResult(verdict(timeout), policy, camera)).toMatchObject({
      decision: 'undecided',
      reasons: ['too-dark'],
    });
    const nothing = {
      ...verdict({ ...timeout, reasons: ['no-face'] }),
      frames: { analysed: 0, undecodable: 0 },
    };
    expect(faceCheckResult(nothing, policy, { received: 0, refused: 0 }).reasons).toEqual(['no-camera']);
    const garbage = { ...nothing, frames: { analysed: 0, undecodable: 5 } };
    expect(faceCheckResult(garbage, policy, { received: 5, refused: 0 }).reasons).toEqual([
      'frame-undecodable',
    ]);
    expect(faceCheckResult(nothing, policy, { received: 2, refused: 2 }).reasons).toEqual([
      'frame-undecodable',
    ]);
  });

  it('a card photo that could not be used: undecided with that reason, no score, no passive score', () => {
    const result = faceCheckResult(
      {
        ...verdict(null, { live: false, decision: 'undecided', reasons: ['no-face'], passiveScore: null }),
        problem: 'card-photo-undecodable',
      },
      policy,
      camera,
    );
    expect(result).toEqual({
      decision: 'undecided',
      score: null,
      threshold: 0.52,
      calibratedFar: 0.001,
      reasons: ['card-photo-undecodable'],
      liveness: { passed: false, challenge: 'blink' },
    });
  });
});
