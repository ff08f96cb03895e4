/**
 * Active liveness: the patient is asked to blink, or to turn the head a little to one side and
 * back, and the 68 landmarks of successive frames show whether they did. A printed photo or a still
 * on a screen cannot blink, and its landmarks keep their proportions however the paper is tilted
 * (a horizontal squeeze leaves the nose where it was between the jaw ends), so it cannot turn.
 *
 * Pure and deterministic: the caller passes each observation with its time; nothing here reads a
 * clock or touches an image.
 */
import type { Box, Point } from '../engine/face-engine.ts';
import { meanEyeAspect, secondFaceFound } from '../quality.ts';

export type ChallengeKind = 'blink' | 'turn';
/** The patient's own left or right; the camera image is not mirrored. */
export type TurnSide = 'left' | 'right';
export type ChallengeState = 'pending' | 'passed' | 'failed';
export type ChallengeFailure = 'no-blink' | 'no-turn' | 'face-lost' | 'timeout' | 'several-faces';

export interface ActiveChallengeOptions {
  kind: ChallengeKind;
  /** For 'turn': the side asked for. */
  side: TurnSide;
  /** The challenge fails this long after its first observation. */
  deadlineMs: number;
  /**
   * Eyes count as closed below this fraction of the patient's own open-eye aspect ratio (both eyes
   * averaged; the median of their last open frames). Eyes differ from person to person more than a
   * blink changes them: one man's open eyes measured 0.20 where another's blink reached 0.16.
   */
  eyesClosedRatio: number;
  /** …and as open again from this fraction (hysteresis against landmark jitter). */
  eyesOpenRatio: number;
  /** Eyes closed longer than this is not a blink (a photo swapped for one with closed eyes). */
  maxClosedMs: number;
  /** Yaw (degrees, estimated from landmarks) the head must reach towards the side asked. */
  turnDegrees: number;
  /** Within this yaw of straight ahead the head counts as facing the camera. */
  frontalDegrees: number;
  /** The face may be missing from the frames this long (a detector miss on a turned head). */
  maxFaceLostMs: number;
  /** A second face at least this fraction of the main face's area fails the challenge. */
  secondFaceArea: number;
}

/** About a second of open eyes at the camera's rate: long enough to outlast a blink's frames. */
const OPEN_EYE_FRAMES = 9;
const TURN_FRAMES = 3;

function keepLast(values: number[], value: number, count: number): void {
  values.push(value);
  if (values.length > count) values.shift();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const DEFAULT_ACTIVE_OPTIONS: Omit<ActiveChallengeOptions, 'kind'> = {
  side: 'left',
  deadlineMs: 6000,
  eyesClosedRatio: 0.8,
  eyesOpenRatio: 0.9,
  maxClosedMs: 1500,
  turnDegrees: 15,
  frontalDegrees: 8,
  maxFaceLostMs: 600,
  secondFaceArea: 0.25,
};

/** What the challenge needs of a frame's analysis (FaceEngine's `Analysis` fits): largest face first. */
export interface LandmarkObservation {
  faces: readonly { box: Box; landmarks: readonly Point[] }[];
}

export interface ChallengeSummary {
  kind: ChallengeKind;
  side?: TurnSide;
  state: ChallengeState;
  reason?: ChallengeFailure;
  /** From the first observation to the one that decided (or the last one). */
  elapsedMs: number;
  observations: number;
  /** Measured extremes, for logs and calibration: eye aspect ratio and yaw towards the side asked. */
  measures: { minEyeAspect: number | null; maxEyeAspect: number | null; maxYawToSide: number | null };
}

/**
 * Head yaw in degrees from the nose tip (30) between the jaw ends (0 and 16): on a head seen as a
 * cylinder the nose moves off the face's centre line by sin(yaw) of half the face width. Positive
 * when the patient turns to their own left (the nose moves towards the image's right).
 */
export function estimateYaw(landmarks: readonly Point[]): number {
  const a = landmarks[0]!;
  const b = landmarks[16]!;
  const span = b.x - a.x;
  if (span <= 0) return 0;
  const offset = Math.max(-1, Math.min(1, 2 * ((landmarks[30]!.x - a.x) / span - 0.5)));
  return (Math.asin(offset) * 180) / Math.PI;
}

/**
 * One challenge, fed the frames in order. `offer` returns the state after the observation; once
 * passed or failed it stays so.
 */
export class ActiveChallenge {
  readonly options: ActiveChallengeOptions;
  private stateNow: ChallengeState = 'pending';
  private failure: ChallengeFailure | undefined;
  private startMs: number | null = null;
  private lastMs = 0;
  private count = 0;
  private lostSince: number | null = null;
  /** blink: open seen → closed (since closedAt) → open again. turn: frontal → turned → frontal. */
  private phase: 'start' | 'ready' | 'acting' = 'start';
  private closedAt = 0;
  private minEar: number | null = null;
  private maxEar: number | null = null;
  private maxYaw: number | null = null;
  /** The eye aspect ratios of the last open frames, newest last. */
  private readonly openEars: number[] = [];
  /** The yaws of the last frames, newest last. */
  private readonly yaws: number[] = [];

  constructor(options: Partial<ActiveChallengeOptions> & { kind: ChallengeKind }) {
    this.options = { ...DEFAULT_ACTIVE_OPTIONS, ...options };
  }

  get state(): ChallengeState {
    return this.stateNow;
  }

  /** Why the challenge failed; undefined while pending or when passed. */
  get reason(): ChallengeFailure | undefined {
    return this.failure;
  }

  offer(observation: LandmarkObservation, timeMs: number): ChallengeState {
    if (this.stateNow !== 'pending') return this.stateNow;
    this.startMs ??= timeMs;
    this.lastMs = timeMs;
    this.count++;
    const { faces } = observation;
    const main = faces[0];
    if (secondFaceFound(faces, this.options.secondFaceArea)) return this.fail('several-faces');
    if (!main) {
      this.lostSince ??= timeMs;
      if (timeMs - this.lostSince > this.options.maxFaceLostMs) return this.fail('face-lost');
      return this.checkDeadline(timeMs);
    }
    this.lostSince = null;
    const done =
      this.options.kind === 'blink' ? this.stepBlink(main.landmarks, timeMs) : this.stepTurn(main.landmarks);
    if (done) {
      this.stateNow = 'passed';
      return this.stateNow;
    }
    return this.checkDeadline(timeMs);
  }

  /** Ends a challenge still pending because the session is over (the camera stopped before the deadline). */
  finish(): ChallengeState {
    if (this.stateNow === 'pending') this.fail(this.incompleteReason());
    return this.stateNow;
  }

  summary(): ChallengeSummary {
    return {
      kind: this.options.kind,
      ...(this.options.kind === 'turn' ? { side: this.options.side } : {}),
      state: this.stateNow,
      ...(this.failure ? { reason: this.failure } : {}),
      elapsedMs: this.startMs === null ? 0 : this.lastMs - this.startMs,
      observations: this.count,
      measures: { minEyeAspect: this.minEar, maxEyeAspect: this.maxEar, maxYawToSide: this.maxYaw },
    };
  }

  private stepBlink(landmarks: readonly Point[], timeMs: number): boolean {
    // A turned head stretches the eye's outline (0.19 frontal read 0.26–0.5 turned): judged only facing the camera.
    if (Math.abs(estimateYaw(landmarks)) > this.options.turnDegrees) return false;
    const ear = meanEyeAspect(landmarks);
    this.minEar = this.minEar === null ? ear : Math.min(this.minEar, ear);
    this.maxEar = this.maxEar === null ? ear : Math.max(this.maxEar, ear);
    const { eyesClosedRatio, eyesOpenRatio, maxClosedMs } = this.options;
    const open = this.openEars.length === 0 ? ear : median(this.openEars);
    const closed = ear < open * eyesClosedRatio;
    const reopened = ear >= open * eyesOpenRatio;
    if (!closed) keepLast(this.openEars, ear, OPEN_EYE_FRAMES);
    if (this.phase === 'acting') {
      if (reopened) {
        if (timeMs - this.closedAt <= maxClosedMs) return true;
        this.phase = 'ready';
      }
      return false;
    }
    if (reopened) this.phase = 'ready';
    else if (this.phase === 'ready' && closed) {
      this.phase = 'acting';
      this.closedAt = timeMs;
    }
    return false;
  }

  private stepTurn(landmarks: readonly Point[]): boolean {
    // The median of three frames: a still face on a phone read 6–17° from frame to frame.
    keepLast(this.yaws, estimateYaw(landmarks), TURN_FRAMES);
    const toSide = median(this.yaws) * (this.options.side === 'left' ? 1 : -1);
    this.maxYaw = this.maxYaw === null ? toSide : Math.max(this.maxYaw, toSide);
    const frontal = Math.abs(toSide) <= this.options.frontalDegrees;
    if (this.phase === 'acting') return frontal;
    if (frontal) this.phase = 'ready';
    else if (this.phase === 'ready' && toSide >= this.options.turnDegrees) this.phase = 'acting';
    return false;
  }

  private checkDeadline(timeMs: number): ChallengeState {
    if (timeMs - this.startMs! >= this.options.deadlineMs) return this.fail(this.incompleteReason());
    return this.stateNow;
  }

  /** Never started the movement: no-blink / no-turn. Started but did not come back: timeout. */
  private incompleteReason(): ChallengeFailure {
    if (this.phase === 'acting') return 'timeout';
    if (this.lostSince !== null) return 'face-lost';
    return this.options.kind === 'blink' ? 'no-blink' : 'no-turn';
  }

  private fail(reason: ChallengeFailure): ChallengeState {
    this.stateNow = 'failed';
    this.failure = reason;
    return this.stateNow;
  }
}
