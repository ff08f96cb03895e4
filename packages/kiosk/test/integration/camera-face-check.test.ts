/**
 * The camera face check with the real engine in its worker, on real photos of ../shared/faces
 * (skipped with a message where absent): a card-like JPEG 2000 photo from the chip against
 * camera-like JPEG frames of the same person (accepted, with the passive check and with a head-turn
 * challenge that photos of that person satisfy), of another person (refused), and a printed photo
 * held up under the blink challenge (matches, yet refused); undecodable frames and no camera at all; and
 * the main thread keeps ticking while a check runs.
 *
 * The test camera shows its next picture each time the check has analysed one, so the sequence the
 * engine sees does not depend on how fast this machine is.
 */

import { printedPhoto } from '@myna/devtools/face/imitations.js';
import {
  cardLikeJp2,
  encodeJpeg,
  facePath,
  facesSkipReason,
  loadFace,
} from '@myna/devtools/test-support/face-images.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, wipeFrame } from '../../src/face/image/frame.ts';
import { resizeToMaxSide } from '../../src/face/image/ops.ts';
import { DEFAULT_LIVENESS_CONFIG, type LivenessConfig } from '../../src/face/liveness/liveness.ts';
import { DEFAULT_MATCH_POLICY } from '../../src/face/match-policy.ts';
import { FaceWorkerClient } from '../../src/face/worker/face-worker-client.ts';
import { CameraFaceCheck, type CameraFaceCheckOptions } from '../../src/kiosk/camera-face-check.ts';
import type { FaceCheckResult } from '../../src/reception/ports.ts';

const skip = facesSkipReason();
if (skip) console.warn(`skipping camera face check tests: ${skip}`);

const passiveOnly: LivenessConfig = {
  ...DEFAULT_LIVENESS_CONFIG,
  active: { ...DEFAULT_LIVENESS_CONFIG.active, enabled: false },
};

/** A camera frame as the renderer sends it: about 640 px, JPEG. */
async function cameraJpeg(name: string, change?: (frame: Frame) => Frame): Promise<Uint8Array> {
  const photo = await loadFace(name);
  const frame = resizeToMaxSide(photo, 640);
  const shown = change ? change(frame) : frame;
  const jpeg = encodeJpeg(shown, 85);
  for (const f of new Set([photo, frame, shown])) wipeFrame(f);
  return jpeg;
}

interface Watched {
  result: FaceCheckResult;
  feedback: string[][];
  ms: number;
}

describe.skipIf(skip)('camera face check, real engine', () => {
  let client: FaceWorkerClient;
  let angelinaCard: Uint8Array;
  let jackCard: Uint8Array;

  beforeAll(async () => {
    ({ client } = await FaceWorkerClient.start('ssd', { liveness: true, warmUp: true }));
    angelinaCard = await cardLikeJp2(facePath('img1.jpg'));
    jackCard = await cardLikeJp2(facePath('img62.jpg'));
  }, 120_000);

  afterAll(async () => {
    await client?.stop();
  });

  /**
   * Runs one check with `pictures` shown in turn, the next after each analysed frame (the last one
   * stays). Every frame handed over is a fresh copy: the check takes the bytes it is given.
   */
  async function watch(
    card: Uint8Array,
    pictures: Uint8Array[],
    options: CameraFaceCheckOptions = {},
  ): Promise<Watched> {
    const feedback: string[][] = [];
    let next = 0;
    const show = () => check.frame(pictures[Math.min(next++, pictures.length - 1)]!.slice());
    const check = new CameraFaceCheck(client, {
      timeoutMs: 60_000,
      ...options,
      onFeedback: (reasons) => {
        feedback.push(reasons);
        setTimeout(show, 0);
      },
    });
    const started = performance.now();
    const pending = check.check(card.slice());
    if (pictures.length > 0) show();
    const result = await pending;
    return { result, feedback, ms: performance.now() - started };
  }

  it('the same person, passive liveness (challenge off): accepted, live', async () => {
    const frames = await Promise.all(
      ['img2.jpg', 'img4.jpg', 'img6.jpg', 'img7.jpg'].map((n) => cameraJpeg(n)),
    );
    const { result, feedback, ms } = await watch(angelinaCard, frames, { liveness: passiveOnly });
    console.info(`same person, passive only: ${feedback.length} frames analysed, ${Math.round(ms)} ms`);
    expect(result).toMatchObject({
      decision: 'accept',
      reasons: [],
      threshold: DEFAULT_MATCH_POLICY.threshold,
    });
    expect(result.score).toBeLessThanOrEqual(result.threshold);
    expect(result.liveness).toMatchObject({ passed: true, challenge: 'none' });
    expect(result.liveness.passiveScore).toBeGreaterThan(DEFAULT_LIVENESS_CONFIG.passive.thresholds.liveness);
  }, 120_000);

  it('the same person turning the head to the right and back: the challenge is satisfied, accepted', async () => {
    // img17 faces the camera (yaw ≈ +6°), img59 is turned ≈ 18° to his right; the card is img62. Each
    // pose holds two frames: the challenge reads the median yaw of three.
    const frames = await Promise.all(
      ['img17.jpg', 'img59.jpg', 'img59.jpg', 'img17.jpg', 'img17.jpg'].map((n) => cameraJpeg(n)),
    );
    const turn: LivenessConfig = {
      ...DEFAULT_LIVENESS_CONFIG,
      active: { ...DEFAULT_LIVENESS_CONFIG.active, kind: 'turn', side: 'right', deadlineMs: 60_000 },
    };
    const { result, feedback } = await watch(jackCard, frames, { liveness: turn });
    expect(feedback[0]).toEqual(['challenge-turn-right']);
    expect(result).toMatchObject({ decision: 'accept', reasons: [] });
    expect(result.liveness).toMatchObject({ passed: true, challenge: 'turn' });
  }, 120_000);

  it('another person: refused, no-match', async () => {
    const frames = await Promise.all(['img3.jpg', 'img12.jpg', 'img3.jpg'].map((n) => cameraJpeg(n)));
    const { result } = await watch(angelinaCard, frames);
    expect(result).toMatchObject({ decision: 'reject', reasons: ['no-match'] });
    expect(result.score).toBeGreaterThan(result.threshold);
  }, 120_000);

  it('a good print of the card holder held up under the blink challenge: matches, but is refused', async () => {
    // Printed finely enough for the quality gate to take it, and it matches the card on its own.
    const print = await cameraJpeg('img6.jpg', (f) => printedPhoto(f, { detail: 0.8, scale: 0.9 }));
    const blink: LivenessConfig = {
      ...DEFAULT_LIVENESS_CONFIG,
      active: { ...DEFAULT_LIVENESS_CONFIG.active, deadlineMs: 3_000 },
    };
    const { result, feedback } = await watch(angelinaCard, [print], { liveness: blink });
    console.info(`printed photo: ${JSON.stringify(result)} after ${feedback.length} frames`);
    expect(result.score).toBeLessThanOrEqual(result.threshold);
    expect(result.decision).toBe('reject');
    expect(result.reasons).toContain('no-blink');
    expect(result.liveness).toMatchObject({ passed: false, challenge: 'blink' });
    expect(feedback[0]).toEqual(['challenge-blink']);
  }, 120_000);

  it('frames that will not decode are dropped with a reason and the check goes on', async () => {
    const good = await Promise.all(
      ['img2.jpg', 'img4.jpg', 'img6.jpg', 'img7.jpg'].map((n) => cameraJpeg(n)),
    );
    const broken = good[0]!.slice(0, 600);
    const notJpeg = new TextEncoder().encode('GIF89a not a camera frame');
    const { result, feedback } = await watch(angelinaCard, [broken, notJpeg, ...good], {
      liveness: passiveOnly,
    });
    expect(feedback.slice(0, 2)).toEqual([['frame-undecodable'], ['frame-undecodable']]);
    expect(result.decision).toBe('accept');
  }, 120_000);

  it('keeps the main thread ticking while frames arrive at 4 a second and the worker analyses them', async () => {
    const frames = await Promise.all(['img2.jpg', 'img4.jpg', 'img6.jpg'].map((n) => cameraJpeg(n)));
    const check = new CameraFaceCheck(client, { liveness: passiveOnly, timeoutMs: 60_000 });
    const ticks: number[] = [];
    const ticker = setInterval(() => ticks.push(performance.now()), 10);
    let shown = 0;
    const camera = setInterval(() => check.frame(frames[shown++ % frames.length]!.slice()), 250);
    try {
      const result = await check.check(angelinaCard.slice());
      expect(result.decision).toBe('accept');
    } finally {
      clearInterval(camera);
      clearInterval(ticker);
    }
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    expect(gaps.length).toBeGreaterThan(20);
    expect(Math.max(...gaps)).toBeLessThan(150);
  }, 120_000);

  it('a card photo that will not decode: undecided at once, card-photo-undecodable', async () => {
    const garbage = new Uint8Array([
      0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 1,
    ]);
    const { result, ms } = await watch(garbage, []);
    expect(result).toMatchObject({ decision: 'undecided', reasons: ['card-photo-undecodable'], score: null });
    expect(ms).toBeLessThan(5_000);
  });
});

describe.skipIf(skip)('camera face check start-up', () => {
  it('start() loads its own worker (tiny detector here); no camera: undecided, no-camera; stop() ends it', async () => {
    const started = performance.now();
    const check = await CameraFaceCheck.start({ detector: 'tiny', timeoutMs: 1_500 });
    const startMs = performance.now() - started;
    try {
      const before = performance.now();
      const result = await check.check(await cardLikeJp2(facePath('img1.jpg')));
      const ms = performance.now() - before;
      console.info(`start ${Math.round(startMs)} ms; no-camera check ${Math.round(ms)} ms`);
      expect(result).toMatchObject({ decision: 'undecided', reasons: ['no-camera'], score: null });
      expect(result.liveness).toEqual({ passed: false, challenge: 'blink' });
      expect(ms).toBeGreaterThanOrEqual(1_400);
    } finally {
      await check.stop();
    }
    await expect(check.check(new Uint8Array(4))).rejects.toThrow('stopped');
  }, 120_000);

  it('a face worker that dies mid-check fails that check and the next at once, never leaving one hanging', async () => {
    const { client } = await FaceWorkerClient.start('tiny');
    const check = new CameraFaceCheck(client, { liveness: passiveOnly, timeoutMs: 30_000 });
    const card = await cardLikeJp2(facePath('img1.jpg'));
    const running = check.check(card);
    // The worker goes while the card photo is with it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.stop();
    await expect(running).rejects.toThrow(/face worker stopped/);
    const before = performance.now();
    await expect(check.check(card)).rejects.toThrow(/face worker stopped/);
    expect(performance.now() - before).toBeLessThan(1_000);
  }, 60_000);
});
