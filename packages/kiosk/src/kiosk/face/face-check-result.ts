/**
 * The face check's answer to the reception flow, from what the live session saw: an accept needs
 * the match accepted AND the liveness check live; a failed liveness after a matching face is a
 * held-up photo or a swapped face until shown otherwise.
 */
import type { MatchPolicy } from '../../face/match-policy.ts';
import type { LiveVerdict } from '../../face/worker/live-session.ts';
import type { FaceCheckResult } from '../../reception/ports.ts';
import type { CameraCheckReason } from './camera-reasons.ts';

/** How the camera fed the check, as counted in the main process. */
export interface CameraCounts {
  /** Frames that arrived while the check ran. */
  received: number;
  /** Of those, refused unread (over the size limit). */
  refused: number;
}

export function faceCheckResult(
  verdict: LiveVerdict,
  policy: Pick<MatchPolicy, 'threshold' | 'calibratedFar'>,
  camera: CameraCounts,
): FaceCheckResult {
  const { match, liveness } = verdict;
  const result = (
    decision: FaceCheckResult['decision'],
    reasons: string[],
    score: number | null = match?.score ?? null,
  ): FaceCheckResult => ({
    decision,
    score,
    threshold: policy.threshold,
    calibratedFar: policy.calibratedFar,
    reasons,
    liveness: {
      passed: liveness.live,
      challenge: liveness.challenge,
      ...(liveness.passiveScore === null ? {} : { passiveScore: liveness.passiveScore }),
    },
  });
  if (!match) return result('undecided', [verdict.problem ?? 'card-photo-no-face']);
  switch (match.outcome) {
    case 'reject':
      return result('reject', match.reasons);
    case 'timeout':
      return result('undecided', cameraReasons(verdict, camera) ?? match.reasons);
    case 'accept':
      if (liveness.live) return result('accept', []);
      return result(liveness.decision === 'spoof' ? 'reject' : 'undecided', liveness.reasons);
  }
}

/** A check that saw no face because it saw no picture says so, rather than 'no-face'. */
function cameraReasons(verdict: LiveVerdict, camera: CameraCounts): CameraCheckReason[] | undefined {
  if (verdict.frames.analysed > 0) return undefined;
  if (camera.received === 0) return ['no-camera'];
  if (verdict.frames.undecodable + camera.refused > 0) return ['frame-undecodable'];
  return undefined;
}

/** The answer for a check ended before it had seen anything worth deciding on. */
export function undecidedResult(
  reason: CameraCheckReason,
  policy: Pick<MatchPolicy, 'threshold' | 'calibratedFar'>,
  challenge: FaceCheckResult['liveness']['challenge'],
): FaceCheckResult {
  return {
    decision: 'undecided',
    score: null,
    threshold: policy.threshold,
    calibratedFar: policy.calibratedFar,
    reasons: [reason],
    liveness: { passed: false, challenge },
  };
}
