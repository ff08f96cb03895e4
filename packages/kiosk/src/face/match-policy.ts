import { z } from 'zod';
import type { DescriberName } from './engine/names.ts';

/**
 * How the kiosk decides from several frames. The threshold is a distance between face descriptors
 * (accept at or below it) and travels with the false-accept rate it was calibrated at, so clinic IT
 * can see what a change means.
 */
export const matchPolicySchema = z.strictObject({
  threshold: z.number().positive().max(2),
  /** FAR measured at `threshold` on the calibration set (0.0001 = 0.01 %). */
  calibratedFar: z.number().min(0).max(1),
  /** Where the calibration figure comes from. */
  calibratedOn: z.string(),
  /** One usable frame at or below this distance accepts at once. */
  earlyAccept: z.number().positive().max(2),
  /** Otherwise the decision is taken on the median of this many usable frames. */
  framesToDecide: z.int().min(1).max(30),
  /** Give up this long after the first frame, with the last reason a frame was refused. */
  timeoutMs: z.int().min(1000).max(120_000),
});

export type MatchPolicy = z.infer<typeof matchPolicySchema>;

/**
 * The arcface descriptor (the kiosk's), calibrated on the people it serves: 0.97 keeps set-b's East
 * Asian impostor pairs under FAR 0.01 % (2 of 34,624 at or below it; ultralight detector, wasm; the
 * card photo side card-like: grey, ~240 px, JPEG 2000). East Asian impostors lie closer than the
 * rest: the threshold at FAR 0.01 % over every pair (1.03) lets 0.05 % of East Asian impostors in.
 * One frame at 0.9 or less decides at once: set-b's closest impostor pair lay at 0.96.
 */
export const DEFAULT_MATCH_POLICY: MatchPolicy = {
  threshold: 0.97,
  calibratedFar: 0.0001,
  calibratedOn: 'shared/faces set-b East Asian pairs, card-like side A: 621 genuine / 34,624 impostor pairs',
  earlyAccept: 0.9,
  framesToDecide: 3,
  timeoutMs: 15_000,
};

/**
 * face-api's 128-d descriptor, kept for comparison: 0.52 had no false accept on set-a all-vs-all
 * (1,688 impostor pairs), which cannot resolve FAR 0.01 %; on set-b it lets 1.4 % of impostor
 * pairs in (6.7 % of the East Asian ones).
 */
export const FACEAPI_MATCH_POLICY: MatchPolicy = {
  threshold: 0.52,
  calibratedFar: 0.001,
  calibratedOn: 'shared/faces set-a all-vs-all: 142 genuine / 1,688 impostor pairs, 0 false accepts',
  earlyAccept: 0.35,
  framesToDecide: 3,
  timeoutMs: 15_000,
};

/** The policy calibrated for a descriptor: distances of two descriptors are not comparable. */
export function defaultMatchPolicy(describer: DescriberName): MatchPolicy {
  return describer === 'faceapi' ? FACEAPI_MATCH_POLICY : DEFAULT_MATCH_POLICY;
}
