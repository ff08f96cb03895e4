import type { MatchPolicy } from './match-policy.ts';
import type { QualityReason } from './reasons.ts';

export type MatchOutcome = 'accept' | 'reject' | 'timeout';

export interface MatchDecision {
  outcome: MatchOutcome;
  /** The distance the decision rests on (median of the deciding frames, or the early frame). */
  score: number | null;
  threshold: number;
  /** 'no-match' on reject; on timeout the last reasons a frame was refused. */
  reasons: string[];
  usableFrames: number;
  /** From the first usable frame to the decision; null when no frame was usable. */
  msFromFirstUsable: number | null;
}

export interface FrameVerdict {
  /** Blocking quality problems; empty for a usable frame. */
  reasons: QualityReason[];
  /** Descriptor distance to the card photo, for a usable frame. */
  distance?: number;
  atMs: number;
}

/**
 * The multi-frame decision, pure and deterministic: accept at once on a clearly matching frame,
 * otherwise decide on the median of the last `framesToDecide` usable frames, and give up at the
 * time-out with the last reason. One odd frame (a blink, motion) cannot decide on its own.
 */
export class MatchSession {
  private readonly distances: number[] = [];
  private startedAt: number | undefined;
  private firstUsableAt: number | undefined;
  private lastReasons: string[] = ['no-face'];

  constructor(private readonly policy: MatchPolicy) {}

  offer(frame: FrameVerdict): MatchDecision | null {
    this.startedAt ??= frame.atMs;
    if (frame.reasons.length === 0 && frame.distance !== undefined) {
      this.firstUsableAt ??= frame.atMs;
      this.distances.push(frame.distance);
      if (frame.distance <= this.policy.earlyAccept) return this.decide('accept', frame.distance, frame.atMs);
      if (this.distances.length >= this.policy.framesToDecide) {
        const score = median(this.distances.slice(-this.policy.framesToDecide));
        return this.decide(score <= this.policy.threshold ? 'accept' : 'reject', score, frame.atMs);
      }
    } else {
      this.lastReasons = frame.reasons.length > 0 ? [...frame.reasons] : ['no-face'];
    }
    if (frame.atMs - this.startedAt >= this.policy.timeoutMs) return this.timeout(frame.atMs);
    return null;
  }

  /**
   * No more frames are coming (a list of files ran out): decide on the usable frames there were,
   * however few; with none, end as a time-out with the last reason.
   */
  finish(atMs: number): MatchDecision {
    if (this.distances.length === 0) return this.timeout(atMs);
    const score = median(this.distances.slice(-this.policy.framesToDecide));
    return this.decide(score <= this.policy.threshold ? 'accept' : 'reject', score, atMs);
  }

  private timeout(atMs: number): MatchDecision {
    const score = this.distances.length > 0 ? median(this.distances) : null;
    return this.decide('timeout', score, atMs);
  }

  private decide(outcome: MatchOutcome, score: number | null, atMs: number): MatchDecision {
    const reasons = outcome === 'accept' ? [] : outcome === 'reject' ? ['no-match'] : this.lastReasons;
    return {
      outcome,
      score,
      threshold: this.policy.threshold,
      reasons,
      usableFrames: this.distances.length,
      msFromFirstUsable: this.firstUsableAt === undefined ? null : atMs - this.firstUsableAt,
    };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
