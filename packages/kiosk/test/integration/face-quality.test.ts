/**
 * Every quality reason the engine can tell, each produced by a real photo made to show it, and the
 * same photo untouched passing. Uses ../shared/faces (skipped with a message where it is absent).
 */

import {
  backlight,
  cutFrame,
  darken,
  facesSkipReason,
  gaussianBlur,
  loadFace,
  maskLowerHalf,
  offCentre,
  paste,
  solidFrame,
  tilt,
  tooClose,
  tooFar,
} from '@myna/devtools/test-support/face-images.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Analysis, FaceEngine } from '../../src/face/engine/face-engine.ts';
import { createFrame, type Frame } from '../../src/face/image/frame.ts';
import { resize } from '../../src/face/image/ops.ts';
import { assessQuality } from '../../src/face/quality.ts';
import type { QualityReason } from '../../src/face/reasons.ts';

const skip = facesSkipReason();

/** Two people side by side in a frame of the same shape, the second as close as the first. */
function twoPeople(photo: Frame): Frame {
  const half = resize(photo, photo.width / 2, photo.height / 2);
  const out = solidFrame(photo.width, photo.height);
  paste(out, half, 0, photo.height / 4);
  paste(out, half, photo.width / 2, photo.height / 4);
  return out;
}

describe.skipIf(skip)('face quality reasons on real photos', () => {
  let engine: FaceEngine;
  let base: Frame;
  let baseAnalysis: Analysis;

  const reasonsOf = async (frame: Frame): Promise<QualityReason[]> =>
    assessQuality(frame, await engine.analyze(frame)).reasons;

  /** The face box of the untouched photo, in its own pixels. */
  const faceBox = () => {
    const s = base.width / baseAnalysis.width;
    const b = baseAnalysis.faces[0]!.box;
    return { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s };
  };

  beforeAll(async () => {
    engine = await FaceEngine.load();
    base = await loadFace('img2.jpg');
    baseAnalysis = await engine.analyze(base);
  }, 60_000);

  afterAll(() => {
    base.data.fill(0);
  });

  it('passes the untouched photo', async () => {
    expect(assessQuality(base, baseAnalysis).reasons).toEqual([]);
  });

  it.each<[QualityReason, () => Frame]>([
    ['no-face', () => solidFrame(640, 480)],
    ['several-faces', () => twoPeople(base)],
    ['too-far', () => tooFar(base, 0.2)],
    ['too-close', () => tooClose(base, 2.6)],
    ['off-centre', () => offCentre(base, 0.3, 0)],
    ['off-centre', () => cutFrame(base, 'left', 0.6)],
    ['face-covered', () => maskLowerHalf(base, faceBox())],
    ['head-tilted', () => tilt(base, 30)],
    ['too-dark', () => darken(base, 0.25)],
    ['backlit', () => backlight(base, faceBox())],
    ['blurred', () => gaussianBlur(base, 4)],
  ])('tells %s', async (reason, make) => {
    const frame = make();
    const reasons = await reasonsOf(frame);
    expect(reasons[0]).toBe(reason);
    frame.data.fill(0);
  });

  it('tells glasses glare from saturated spots on the eyes', async () => {
    const glare = createFrame(base.width, base.height, base.data.slice());
    const s = base.width / baseAnalysis.width;
    for (const p of baseAnalysis.faces[0]!.landmarks.slice(36, 48)) {
      const r = Math.round(base.width * 0.012);
      for (let y = Math.round(p.y * s) - r; y <= Math.round(p.y * s) + r; y++) {
        for (let x = Math.round(p.x * s) - r; x <= Math.round(p.x * s) + r; x++) {
          glare.data.fill(255, (y * base.width + x) * 4, (y * base.width + x) * 4 + 3);
        }
      }
    }
    expect(await reasonsOf(glare)).toContain('glasses-glare');
  });
});

if (skip) console.warn(`skipping face quality tests: ${skip}`);
