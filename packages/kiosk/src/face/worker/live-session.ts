/**
 * One face check on live camera frames, frame by frame, as the face worker runs it: the card photo
 * is analysed once, then every frame gets one detection (judgeFrame) that serves the quality gate,
 * the match (MatchSession), the passive liveness models and the active challenge. The frames are judged as
 * they come, so the caller can tell the patient what to fix and stop as soon as all is decided.
 *
 * Match and liveness are tied to one face: the frame that completes the challenge (or the next
 * usable one) must itself match the card photo, so a photo held up for the match and a live face
 * swapped in for the blink do not add up to an accept.
 */
import type { Analysis, FaceEngine } from '../engine/face-engine.ts';
import { analyseCardPhoto, type FrameReport, judgeFrame } from '../frame-step.ts';
import { decodeImage, detectImageFormat } from '../image/decode.ts';
import { type Frame, wipeFrame } from '../image/frame.ts';
import { ActiveChallenge } from '../liveness/active.ts';
import {
  type LivenessConfig,
  type LivenessDecision,
  type LivenessReason,
  SPOOF_REASONS,
} from '../liveness/liveness.ts';
import type { PassiveResult } from '../liveness/passive.ts';
import type { MatchPolicy } from '../match-policy.ts';
import { type MatchDecision, MatchSession } from '../match-session.ts';
import type { QualityLimits } from '../quality.ts';

/** Codes this session adds to the quality and liveness reasons. */
export type LiveSessionReason =
  /** A camera frame that is not a JPEG we can read: dropped. */
  | 'frame-undecodable'
  | 'card-photo-undecodable'
  | 'card-photo-no-face'
  /** Prompts while the challenge waits for the patient: shown, never a cause of failure. */
  | 'challenge-blink'
  | 'challenge-turn-left'
  | 'challenge-turn-right'
  /** The face that completed the challenge is not the one that matched the card photo. */
  | 'face-changed';

export interface LiveSessionSettings {
  policy: MatchPolicy;
  liveness: LivenessConfig;
  limits?: QualityLimits;
}

export interface FrameStep {
  /** What the patient should fix or do now; empty when the frame was good and nothing is asked. */
  reasons: string[];
  /** Nothing further can change the outcome: the caller stops sending frames. */
  settled: boolean;
}

export interface LiveVerdict {
  /** Null when the card photo could not be used; `problem` says why. */
  match: MatchDecision | null;
  problem?: 'card-photo-undecodable' | 'card-photo-no-face';
  liveness: {
    live: boolean;
    decision: LivenessDecision;
    reasons: (LivenessReason | 'face-changed')[];
    challenge: 'none' | 'blink' | 'turn';
    /** Mean output of the liveness model over the frames with a face; null when none was scored. */
    passiveScore: number | null;
  };
  frames: { analysed: number; undecodable: number };
  ms: { card: number; analysis: number };
}

/** Scores one frame's main face with the passive models (injected: the worker owns the models). */
export type PassiveScorer = (frame: Frame, analysis: Analysis) => Promise<PassiveResult>;

/** Evidence of a presentation attack: what assessLiveness counts, and a face swapped after the match. */
const SPOOF_EVIDENCE = new Set<string>([...SPOOF_REASONS, 'face-changed']);

export class LiveFaceSession {
  private readonly match: MatchSession;
  private decided: MatchDecision | null = null;
  private challenge: ActiveChallenge | null = null;
  /** After the challenge passed: waiting for a usable frame to show whose face passed it. */
  private binding: 'none' | 'pending' | 'bound' | 'broken' = 'none';
  private faceLostAt: number | null = null;
  /** A challenge ended by a lost face, waiting for the face to come back. */
  private challengeLost = false;
  private readonly passive = { scored: 0, live: 0, livenessSum: 0, failures: new Set<LivenessReason>() };
  private analysed = 0;
  private undecodable = 0;
  private analysisMs = 0;
  private lastAtMs = 0;

  private constructor(
    private readonly engine: Pick<FaceEngine, 'analyze'>,
    private readonly scorePassive: PassiveScorer | null,
    private readonly settings: LiveSessionSettings,
    private cardDescriptor: Float32Array | null,
    private readonly problem: LiveVerdict['problem'],
    private readonly cardMs: number,
  ) {
    this.match = new MatchSession(settings.policy);
  }

  /**
   * Decodes and analyses the card photo (JPEG 2000 from the chip, or any format `decodeImage`
   * reads); the bytes and the decoded photo are wiped before this returns. A photo that will not
   * decode or shows no face still opens a session, which ends undecided with that reason.
   */
  static async open(
    engine: Pick<FaceEngine, 'analyze'>,
    cardPhoto: Uint8Array,
    settings: LiveSessionSettings,
    scorePassive: PassiveScorer | null,
  ): Promise<LiveFaceSession> {
    let card: Frame;
    try {
      card = decodeImage(cardPhoto, 'card photo');
    } catch {
      return new LiveFaceSession(engine, scorePassive, settings, null, 'card-photo-undecodable', 0);
    } finally {
      cardPhoto.fill(0);
    }
    try {
      return await LiveFaceSession.openFrame(engine, card, settings, scorePassive);
    } finally {
      wipeFrame(card);
    }
  }

  /** A session on a card photo already decoded (the batch match reads it from a file); the caller wipes it. */
  static async openFrame(
    engine: Pick<FaceEngine, 'analyze'>,
    card: Frame,
    settings: LiveSessionSettings,
    scorePassive: PassiveScorer | null,
  ): Promise<LiveFaceSession> {
    const started = performance.now();
    const { descriptor } = await analyseCardPhoto(engine, card);
    return new LiveFaceSession(
      engine,
      scorePassive,
      settings,
      descriptor ?? null,
      descriptor ? undefined : 'card-photo-no-face',
      performance.now() - started,
    );
  }

  get usable(): boolean {
    return this.problem === undefined;
  }

  /** One camera frame as the renderer sent it (JPEG only); the bytes are wiped before this returns. */
  async offerJpeg(jpeg: Uint8Array, atMs: number): Promise<FrameStep> {
    let frame: Frame;
    try {
      // Only JPEG: the renderer is untrusted, and no other decoder need face what it sends.
      if (detectImageFormat(jpeg) !== 'jpeg') throw new Error('not a JPEG');
      frame = decodeImage(jpeg, 'camera frame');
    } catch {
      this.undecodable++;
      return { reasons: ['frame-undecodable'], settled: !this.usable };
    } finally {
      jpeg.fill(0);
    }
    try {
      return await this.offer(frame, atMs);
    } finally {
      wipeFrame(frame);
    }
  }

  /** One decoded frame; the caller wipes it. */
  async offer(frame: Frame, atMs: number): Promise<FrameStep> {
    return (await this.judge(frame, atMs)).step;
  }

  /**
   * `offer`, with what the frame measured (its distance to the card photo, the time of each stage)
   * for the batch match's report; null when there is no card photo to compare with.
   */
  async judge(frame: Frame, atMs: number): Promise<{ step: FrameStep; report: FrameReport | null }> {
    if (!this.cardDescriptor) return { step: { reasons: [], settled: true }, report: null };
    const started = performance.now();
    this.lastAtMs = atMs;
    // Until the challenge is tied to a face, any frame may be the one that completes it.
    const unbound = this.settings.liveness.active.enabled && this.binding !== 'bound';
    const judged = await judgeFrame(this.engine, frame, this.cardDescriptor, {
      ...(this.settings.limits ? { limits: this.settings.limits } : {}),
      describe: this.decided === null || unbound,
    });
    const { analysis, blocking } = judged;
    const distance = judged.distance ?? undefined;

    this.decided ??= this.match.offer({ reasons: blocking, distance, atMs });
    if (this.scorePassive && analysis.faces.length > 0) this.tally(await this.scorePassive(frame, analysis));
    this.stepChallenge(analysis, atMs, distance);
    this.analysed++;
    this.analysisMs += performance.now() - started;

    const prompt = blocking.length === 0 && this.challengePending() ? [this.challengePrompt()] : [];
    const { reasons, ms } = judged;
    return {
      step: { reasons: [...reasons, ...prompt], settled: this.settled() },
      report: { reasons, distance: judged.distance, ms },
    };
  }

  /** Ends the session: decides on what was seen and wipes the card descriptor. */
  finish(atMs: number = this.lastAtMs): LiveVerdict {
    const match = this.cardDescriptor ? (this.decided ?? this.match.finish(atMs)) : null;
    this.cardDescriptor?.fill(0);
    this.cardDescriptor = null;
    if (this.challenge?.state === 'pending') this.challenge.finish();
    return {
      match,
      ...(this.problem ? { problem: this.problem } : {}),
      liveness: this.livenessVerdict(),
      frames: { analysed: this.analysed, undecodable: this.undecodable },
      ms: { card: this.cardMs, analysis: this.analysisMs },
    };
  }

  private tally(result: PassiveResult): void {
    const p = this.passive;
    p.scored++;
    p.livenessSum += result.liveness ?? 0;
    if (result.live) p.live++;
    for (const r of result.reasons) p.failures.add(r);
  }

  /**
   * The challenge starts with the first frame that shows a face, not with the first frame: the
   * patient may still be stepping up. A face lost for longer than the challenge allows starts it
   * again with the next face, within the time the caller gives the whole check.
   */
  private stepChallenge(
    analysis: Parameters<ActiveChallenge['offer']>[0],
    atMs: number,
    distance: number | undefined,
  ): void {
    const { active } = this.settings.liveness;
    if (!active.enabled) return;
    if (this.binding === 'pending') {
      this.bind(analysis.faces.length > 0, atMs, distance);
      return;
    }
    if (!this.challenge) {
      if (analysis.faces.length === 0) return;
      this.challenge = new ActiveChallenge(active);
    }
    const state = this.challenge.offer(analysis, atMs);
    if (state === 'failed' && this.challenge.reason === 'face-lost') {
      this.challenge = null;
      this.challengeLost = true;
    }
    if (state === 'passed') {
      this.binding = 'pending';
      this.bind(true, atMs, distance);
    }
  }

  private bind(faceSeen: boolean, atMs: number, distance: number | undefined): void {
    if (distance !== undefined) {
      this.binding = distance <= this.settings.policy.threshold ? 'bound' : 'broken';
      return;
    }
    if (faceSeen) {
      this.faceLostAt = null;
      return;
    }
    this.faceLostAt ??= atMs;
    if (atMs - this.faceLostAt > this.settings.liveness.active.maxFaceLostMs) this.binding = 'broken';
  }

  private challengePending(): boolean {
    return this.settings.liveness.active.enabled && this.binding === 'none';
  }

  private challengePrompt(): LiveSessionReason {
    const { kind, side } = this.settings.liveness.active;
    return kind === 'blink'
      ? 'challenge-blink'
      : side === 'left'
        ? 'challenge-turn-left'
        : 'challenge-turn-right';
  }

  private settled(): boolean {
    if (this.decided && this.decided.outcome !== 'accept') return true;
    if (this.challenge?.state === 'failed' || this.binding === 'broken') return true;
    if (!this.decided) return false;
    const { passive, active } = this.settings.liveness;
    const activeDone = !active.enabled || this.binding === 'bound';
    const passiveDone = !passive.enabled || this.passive.scored > 0;
    return activeDone && passiveDone;
  }

  private livenessVerdict(): LiveVerdict['liveness'] {
    const { passive: config, active } = this.settings.liveness;
    const reasons = new Set<LivenessReason | 'face-changed'>();
    const p = this.passive;
    let passiveOk = true;
    if (config.enabled) {
      passiveOk = p.scored > 0 && p.live >= Math.ceil(config.minLiveFraction * p.scored);
      if (p.scored === 0) reasons.add('no-face');
      else if (!passiveOk) for (const r of p.failures) reasons.add(r);
    }
    let activeOk = true;
    if (active.enabled) {
      activeOk = this.binding === 'bound';
      if (this.binding === 'broken') reasons.add('face-changed');
      else if (this.binding === 'pending') reasons.add('challenge-not-completed');
      else if (this.challenge?.reason) reasons.add(this.challenge.reason);
      else if (!this.challenge) reasons.add(this.challengeLost ? 'face-lost' : 'no-face');
    }
    const live = passiveOk && activeOk;
    return {
      live,
      decision: live ? 'live' : [...reasons].some((r) => SPOOF_EVIDENCE.has(r)) ? 'spoof' : 'undecided',
      reasons: [...reasons],
      challenge: active.enabled ? active.kind : 'none',
      passiveScore: p.scored > 0 ? p.livenessSum / p.scored : null,
    };
  }
}
