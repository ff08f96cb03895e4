import type { FaceEngine } from './engine/face-engine.ts';
import { descriptorDistance } from './engine/face-engine.ts';
import { type Frame, wipeFrame } from './image/frame.ts';
import type { MatchPolicy } from './match-policy.ts';
import { type MatchDecision, MatchSession } from './match-session.ts';
import { assessQuality, DEFAULT_QUALITY_LIMITS, type QualityLimits, type QualityResult } from './quality.ts';
import { ADVISORY_REASONS, type QualityReason } from './reasons.ts';

export interface FrameReport {
  reasons: QualityReason[];
  distance: number | null;
  ms: { prepare: number; detect: number; descriptor: number; quality: number };
}

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

/**
 * Matches live frames against the card photo: the card photo is analysed once (padded, grey), each
 * frame is quality-checked, usable ones are compared, and MatchSession decides. Every frame and
 * descriptor is wiped before returning, whatever the outcome.
 */
export async function matchFaces(
  engine: FaceEngine,
  card: Frame,
  live: Frame[],
  policy: MatchPolicy,
  limits: QualityLimits = DEFAULT_QUALITY_LIMITS,
): Promise<MatchResult> {
  const start = performance.now();
  const descriptors: Float32Array[] = [];
  try {
    const cardAnalysis = await engine.analyze(card, { descriptor: true, pad: true });
    const cardMs = performance.now() - start;
    const cardDescriptor = cardAnalysis.descriptor;
    if (!cardDescriptor) return undecided(['card-photo-no-face'], [], cardMs, start, policy);
    descriptors.push(cardDescriptor);

    const session = new MatchSession(policy);
    const frames: FrameReport[] = [];
    let decision: MatchDecision | null = null;
    for (const frame of live) {
      let quality: QualityResult = { reasons: ['no-face'] };
      let qualityMs = 0;
      // Quality is judged on the detections; only a frame that passes pays for a descriptor.
      const analysis = await engine.analyze(frame, {
        descriptor: (found) => {
          const t = performance.now();
          quality = assessQuality(frame, found, limits);
          qualityMs = performance.now() - t;
          return quality.reasons.every((r) => ADVISORY_REASONS.has(r));
        },
      });
      const blocking = quality.reasons.filter((r) => !ADVISORY_REASONS.has(r));
      let distance: number | null = null;
      if (analysis.descriptor) {
        descriptors.push(analysis.descriptor);
        if (blocking.length === 0) distance = descriptorDistance(cardDescriptor, analysis.descriptor);
      }
      frames.push({
        reasons: quality.reasons,
        distance,
        ms: { ...analysis.ms, quality: qualityMs },
      });
      decision = session.offer({
        reasons: blocking,
        distance: distance ?? undefined,
        atMs: performance.now() - start,
      });
      if (decision) break;
    }
    decision ??= session.finish(performance.now() - start);
    return {
      decision: decision.outcome === 'timeout' ? 'undecided' : decision.outcome,
      score: decision.score,
      threshold: policy.threshold,
      calibratedFar: policy.calibratedFar,
      reasons: decision.reasons,
      frames,
      msFromFirstUsable: decision.msFromFirstUsable,
      ms: { card: cardMs, frames: performance.now() - start - cardMs, total: performance.now() - start },
    };
  } finally {
    for (const d of descriptors) d.fill(0);
    wipeFrame(card);
    for (const frame of live) wipeFrame(frame);
  }
}

function undecided(
  reasons: string[],
  frames: FrameReport[],
  cardMs: number,
  start: number,
  policy: MatchPolicy,
): MatchResult {
  return {
    decision: 'undecided',
    score: null,
    threshold: policy.threshold,
    calibratedFar: policy.calibratedFar,
    reasons,
    frames,
    msFromFirstUsable: null,
    ms: { card: cardMs, frames: 0, total: performance.now() - start },
  };
}
