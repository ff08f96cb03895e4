/**
 * The liveness decision over the frames of one session: the passive models on every frame's face
 * and, where the clinic switched it on, the active challenge over the frames in order. The
 * decision is 'live' only when every enabled check passed, 'spoof' when one says so, and
 * 'undecided' when the frames could not show it either way (no face, the challenge not finished,
 * several people in front of the camera).
 */
import { z } from 'zod';
import { loadBackend } from '../engine/backend.ts';
import type { FaceEngine } from '../engine/face-engine.ts';
import type { Frame } from '../image/frame.ts';
import { ActiveChallenge, type ChallengeSummary, DEFAULT_ACTIVE_OPTIONS } from './active.ts';
import {
  DEFAULT_PASSIVE_THRESHOLDS,
  loadPassiveModels,
  type PassiveResult,
  scorePassive,
} from './passive.ts';

const unit = z.number().min(0).max(1);

/** Per-clinic liveness settings. */
export const livenessConfigSchema = z
  .strictObject({
    passive: z.strictObject({
      enabled: z.boolean(),
      thresholds: z.strictObject({ antispoof: unit, liveness: unit }),
      /** How many frames (with a face) must score live: 'all', or at least this fraction. */
      minLiveFraction: z.number().gt(0).max(1),
    }),
    active: z.strictObject({
      enabled: z.boolean(),
      kind: z.enum(['blink', 'turn']),
      side: z.enum(['left', 'right']),
      deadlineMs: z.int().min(500).max(60_000),
      eyesClosedRatio: z.number().positive().max(1),
      eyesOpenRatio: z.number().positive().max(1),
      maxClosedMs: z.int().min(50).max(10_000),
      turnDegrees: z.number().min(5).max(60),
      frontalDegrees: z.number().min(1).max(30),
      maxFaceLostMs: z.int().min(0).max(10_000),
      secondFaceArea: z.number().gt(0).max(1),
      /** Time between frames when the caller gives no timestamps (files on the command line). */
      frameIntervalMs: z.int().min(1).max(5000),
    }),
  })
  .refine((c) => c.passive.enabled || c.active.enabled, {
    message: 'enable the passive check, the active challenge, or both',
  })
  .refine((c) => c.active.eyesOpenRatio >= c.active.eyesClosedRatio, {
    message: 'active.eyesOpenRatio must not be below active.eyesClosedRatio',
  })
  .refine((c) => c.active.frontalDegrees < c.active.turnDegrees, {
    message: 'active.frontalDegrees must be below active.turnDegrees',
  });

export type LivenessConfig = z.infer<typeof livenessConfigSchema>;

/** The default for a clinic: both checks, a blink challenge. */
export const DEFAULT_LIVENESS_CONFIG: LivenessConfig = {
  passive: { enabled: true, thresholds: { ...DEFAULT_PASSIVE_THRESHOLDS }, minLiveFraction: 0.5 },
  active: { enabled: true, kind: 'blink', ...DEFAULT_ACTIVE_OPTIONS, frameIntervalMs: 100 },
};

export type LivenessDecision = 'live' | 'spoof' | 'undecided';

export type LivenessReason =
  | 'no-face'
  | 'antispoof-low'
  | 'liveness-low'
  | 'challenge-not-completed'
  | 'no-blink'
  | 'no-turn'
  | 'face-lost'
  | 'timeout'
  | 'several-faces';

export interface LivenessFrameReport {
  faces: number;
  /** Null when the passive check is off. */
  passive: PassiveResult | null;
  /** Challenge state after this frame; null when the challenge is off. */
  challenge: ActiveChallenge['state'] | null;
  ms: { analyze: number; passive: number };
}

export interface LivenessResult {
  live: boolean;
  decision: LivenessDecision;
  reasons: LivenessReason[];
  passive: {
    enabled: boolean;
    thresholds: LivenessConfig['passive']['thresholds'];
    /** Mean scores over the frames with a face; null when none was scored. */
    antispoof: number | null;
    liveness: number | null;
    liveFrames: number;
    scoredFrames: number;
    live: boolean | null;
  };
  active: ChallengeSummary | null;
  frames: LivenessFrameReport[];
  ms: { models: number; frames: number; total: number };
}

export interface AssessOptions {
  /** Capture time of each frame (ms); default: `frameIntervalMs` apart. */
  timesMs?: number[];
  /** Where human's models are; default models/human. */
  modelsDir?: string;
}

/** Reasons that are evidence of a presentation attack, as opposed to an unusable session. */
export const SPOOF_REASONS: ReadonlySet<LivenessReason> = new Set<LivenessReason>([
  'antispoof-low',
  'liveness-low',
  'no-blink',
  'no-turn',
  'timeout',
]);

/**
 * Assesses the frames of one session. The frames are the caller's: they are not wiped here (the
 * caller wipes them with the rest of the session); crops made here are.
 */
export async function assessLiveness(
  engine: FaceEngine,
  frames: readonly Frame[],
  config: LivenessConfig = DEFAULT_LIVENESS_CONFIG,
  options: AssessOptions = {},
): Promise<LivenessResult> {
  const started = performance.now();
  const { passive: passiveConfig, active: activeConfig } = livenessConfigSchema.parse(config);
  if (options.timesMs && options.timesMs.length !== frames.length) {
    throw new RangeError(`${frames.length} frames but ${options.timesMs.length} times`);
  }
  const { tf } = await loadBackend();
  const models = passiveConfig.enabled ? await loadPassiveModels(tf, options.modelsDir) : null;
  const modelsMs = performance.now() - started;
  const challenge = activeConfig.enabled ? new ActiveChallenge(activeConfig) : null;

  const reports: LivenessFrameReport[] = [];
  const scored: PassiveResult[] = [];
  for (const [i, frame] of frames.entries()) {
    const t0 = performance.now();
    const analysis = await engine.analyze(frame);
    const t1 = performance.now();
    let passive: PassiveResult | null = null;
    if (models) {
      passive = await scorePassive(tf, models, frame, analysis, passiveConfig.thresholds);
      if (analysis.faces.length > 0) scored.push(passive);
    }
    const t2 = performance.now();
    const state = challenge
      ? challenge.offer(analysis, options.timesMs?.[i] ?? i * activeConfig.frameIntervalMs)
      : null;
    reports.push({
      faces: analysis.faces.length,
      passive,
      challenge: state,
      ms: { analyze: t1 - t0, passive: t2 - t1 },
    });
  }

  const reasons = new Set<LivenessReason>();
  const faced = reports.some((r) => r.faces > 0);
  if (!faced) reasons.add('no-face');

  const mean = (key: 'antispoof' | 'liveness') =>
    scored.length ? scored.reduce((sum, p) => sum + (p[key] ?? 0), 0) / scored.length : null;
  const liveFrames = scored.filter((p) => p.live).length;
  let passiveLive: boolean | null = null;
  if (passiveConfig.enabled && scored.length > 0) {
    passiveLive = liveFrames >= Math.ceil(passiveConfig.minLiveFraction * scored.length);
    if (!passiveLive) {
      // Name what the failing frames failed on.
      for (const p of scored) if (!p.live) for (const r of p.reasons) reasons.add(r as LivenessReason);
    }
  }

  const active = challenge ? challenge.summary() : null;
  if (active?.state === 'failed' && active.reason) reasons.add(active.reason);
  if (active?.state === 'pending' && faced) reasons.add('challenge-not-completed');

  const passiveOk = !passiveConfig.enabled || passiveLive === true;
  const activeOk = !activeConfig.enabled || active?.state === 'passed';
  const live = faced && passiveOk && activeOk;
  const decision: LivenessDecision = live
    ? 'live'
    : [...reasons].some((r) => SPOOF_REASONS.has(r))
      ? 'spoof'
      : 'undecided';
  const total = performance.now() - started;
  return {
    live,
    decision,
    reasons: [...reasons],
    passive: {
      enabled: passiveConfig.enabled,
      thresholds: passiveConfig.thresholds,
      antispoof: mean('antispoof'),
      liveness: mean('liveness'),
      liveFrames,
      scoredFrames: scored.length,
      live: passiveLive,
    },
    active,
    frames: reports,
    ms: { models: modelsMs, frames: total - modelsMs, total },
  };
}
