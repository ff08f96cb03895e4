import { clipBox } from '../image/ops.ts';
import type { GreyPlane } from './align.ts';
import type { Box, Point } from './face-engine.ts';
import { OnnxModel } from './onnx.ts';

/** What the detector reports of one face, in the coordinates of the plane it looked at. */
export interface Detection {
  box: Box;
  score: number;
}

const INPUT_WIDTH = 320;
const INPUT_HEIGHT = 240;
/** Its 4,420 anchors, already decoded by the exported graph: scores [n, 2], corner boxes [n, 4] in 0..1. */
const ANCHORS = 4420;
const MIN_SCORE = 0.5;
const OVERLAP = 0.3;
const LANDMARK_SIDE = 64;

/**
 * The face detector of the faceplugin package (an Ultra-Light RFB-320 network: 320 × 240 input,
 * 1.2 MB) and its 68-point landmark network (64 × 64 grey input). The frame is letterboxed, not
 * stretched: a card photo is a tall portrait, and a squashed face was missed four times as often
 * on set-b's card-like photos (74 against 18 of 621).
 */
export class UltraLightDetector {
  private constructor(
    private readonly detector: OnnxModel,
    private readonly landmarker: OnnxModel,
  ) {}

  static async load(detectorFile: string, landmarkFile: string): Promise<UltraLightDetector> {
    return new UltraLightDetector(await OnnxModel.load(detectorFile), await OnnxModel.load(landmarkFile));
  }

  /** Every face scored at or above 0.5, overlapping boxes merged to the best one, best first. */
  async detect(plane: GreyPlane): Promise<Detection[]> {
    const { input, scale, offsetX, offsetY } = letterbox(plane);
    const outputs = await this.detector.run(input, [1, 3, INPUT_HEIGHT, INPUT_WIDTH]);
    input.fill(0);
    const scores = OnnxModel.values(outputs, 'scores');
    const boxes = OnnxModel.values(outputs, 'boxes');
    const found: Detection[] = [];
    for (let i = 0; i < ANCHORS; i++) {
      const score = scores[i * 2 + 1]!;
      if (score < MIN_SCORE) continue;
      const x0 = (boxes[i * 4]! * INPUT_WIDTH - offsetX) / scale;
      const y0 = (boxes[i * 4 + 1]! * INPUT_HEIGHT - offsetY) / scale;
      const x1 = (boxes[i * 4 + 2]! * INPUT_WIDTH - offsetX) / scale;
      const y1 = (boxes[i * 4 + 3]! * INPUT_HEIGHT - offsetY) / scale;
      const box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
      found.push({ box: clipBox(box, plane.width, plane.height), score });
    }
    return suppressOverlaps(found.filter((d) => d.box.width > 1 && d.box.height > 1));
  }

  /** The 68 iBUG landmarks of the face in `box`, read from a square crop as tall as the box. */
  async landmarks(plane: GreyPlane, box: Box): Promise<Point[]> {
    const side = box.height;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const x0 = Math.max(0, Math.floor(cx - side / 2));
    const y0 = Math.max(0, Math.floor(cy - side / 2));
    const x1 = Math.min(plane.width - 1, Math.floor(cx + side / 2));
    const y1 = Math.min(plane.height - 1, Math.floor(cy + side / 2));
    const width = Math.max(1, x1 - x0);
    const height = Math.max(1, y1 - y0);
    const input = resample(plane, x0, y0, width, height, LANDMARK_SIDE, LANDMARK_SIDE);
    for (let i = 0; i < input.length; i++) input[i] = input[i]! / 256;
    const outputs = await this.landmarker.run(input, [1, 1, LANDMARK_SIDE, LANDMARK_SIDE]);
    input.fill(0);
    const name = Object.keys(outputs)[0]!;
    const xy = OnnxModel.values(outputs, name);
    const points: Point[] = [];
    for (let i = 0; i < 68; i++) points.push({ x: xy[i * 2]! * width + x0, y: xy[i * 2 + 1]! * height + y0 });
    xy.fill(0);
    return points;
  }
}

/** The plane scaled to fit 320 × 240 and centred on mid-grey, as the network's normalised input. */
function letterbox(plane: GreyPlane) {
  const scale = Math.min(INPUT_WIDTH / plane.width, INPUT_HEIGHT / plane.height);
  const width = Math.max(1, Math.min(INPUT_WIDTH, Math.round(plane.width * scale)));
  const height = Math.max(1, Math.min(INPUT_HEIGHT, Math.round(plane.height * scale)));
  const offsetX = Math.floor((INPUT_WIDTH - width) / 2);
  const offsetY = Math.floor((INPUT_HEIGHT - height) / 2);
  const small = resample(plane, 0, 0, plane.width, plane.height, width, height);
  const area = INPUT_WIDTH * INPUT_HEIGHT;
  // (v − 127) / 128: the padding, grey 127, becomes 0. Grey in all three colour planes.
  const input = new Float32Array(3 * area);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = (small[y * width + x]! - 127) / 128;
      const o = (y + offsetY) * INPUT_WIDTH + x + offsetX;
      input[o] = v;
      input[o + area] = v;
      input[o + 2 * area] = v;
    }
  }
  small.fill(0);
  return { input, scale: width / plane.width, offsetX, offsetY };
}

/** A region of the plane resampled bilinearly to outW × outH (pixel centres aligned). */
function resample(
  plane: GreyPlane,
  x0: number,
  y0: number,
  width: number,
  height: number,
  outW: number,
  outH: number,
): Float32Array {
  const out = new Float32Array(outW * outH);
  const sx = width / outW;
  const sy = height / outH;
  const { data, width: W, height: H } = plane;
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(H - 1, Math.max(0, y0 + (y + 0.5) * sy - 0.5));
    const ya = Math.floor(fy);
    const yb = Math.min(H - 1, ya + 1);
    const wy = fy - ya;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(W - 1, Math.max(0, x0 + (x + 0.5) * sx - 0.5));
      const xa = Math.floor(fx);
      const xb = Math.min(W - 1, xa + 1);
      const wx = fx - xa;
      const top = data[ya * W + xa]! * (1 - wx) + data[ya * W + xb]! * wx;
      const bottom = data[yb * W + xa]! * (1 - wx) + data[yb * W + xb]! * wx;
      out[y * outW + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const shared = w * h;
  return shared / (a.width * a.height + b.width * b.height - shared);
}

/** Greedy non-maximum suppression: each anchor that overlaps a better one is the same face. */
function suppressOverlaps(found: Detection[]): Detection[] {
  const kept: Detection[] = [];
  for (const d of found.sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => overlap(k.box, d.box) < OVERLAP)) kept.push(d);
  }
  return kept;
}
