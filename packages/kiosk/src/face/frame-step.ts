/**
 * The per-frame step of a face check, written once: the live session runs it on every camera
 * frame, and through the session so do `kiosk face match` and the benchmark, so what they measure
 * is what the kiosk does. One detection serves the quality gate; only a frame that passes pays for
 * a descriptor, which is compared with the card photo's and wiped at once.
 */
import { type Analysis, descriptorDistance, type FaceEngine } from './engine/face-engine.ts';
import type { Frame } from './image/frame.ts';
import { assessQuality, DEFAULT_QUALITY_LIMITS, type QualityLimits, type QualityResult } from './quality.ts';
import { ADVISORY_REASONS, type QualityReason } from './reasons.ts';

type Analyzer = Pick<FaceEngine, 'analyze'>;

/** The card photo's analysis: padded, as card photos are framed too tightly for the detector. */
export function analyseCardPhoto(engine: Analyzer, card: Frame): Promise<Analysis> {
  return engine.analyze(card, { descriptor: true, pad: true });
}

/** What one frame measured, without any face data. */
export interface FrameReport {
  /** Every quality reason, advisory ones included. */
  reasons: QualityReason[];
  /** Descriptor distance to the card photo, for a usable frame that was described. */
  distance: number | null;
  ms: { prepare: number; detect: number; descriptor: number; quality: number };
}

export interface FrameJudgement extends FrameReport {
  /** The reasons that make the frame unusable for the match; empty for a usable frame. */
  blocking: QualityReason[];
  /** The detections, for the liveness checks; the descriptor is already wiped and left out. */
  analysis: Analysis;
}

export interface JudgeOptions {
  limits?: QualityLimits;
  /** False when nothing needs the distance any more: detection and quality only. Default true. */
  describe?: boolean;
}

/** Detect → quality → descriptor (usable frames only) → distance to the card photo's descriptor. */
export async function judgeFrame(
  engine: Analyzer,
  frame: Frame,
  cardDescriptor: Float32Array,
  options: JudgeOptions = {},
): Promise<FrameJudgement> {
  const limits = options.limits ?? DEFAULT_QUALITY_LIMITS;
  const describe = options.describe ?? true;
  let quality: QualityResult = { reasons: ['no-face'] };
  let qualityMs = 0;
  const { descriptor, ...analysis } = await engine.analyze(frame, {
    descriptor: (found) => {
      const started = performance.now();
      quality = assessQuality(frame, found, limits);
      qualityMs = performance.now() - started;
      return describe && quality.reasons.every((r) => ADVISORY_REASONS.has(r));
    },
  });
  const blocking = quality.reasons.filter((r) => !ADVISORY_REASONS.has(r));
  const distance =
    descriptor && blocking.length === 0 ? descriptorDistance(cardDescriptor, descriptor) : null;
  descriptor?.fill(0);
  return {
    reasons: quality.reasons,
    blocking,
    distance,
    ms: { ...analysis.ms, quality: qualityMs },
    analysis,
  };
}
