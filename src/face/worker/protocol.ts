import type { DetectorName } from '../engine/face-engine.ts';
import type { MatchPolicy } from '../match-policy.ts';
import type { MatchResult } from '../matcher.ts';

/** A frame as it crosses to the worker: its pixels move (transfer), they are not copied. */
export interface WireFrame {
  width: number;
  height: number;
  data: ArrayBuffer;
}

export type WorkerRequest =
  | { id: number; kind: 'load'; detector: DetectorName }
  | { id: number; kind: 'match'; card: WireFrame; live: WireFrame[]; policy: MatchPolicy };

export type WorkerReply =
  | { id: number; ok: true; kind: 'load'; backend: string; loadMs: number }
  | { id: number; ok: true; kind: 'match'; result: MatchResult }
  | { id: number; ok: false; error: string };
