import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  backlight,
  cardLikeFrame,
  cardLikeJp2,
  centreFaceBox,
  cutFrame,
  darken,
  encodeJpeg,
  encodePng,
  facePath,
  gaussianBlur,
  hasOpjCompress,
  loadFace,
  maskLowerHalf,
  mirror,
  offCentre,
  pasteSecondFace,
  photoOfPhoto,
  skipWithoutFaces,
  tilt,
  tooClose,
  tooFar,
} from '@myna/devtools/test-support/face-images.js';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src/face/image/decode.ts';
import { createFrame, type Frame } from '../../../src/face/image/frame.ts';
import { laplacianVariance, luminanceStats } from '../../../src/face/image/ops.ts';

/** A synthetic "face": a bright textured disc on a mid-grey background. */
function blob(width = 120, height = 160): Frame {
  const f = createFrame(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height * 0.45) ** 2 < (width * 0.3) ** 2;
      const v = inside ? 150 + ((x * 7 + y * 13) % 5) * 20 : 110;
      f.data.set([v, v * 0.9, v * 0.8, 255], (y * width + x) * 4);
    }
  }
  return f;
}

const face = centreFaceBox(blob());

const sameBytes = (a: Frame, b: Frame) =>
  a.width === b.width && a.height === b.height && Buffer.from(a.data).equals(Buffer.from(b.data));

describe('face-image helpers on a synthetic face', () => {
  it('frame the face badly', () => {
    const f = blob();
    expect(cutFrame(f, 'right', 0.6).width).toBe(72);
    expect(cutFrame(f, 'top', 0.5).height).toBe(80);
    const shifted = offCentre(f, 0.4, 0);
    expect([shifted.width, shifted.height]).toEqual([120, 160]);
    expect(luminanceStats(shifted, { x: 0, y: 0, width: 40, height: 160 }).std).toBe(0);
    const far = tooFar(f, 0.25);
    expect(luminanceStats(far, face).std).toBeLessThan(luminanceStats(f, face).std);
    expect(tooClose(f, 3).width).toBe(120);
  });

  it('spoil the light', () => {
    const f = blob();
    expect(luminanceStats(darken(f)).mean).toBeLessThan(luminanceStats(f).mean * 0.2);
    const lit = backlight(f, face);
    expect(luminanceStats(lit, face).mean).toBeLessThan(60);
    expect(luminanceStats(lit, { x: 0, y: 150, width: 120, height: 10 }).mean).toBeGreaterThan(220);
  });

  it('blur, mask, tilt, mirror and crowd', () => {
    const f = blob();
    expect(laplacianVariance(gaussianBlur(f, 3), face)).toBeLessThan(laplacianVariance(f, face) / 10);
    const masked = maskLowerHalf(f, face);
    const lower = { ...face, y: face.y + face.height / 2 + 1, height: face.height / 2 - 2 };
    expect(luminanceStats(masked, lower).std).toBe(0);
    expect(tilt(f, 20).width).toBe(120);
    expect(sameBytes(mirror(mirror(f)), f)).toBe(true);
    const two = pasteSecondFace(f, blob());
    expect(luminanceStats(two, { x: 90, y: 10, width: 25, height: 30 }).std).toBeGreaterThan(0);
    const print = photoOfPhoto(f);
    expect(luminanceStats(print, { x: 0, y: 0, width: 10, height: 10 }).mean).toBe(90);
  });

  it('encode to PNG and JPEG that decode again', () => {
    const f = blob();
    expect(sameBytes(decodeImage(encodePng(f)), f)).toBe(true);
    expect(decodeImage(encodeJpeg(f, 80)).width).toBe(120);
  });
});

const opj = await hasOpjCompress();

describe.skipIf(skipWithoutFaces())('face-image helpers on a development photo', () => {
  it('make a grey, passport-framed, ~240 px card-like photo', async () => {
    const photo = await loadFace('img2.jpg');
    const card = cardLikeFrame(photo);
    expect(card.height).toBe(240);
    expect(card.width / card.height).toBeCloseTo(7 / 9, 1);
    let colour = 0;
    for (let i = 0; i < card.data.length; i += 4) if (card.data[i] !== card.data[i + 2]) colour++;
    expect(colour).toBe(0);
  });

  it.skipIf(!opj)('encodes it to a small JP2 and leaves no temporary files', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('face-j2k-')).length;
    const jp2 = await cardLikeJp2(facePath('img2.jpg'));
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('face-j2k-')).length).toBe(before);
    expect(jp2.length).toBeLessThan(8000);
    const t = performance.now();
    const frame = decodeImage(jp2, 'card photo');
    const ms = performance.now() - t;
    console.info(
      `card-like JP2: ${jp2.length} bytes, ${frame.width}×${frame.height}, decoded in ${ms.toFixed(1)} ms`,
    );
    expect(frame.height).toBe(240);
  });
});
