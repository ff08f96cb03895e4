/**
 * The live session the face worker runs for CameraFaceCheck, on scripted detections: when the
 * match and the liveness checks are settled, how the challenge is tied to the matching face, and
 * that frames, bytes and descriptors are wiped. The quality gate is opened wide here (its own tests
 * cover it): each scripted frame is usable unless it has no face.
 */

import { encodeJpeg, solidFrame } from '@myna/devtools/test-support/face-images.js';
import { describe, expect, it } from 'vitest';
import type { Analysis, AnalyzeOptions, FaceEngine, Point } from '../../../src/face/engine/face-engine.ts';
import type { Frame } from '../../../src/face/image/frame.ts';
import { DEFAULT_LIVENESS_CONFIG, type LivenessConfig } from '../../../src/face/liveness/liveness.ts';
import type { PassiveResult } from '../../../src/face/liveness/passive.ts';
import { FACEAPI_MATCH_POLICY } from '../../../src/face/match-policy.ts';
import type { QualityLimits } from '../../../src/face/quality.ts';
import {
  type FrameStep,
  LiveFaceSession,
  type LiveSessionSettings,
} from '../../../src/face/worker/live-session.ts';

const OPEN_GATE: QualityLimits = {
  secondFaceArea: 100,
  minFaceWidth: 0,
  maxFaceWidth: 100,
  maxFaceOutside: 2,
  maxCentreOffsetX: 100,
  maxCentreOffsetY: 100,
  minYawBalance: -10,
  maxRollDegrees: 360,
  minFaceLuminance: -1,
  backlitContrast: 1000,
  backlitFaceMax: 0,
  minSharpness: -1,
  minEyeAspect: -1,
  maxCoveredTexture: -1,
  maxEyeGlare: 2,
};

/** What the fake engine reports for one frame: no face, or one face with this eye opening and distance. */
type Shot = { face: false } | { face: true; ear?: number; distance: number };

const open = (distance = 0.45): Shot => ({ face: true, ear: 0.32, distance });
const closed = (distance = 0.45): Shot => ({ face: true, ear: 0.1, distance });
const nobody: Shot = { face: false };

/** 68 points of a face at (100, 100), 100 px wide; only the eyes (for the eye aspect ratio) and the jaw ends and nose (yaw 0) matter. */
function landmarks(ear: number): Point[] {
  const points = Array.from({ length: 68 }, () => ({ x: 100, y: 110 }));
  points[0] = { x: 50, y: 100 };
  points[16] = { x: 150, y: 100 };
  for (const [start, cx] of [
    [36, 78],
    [42, 122],
  ] as const) {
    const lid = 8 * ear;
    const eye = [
      [-8, 0],
      [-4, -lid],
      [4, -lid],
      [8, 0],
      [4, lid],
      [-4, lid],
    ];
    eye.forEach(([dx, dy], i) => {
      points[start + i] = { x: cx + dx!, y: 90 + dy! };
    });
  }
  return points;
}

class FakeEngine implements Pick<FaceEngine, 'analyze'> {
  readonly descriptors: Float32Array[] = [];
  readonly frames: Frame[] = [];
  cardHasFace = true;

  constructor(private readonly shots: Shot[]) {}

  async analyze(frame: Frame, options: AnalyzeOptions = {}): Promise<Analysis> {
    const base = { width: frame.width, height: frame.height, ms: { prepare: 0, detect: 0, descriptor: 0 } };
    if (options.pad) {
      const descriptor = this.cardHasFace ? new Float32Array(128).fill(0.1) : undefined;
      if (descriptor) this.descriptors.push(descriptor);
      return { ...base, faces: [], descriptor };
    }
    this.frames.push(frame);
    const shot = this.shots.shift();
    if (!shot) throw new Error('the script has no more frames');
    if (!shot.face) return { ...base, faces: [] };
    const faces = [
      { box: { x: 50, y: 50, width: 100, height: 110 }, score: 0.9, landmarks: landmarks(shot.ear ?? 0.32) },
    ];
    const wanted =
      typeof options.descriptor === 'function' ? options.descriptor({ ...base, faces }) : options.descriptor;
    if (!wanted) return { ...base, faces };
    // The card's descriptor moved along one axis by the distance asked for.
    const descriptor = new Float32Array(128).fill(0.1);
    descriptor[0]! += shot.distance;
    this.descriptors.push(descriptor);
    return { ...base, faces, descriptor };
  }
}

const livePassive = async (): Promise<PassiveResult> => ({
  antispoof: 0.8,
  liveness: 0.96,
  live: true,
  reasons: [],
});

function settings(active: Partial<LivenessConfig['active']> | false): LiveSessionSettings {
  const liveness: LivenessConfig = {
    ...DEFAULT_LIVENESS_CONFIG,
    active:
      active === false
        ? { ...DEFAULT_LIVENESS_CONFIG.active, enabled: false }
        : { ...DEFAULT_LIVENESS_CONFIG.active, ...active },
  };
  // The fake engine's distances are on face-api's scale (0.45 one person), so is the policy.
  return { policy: FACEAPI_MATCH_POLICY, liveness, limits: OPEN_GATE };
}

const frameJpeg = () => encodeJpeg(solidFrame(200, 200, [120, 110, 100, 255]), 80);
const cardJpeg = () => encodeJpeg(solidFrame(70, 90, [128, 128, 128, 255]), 80);

async function session(
  shots: Shot[],
  config: LiveSessionSettings,
  passive: typeof livePassive | null = livePassive,
) {
  const engine = new FakeEngine(shots);
  const live = await LiveFaceSession.open(engine, cardJpeg(), config, passive);
  /** Offers frames `stepMs` apart until one settles; returns every step. */
  const run = async (count = shots.length, stepMs = 250): Promise<FrameStep[]> => {
    const steps: FrameStep[] = [];
    for (let i = 0; i < count; i++) {
      const step = await live.offerJpeg(frameJpeg(), i * stepMs);
      steps.push(step);
      if (step.settled) break;
    }
    return steps;
  };
  return { engine, live, run };
}

describe('LiveFaceSession: when the outcome is settled', () => {
  it('passive only: settles on the match decision (median of three frames), live', async () => {
    const { live, run } = await session([open(0.45), open(0.5), open(0.44), open()], settings(false));
    const steps = await run();
    expect(steps.map((s) => s.settled)).toEqual([false, false, true]);
    expect(steps.every((s) => s.reasons.length === 0)).toBe(true);
    const verdict = live.finish();
    expect(verdict.match).toMatchObject({
      outcome: 'accept',
      score: expect.closeTo(0.45, 6),
      usableFrames: 3,
    });
    expect(verdict.liveness).toEqual({
      live: true,
      decision: 'live',
      reasons: [],
      challenge: 'none',
      passiveScore: 0.96,
    });
    expect(verdict.frames).toEqual({ analysed: 3, undecodable: 0 });
  });

  it('a different person settles as soon as the match is refused', async () => {
    const { live, run } = await session([open(0.8), open(0.9), open(0.85), open()], settings({}));
    expect((await run()).length).toBe(3);
    expect(live.finish().match).toMatchObject({ outcome: 'reject', reasons: ['no-match'] });
  });

  it('blink: prompts until the eyes close and open again, then settles live on the matching face', async () => {
    const { live, run } = await session([open(), closed(), open(), open()], settings({ kind: 'blink' }));
    const steps = await run();
    expect(steps).toEqual([
      { reasons: ['challenge-blink'], settled: false },
      { reasons: ['challenge-blink'], settled: false },
      { reasons: [], settled: true },
    ]);
    const verdict = live.finish();
    expect(verdict.match?.outcome).toBe('accept');
    expect(verdict.liveness).toMatchObject({ live: true, decision: 'live', challenge: 'blink' });
  });

  it('an early match does not end the check while the challenge waits', async () => {
    const { run } = await session(
      [open(0.3), open(0.3), closed(0.3), open(0.3)],
      settings({ kind: 'blink' }),
    );
    const steps = await run();
    expect(steps.map((s) => s.settled)).toEqual([false, false, false, true]);
  });

  it('a still photo never blinks: settles at the challenge deadline as a spoof, no-blink', async () => {
    const shots = Array.from({ length: 10 }, () => open(0.3));
    const { live, run } = await session(shots, settings({ kind: 'blink', deadlineMs: 1000 }));
    const steps = await run();
    expect(steps.length).toBe(5);
    expect(steps.at(-1)!.settled).toBe(true);
    expect(live.finish().liveness).toMatchObject({ live: false, decision: 'spoof', reasons: ['no-blink'] });
  });

  it('a check ended before the blink: the challenge counts as failed, the match stands', async () => {
    const { live, run } = await session([open(0.3), open(0.3)], settings({ kind: 'blink' }));
    await run();
    const verdict = live.finish();
    expect(verdict.match?.outcome).toBe('accept');
    expect(verdict.liveness).toMatchObject({ live: false, reasons: ['no-blink'] });
  });
});

describe('LiveFaceSession: the challenge belongs to the face that matched', () => {
  it('a blink completed by a face that does not match the card: face-changed, a spoof', async () => {
    // A photo held up matches at once; another face blinks.
    const shots = [open(0.3), open(0.85), closed(0.85), open(0.85)];
    const { live, run } = await session(shots, settings({ kind: 'blink' }));
    const steps = await run();
    expect(steps.at(-1)).toEqual({ reasons: [], settled: true });
    const verdict = live.finish();
    expect(verdict.match?.outcome).toBe('accept');
    expect(verdict.liveness).toMatchObject({ live: false, decision: 'spoof', reasons: ['face-changed'] });
  });

  it('the challenge and its deadline start with the first face, not the first frame', async () => {
    // Counted from the first frame, the 1 s deadline would pass while the eyes are closed.
    const shots = [nobody, nobody, nobody, open(), closed(), open()];
    const { live, run } = await session(shots, settings({ kind: 'blink', deadlineMs: 1000 }));
    const steps = await run();
    expect(steps.slice(0, 3).every((s) => s.reasons.join() === 'no-face')).toBe(true);
    expect(steps.at(-1)!.settled).toBe(true);
    expect(live.finish().liveness.live).toBe(true);
  });

  it('a face lost mid-challenge starts the challenge again when it comes back', async () => {
    const shots = [open(), nobody, nobody, nobody, nobody, open(), closed(), open()];
    const { live, run } = await session(shots, settings({ kind: 'blink', maxFaceLostMs: 600 }));
    const steps = await run();
    expect(steps.length).toBe(8);
    expect(live.finish().liveness).toMatchObject({ live: true, reasons: [] });
  });

  it('a face lost and never back: face-lost, undecided rather than a spoof', async () => {
    const shots = [open(0.3), nobody, nobody, nobody, nobody];
    const { live, run } = await session(shots, settings({ kind: 'blink', maxFaceLostMs: 600 }));
    await run();
    expect(live.finish().liveness).toMatchObject({
      live: false,
      decision: 'undecided',
      reasons: ['face-lost'],
    });
  });
});

describe('LiveFaceSession: passive liveness', () => {
  it('too few frames scored live: a spoof, with what the failing frames failed on', async () => {
    let n = 0;
    const mostlyFlat = async (): Promise<PassiveResult> =>
      n++ % 3 === 0
        ? { antispoof: 0.8, liveness: 0.9, live: true, reasons: [] }
        : { antispoof: 0.8, liveness: 0.4, live: false, reasons: ['liveness-low'] };
    const { live, run } = await session([open(), open(), open()], settings(false), mostlyFlat);
    await run();
    const { liveness } = live.finish();
    expect(liveness).toMatchObject({ live: false, decision: 'spoof', reasons: ['liveness-low'] });
    expect(liveness.passiveScore).toBeCloseTo((0.9 + 0.4 + 0.4) / 3, 6);
  });
});

describe('LiveFaceSession: bad input and wiping', () => {
  it('a frame that is not a readable JPEG is dropped with a reason, its bytes zeroed', async () => {
    const { live } = await session([open()], settings(false));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const truncated = frameJpeg().slice(0, 200);
    for (const bytes of [png, truncated, new Uint8Array(0)]) {
      expect(await live.offerJpeg(bytes, 0)).toEqual({ reasons: ['frame-undecodable'], settled: false });
      expect(bytes.every((b) => b === 0)).toBe(true);
    }
    expect(live.finish().frames).toEqual({ analysed: 0, undecodable: 3 });
  });

  it('wipes each frame, each descriptor and, at the end, the card descriptor', async () => {
    const { engine, live, run } = await session([open(0.4), open(0.45), open(0.42)], settings(false));
    await run();
    expect(engine.frames).toHaveLength(3);
    for (const frame of engine.frames) expect(frame.data.every((v) => v === 0)).toBe(true);
    const [card, ...live_] = engine.descriptors;
    for (const d of live_) expect(d.every((v) => v === 0)).toBe(true);
    expect(card!.some((v) => v !== 0)).toBe(true);
    live.finish();
    expect(card!.every((v) => v === 0)).toBe(true);
  });

  it('a card photo that will not decode: not usable, its bytes zeroed, undecided with the reason', async () => {
    const engine = new FakeEngine([]);
    const photo = new Uint8Array([0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 9, 9]);
    const live = await LiveFaceSession.open(engine, photo, settings(false), livePassive);
    expect(live.usable).toBe(false);
    expect(photo.every((b) => b === 0)).toBe(true);
    expect(await live.offerJpeg(frameJpeg(), 0)).toMatchObject({ settled: true });
    expect(live.finish()).toMatchObject({ match: null, problem: 'card-photo-undecodable' });
  });

  it('a card photo without a face: undecided, card-photo-no-face', async () => {
    const engine = new FakeEngine([]);
    engine.cardHasFace = false;
    const live = await LiveFaceSession.open(engine, cardJpeg(), settings(false), livePassive);
    expect(live.usable).toBe(false);
    expect(live.finish()).toMatchObject({ match: null, problem: 'card-photo-no-face' });
  });
});
