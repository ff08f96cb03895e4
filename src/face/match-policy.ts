import { z } from 'zod';

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

export const DEFAULT_MATCH_POLICY: MatchPolicy = {
  threshold: 0.45,
  calibratedFar: 0.0001,
  calibratedOn: 'provisional',
  earlyAccept: 0.35,
  framesToDecide: 3,
  timeoutMs: 15_000,
};
