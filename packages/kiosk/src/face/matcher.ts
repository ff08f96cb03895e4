import type { FaceEngine } from './engine/face-engine.ts';
import type { FrameReport } from './frame-step.ts';
import { type Frame, wipeFrame } from './image/frame.ts';
import { DEFAULT_LIVENESS_CONFIG, type LivenessConfig } from './liveness/liveness.ts';
import type { MatchPolicy } from './match-policy.ts';
import type { QualityLimits } from './quality.ts';
import { LiveFaceSession } from './worker/live-session.ts';

export interface MatchResult {
  decision: 'accept' | 'reject' | 'undecided';
  /** Descriptor distance the decision rests on; lower is more alike. */
  score: number | null;
  threshold: number;
  calibratedFar: number;
  reasons: string[];
  frames: FrameReport[];
  msFromFirstUsable: number | null;
  ms: { card: number; frames: number; total: number };
}

/** Frames read from files show no living person to check: the batch match judges the match only. */
const MATCH_ONLY: LivenessConfig = {
  passive: { ...DEFAULT_LIVENESS_CONFIG.passive, enabled: false },
  active: { ...DEFAULT_LIVENESS_CONFIG.active, enabled: false },
};

/**
 * Matches frames taken earlier against the card photo with the live session's own code (a
 * LiveFaceSession without liveness): each frame is offered as if the camera had just sent it, and
 * the match stops where the session's decision is made. Every frame is wiped before returning,
 * whatever the outcome.
 */
export async function matchFaces(
  engine: Pick<FaceEngine, 'analyze'>,
  card: Frame,
  live: Frame[],
  policy: MatchPolicy,
  limits?: QualityLimits,
): Promise<MatchResult> {
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  try {
    const settings = { policy, liveness: MATCH_ONLY, ...(limits ? { limits } : {}) };
    const session = await LiveFaceSession.openFrame(engine, card, settings, null);
    const cardMs = elapsed();
    const frames: FrameReport[] = [];
    for (const frame of session.usable ? live : []) {
      const { step, report } = await session.judge(frame, elapsed());
      if (report) frames.push(report);
      if (step.settled) break;
    }
    const { match, problem } = session.finish(elapsed());
    const total = elapsed();
    return {
      decision: !match || match.outcome === 'timeout' ? 'undecided' : match.outcome,
      score: match?.score ?? null,
      threshold: policy.threshold,
      calibratedFar: policy.calibratedFar,
      reasons: match?.reasons ?? (problem ? [problem] : []),
      frames,
      msFromFirstUsable: match?.msFromFirstUsable ?? null,
      ms: { card: cardMs, frames: total - cardMs, total },
    };
  } finally {
    wipeFrame(card);
    for (const frame of live) wipeFrame(frame);
  }
}
