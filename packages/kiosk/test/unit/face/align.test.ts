import { describe, expect, it } from 'vitest';
import { alignFace, FIVE_POINT_TEMPLATE, fitSimilarity, fivePoints } from '../../../src/face/engine/align.ts';

const apply = (t: ReturnType<typeof fitSimilarity>, p: { x: number; y: number }) => ({
  x: t.a * p.x - t.b * p.y + t.tx,
  y: t.b * p.x + t.a * p.y + t.ty,
});

describe('fitSimilarity', () => {
  it('recovers a rotation, scale and shift exactly from clean points', () => {
    const angle = (20 * Math.PI) / 180;
    const scale = 2.5;
    const truth = { a: scale * Math.cos(angle), b: scale * Math.sin(angle), tx: 40, ty: -7 };
    const to = FIVE_POINT_TEMPLATE.map((p) => apply(truth, p));
    const fitted = fitSimilarity(FIVE_POINT_TEMPLATE, to);
    for (const key of ['a', 'b', 'tx', 'ty'] as const) expect(fitted[key]).toBeCloseTo(truth[key], 9);
  });

  it('does not shear: a stretched face gets the best rotation and scale, not a perfect fit', () => {
    const stretched = FIVE_POINT_TEMPLATE.map((p) => ({ x: p.x * 2, y: p.y }));
    const t = fitSimilarity(FIVE_POINT_TEMPLATE, stretched);
    const residual = FIVE_POINT_TEMPLATE.reduce((sum, p, i) => {
      const q = apply(t, p);
      return sum + Math.hypot(q.x - stretched[i]!.x, q.y - stretched[i]!.y);
    }, 0);
    expect(residual).toBeGreaterThan(10);
    expect(Math.abs(t.b)).toBeLessThan(0.05);
  });

  it('refuses points that coincide or do not pair up', () => {
    const same = Array.from({ length: 5 }, () => ({ x: 3, y: 3 }));
    expect(() => fitSimilarity(same, FIVE_POINT_TEMPLATE)).toThrow(RangeError);
    expect(() => fitSimilarity(FIVE_POINT_TEMPLATE.slice(0, 4), FIVE_POINT_TEMPLATE)).toThrow(RangeError);
  });
});

describe('alignFace', () => {
  it('carries each of the five points of a turned, scaled face onto its template place', () => {
    // A 400 × 300 frame, dark everywhere but a bright dot at each landmark of a face rolled by 30°.
    const width = 400;
    const height = 300;
    const angle = (30 * Math.PI) / 180;
    const frameOf = { a: 1.7 * Math.cos(angle), b: 1.7 * Math.sin(angle), tx: 150, ty: 40 };
    const points = FIVE_POINT_TEMPLATE.map((p) => apply(frameOf, p));
    const data = new Uint8Array(width * height);
    for (const p of points) {
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) data[(Math.round(p.y) + dy) * width + Math.round(p.x) + dx] = 255;
    }
    const crop = alignFace({ width, height, data }, points, 112);
    expect(crop).toHaveLength(112 * 112);
    for (const t of FIVE_POINT_TEMPLATE)
      expect(crop[Math.round(t.y) * 112 + Math.round(t.x)]).toBeGreaterThan(200);
    // Half-way between the eyes there is no dot.
    expect(crop[Math.round(51.6) * 112 + 56]).toBeLessThan(30);
  });

  it('fills what lies outside the frame with the nearest edge pixel, not zeros', () => {
    const data = new Uint8Array(10 * 10).fill(90);
    const tiny = FIVE_POINT_TEMPLATE.map((p) => ({ x: p.x / 20, y: p.y / 20 }));
    const crop = alignFace({ width: 10, height: 10, data }, tiny, 112);
    expect(Math.min(...crop)).toBe(90);
    expect(Math.max(...crop)).toBe(90);
  });
});

describe('fivePoints', () => {
  it('takes the eye centres, the nose tip and the mouth corners of the 68 landmarks', () => {
    const landmarks = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    expect(fivePoints(landmarks)).toEqual([
      { x: 38.5, y: 77 },
      { x: 44.5, y: 89 },
      { x: 30, y: 60 },
      { x: 48, y: 96 },
      { x: 54, y: 108 },
    ]);
    expect(() => fivePoints(landmarks.slice(0, 67))).toThrow(RangeError);
  });
});
