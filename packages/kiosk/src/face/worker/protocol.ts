import type { DetectorName } from '../engine/face-engine.ts';
import type { MatchPolicy } from '../match-policy.ts';
import type { MatchResult } from '../matcher.ts';
import type { FrameStep, LiveSessionSettings, LiveVerdict } from './live-session.ts';

/** A frame as it crosses to the worker: its pixels move (transfer), they are not copied. */
export interface WireFrame {
  width: number;
  height: number;
  data: ArrayBuffer;
}

export type WorkerRequest =
  | { id: number; kind: 'load'; detector: DetectorName; liveness?: boolean; warmUp?: boolean }
  | { id: number; kind: 'match'; card: WireFrame; live: WireFrame[]; policy: MatchPolicy }
  /** A live session: the card photo as read from the chip (encoded), then JPEG frames one by one. */
  | { id: number; kind: 'session-open'; cardPhoto: ArrayBuffer; settings: LiveSessionSettings }
  | { id: number; kind: 'session-frame'; jpeg: ArrayBuffer; atMs: number }
  | { id: number; kind: 'session-close'; atMs: number };

export type WorkerReply =
  | { id: number; ok: true; kind: 'load'; backend: string; loadMs: number }
  | { id: number; ok: true; kind: 'match'; result: MatchResult }
  | { id: number; ok: true; kind: 'session-open'; usable: boolean }
  | { id: number; ok: true; kind: 'session-frame'; step: FrameStep }
  | { id: number; ok: true; kind: 'session-close'; verdict: LiveVerdict }
  | { id: number; ok: false; error: string };
