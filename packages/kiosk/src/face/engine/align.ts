import type { Point } from './face-engine.ts';

/** A grey image: one byte a pixel, row by row. */
export interface GreyPlane {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Where the descriptor network was trained to see the two eye centres, the nose tip and the two
 * mouth corners (image left first) in its 112 × 112 input: the canonical five-point layout of the
 * ArcFace family. A face warped onto it reaches the network at the size, roll and place it knows.
 */
export const FIVE_POINT_TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/** x' = a·x − b·y + tx, y' = b·x + a·y + ty: rotation, uniform scale and shift, no shear. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * The similarity that carries `from` onto `to` with the least squared error. Shear is left out on
 * purpose: five noisy landmarks would otherwise stretch a face to fit them.
 */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) throw new RangeError('need two or more point pairs');
  const n = from.length;
  let fx = 0;
  let fy = 0;
  let gx = 0;
  let gy = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]!.x;
    fy += from[i]!.y;
    gx += to[i]!.x;
    gy += to[i]!.y;
  }
  fx /= n;
  fy /= n;
  gx /= n;
  gy /= n;
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const ux = from[i]!.x - fx;
    const uy = from[i]!.y - fy;
    const vx = to[i]!.x - gx;
    const vy = to[i]!.y - gy;
    dot += ux * vx + uy * vy;
    cross += ux * vy - uy * vx;
    norm += ux * ux + uy * uy;
  }
  if (norm === 0) throw new RangeError('the points coincide');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: gx - a * fx + b * fy, ty: gy - b * fx - a * fy };
}

/**
 * The face warped so that its five points land on {@link FIVE_POINT_TEMPLATE}, as a size × size grey
 * crop (bilinear; outside the frame the nearest edge pixel). Each output pixel is looked up through
 * the template-to-frame similarity, so no pixel of the frame is copied that the crop does not need.
 */
export function alignFace(plane: GreyPlane, points: readonly Point[], size = 112): Float32Array {
  const scale = size / 112;
  const template = FIVE_POINT_TEMPLATE.map((p) => ({ x: p.x * scale, y: p.y * scale }));
  const { a, b, tx, ty } = fitSimilarity(template, points);
  const { width, height, data } = plane;
  const at = (x: number, y: number) =>
    data[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
  const crop = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = a * x - b * y + tx;
      const sy = b * x + a * y + ty;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
      const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      crop[y * size + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return crop;
}

/** The five alignment points from the 68 iBUG landmarks: eye centres, nose tip, mouth corners. */
export function fivePoints(landmarks: readonly Point[]): Point[] {
  if (landmarks.length < 68) throw new RangeError('need the 68 landmarks');
  const centre = (from: number, to: number) => {
    let x = 0;
    let y = 0;
    for (let i = from; i < to; i++) {
      x += landmarks[i]!.x;
      y += landmarks[i]!.y;
    }
    return { x: x / (to - from), y: y / (to - from) };
  };
  return [centre(36, 42), centre(42, 48), landmarks[30]!, landmarks[48]!, landmarks[54]!];
}
