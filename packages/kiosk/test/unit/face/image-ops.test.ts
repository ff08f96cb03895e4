import { describe, expect, it } from 'vitest';
import { createFrame, type Frame } from '../../../src/face/image/frame.ts';
import {
  applyExifOrientation,
  crop,
  flipHorizontal,
  laplacianVariance,
  luminanceStats,
  resize,
  resizeToMaxSide,
  rotate,
  toGrey,
} from '../../../src/face/image/ops.ts';

/** A frame from rows of grey values (R = G = B, A = 255). */
function grey(rows: number[][]): Frame {
  const frame = createFrame(rows[0]!.length, rows.length);
  rows.forEach((row, y) => {
    row.forEach((v, x) => {
      frame.data.set([v, v, v, 255], (y * frame.width + x) * 4);
    });
  });
  return frame;
}

/** Red channel as rows. */
const rowsOf = (f: Frame) =>
  Array.from({ length: f.height }, (_, y) =>
    Array.from({ length: f.width }, (_, x) => f.data[(y * f.width + x) * 4]!),
  );

const fill = (width: number, height: number, rgba: number[]) => {
  const f = createFrame(width, height);
  for (let i = 0; i < f.data.length; i += 4) f.data.set(rgba, i);
  return f;
};

describe('toGrey', () => {
  it('uses BT.601 luma, replicated to RGB, alpha kept', () => {
    const f = createFrame(4, 1);
    f.data.set([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 200, 200, 200, 255]);
    const g = toGrey(f);
    expect(Array.from(g.data)).toEqual([
      76, 76, 76, 255, 150, 150, 150, 128, 29, 29, 29, 255, 200, 200, 200, 255,
    ]);
    expect(f.data[0]).toBe(255);
  });
});

describe('crop', () => {
  const f = grey([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 11, 12],
  ]);

  it('copies a box and clamps it to the frame', () => {
    expect(rowsOf(crop(f, { x: 1, y: 1, width: 2, height: 2 }))).toEqual([
      [6, 7],
      [10, 11],
    ]);
    expect(rowsOf(crop(f, { x: -5, y: 2, width: 7, height: 10 }))).toEqual([[9, 10]]);
    expect(rowsOf(crop(f, { x: 2.5, y: 0, width: 0.2, height: 1 }))).toEqual([[3]]);
  });

  it('refuses a box entirely outside', () => {
    expect(() => crop(f, { x: 10, y: 0, width: 2, height: 2 })).toThrow(RangeError);
    expect(() => crop(f, { x: 0, y: 0, width: 0, height: 2 })).toThrow(RangeError);
  });
});

describe('resize', () => {
  it('averages areas when shrinking by whole and fractional factors', () => {
    const f = grey([
      [0, 100, 200, 40],
      [100, 0, 40, 200],
    ]);
    expect(rowsOf(resize(f, 2, 1))).toEqual([[50, 120]]);
    // 3 → 2: each output covers 1.5 source pixels.
    const g = grey([[0, 90, 180]]);
    expect(rowsOf(resize(g, 2, 1))).toEqual([[30, 150]]);
    // A flat frame stays flat whatever the factor.
    const flat = resize(fill(37, 23, [10, 20, 30, 255]), 11, 7);
    for (let i = 0; i < flat.data.length; i += 4)
      expect(Array.from(flat.data.subarray(i, i + 4))).toEqual([10, 20, 30, 255]);
  });

  it('interpolates when growing', () => {
    const up = resize(grey([[0, 200]]), 4, 1);
    expect(rowsOf(up)).toEqual([[0, 50, 150, 200]]);
  });

  it('resizeToMaxSide keeps the aspect ratio, never upscales and always copies', () => {
    const f = fill(640, 480, [1, 2, 3, 255]);
    const small = resizeToMaxSide(f, 320);
    expect([small.width, small.height]).toEqual([320, 240]);
    const same = resizeToMaxSide(f, 1000);
    expect([same.width, same.height]).toEqual([640, 480]);
    expect(same.data === f.data).toBe(false);
    expect(() => resizeToMaxSide(f, 0)).toThrow(RangeError);
  });

  it('is fast enough for camera frames', () => {
    const f = fill(640, 480, [100, 120, 140, 255]);
    resizeToMaxSide(f, 320);
    const t = performance.now();
    for (let i = 0; i < 10; i++) toGrey(resizeToMaxSide(f, 320));
    // ~2 ms a frame here; the bound is loose for slow CI machines.
    expect((performance.now() - t) / 10).toBeLessThan(50);
  });
});

describe('luminanceStats', () => {
  it('gives mean, std and the saturated and dark fractions in luma 0–255', () => {
    const f = grey([
      [0, 10, 11, 249],
      [250, 255, 100, 100],
    ]);
    const s = luminanceStats(f);
    expect(s.pixels).toBe(8);
    expect(s.mean).toBeCloseTo((0 + 10 + 11 + 249 + 250 + 255 + 100 + 100) / 8, 6);
    expect(s.saturated).toBe(2 / 8);
    expect(s.dark).toBe(2 / 8);
    const flat = luminanceStats(fill(5, 5, [0, 255, 0, 255]));
    expect(flat.mean).toBe(150);
    expect(flat.std).toBe(0);
  });

  it('measures only the box, clamped; an empty box gives zeros', () => {
    const f = grey([
      [0, 0, 200, 200],
      [0, 0, 200, 200],
    ]);
    expect(luminanceStats(f, { x: 2, y: 0, width: 10, height: 10 })).toMatchObject({ mean: 200, pixels: 4 });
    expect(luminanceStats(f, { x: 0, y: 0, width: 4, height: 2 }).std).toBe(100);
    expect(luminanceStats(f, { x: 9, y: 9, width: 1, height: 1 })).toMatchObject({ pixels: 0, mean: 0 });
  });
});

describe('laplacianVariance', () => {
  it('is zero on flat and linear ramps, high on edges, lower after blurring', () => {
    expect(laplacianVariance(fill(8, 8, [90, 90, 90, 255]))).toBe(0);
    expect(laplacianVariance(grey(Array.from({ length: 5 }, () => [0, 10, 20, 30, 40])))).toBe(0);
    const checker = grey(
      Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => ((x + y) % 2) * 255)),
    );
    const sharp = laplacianVariance(checker);
    expect(sharp).toBeGreaterThan(100_000);
    const soft = resize(resize(checker, 4, 4), 8, 8);
    expect(laplacianVariance(soft)).toBeLessThan(sharp / 10);
    // A single bright pixel: Laplacian −4·255 at it, 255 at its four neighbours, over 3×3 interior.
    const dot = grey([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 255, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    const values = [1020, 255, 255, 255, 255, 0, 0, 0, 0];
    const mean = (-1020 + 4 * 255) / 9;
    const expected = values.reduce((s, v, i) => s + (i === 0 ? -v : v) ** 2, 0) / 9 - mean ** 2;
    expect(laplacianVariance(dot)).toBeCloseTo(expected, 6);
    expect(laplacianVariance(dot, { x: 0, y: 0, width: 2, height: 2 })).toBe(0);
  });
});

describe('geometry', () => {
  const f = grey([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('flips horizontally', () => {
    expect(rowsOf(flipHorizontal(f))).toEqual([
      [3, 2, 1],
      [6, 5, 4],
    ]);
  });

  it('applies the eight EXIF orientations', () => {
    expect(rowsOf(applyExifOrientation(f, 1))).toEqual(rowsOf(f));
    expect(rowsOf(applyExifOrientation(f, 3))).toEqual([
      [6, 5, 4],
      [3, 2, 1],
    ]);
    expect(rowsOf(applyExifOrientation(f, 4))).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(rowsOf(applyExifOrientation(f, 5))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(rowsOf(applyExifOrientation(f, 6))).toEqual([
      [4, 1],
      [5, 2],
      [6, 3],
    ]);
    expect(rowsOf(applyExifOrientation(f, 7))).toEqual([
      [6, 3],
      [5, 2],
      [4, 1],
    ]);
    expect(rowsOf(applyExifOrientation(f, 8))).toEqual([
      [3, 6],
      [2, 5],
      [1, 4],
    ]);
  });

  it('rotates about the centre, clockwise for positive angles', () => {
    const g = grey([
      [10, 20, 30],
      [40, 50, 60],
      [70, 80, 90],
    ]);
    expect(rowsOf(rotate(g, 0))).toEqual(rowsOf(g));
    expect(rowsOf(rotate(g, 90))).toEqual([
      [70, 40, 10],
      [80, 50, 20],
      [90, 60, 30],
    ]);
    const r = rotate(fill(20, 20, [200, 200, 200, 255]), 45, [0, 0, 0, 255]);
    expect(r.data[0]).toBe(0);
    expect(r.data[(10 * 20 + 10) * 4]).toBe(200);
  });
});
