/**
 * Passive liveness: two small classifiers shipped in @vladmandic/human's npm package, run on the
 * colour face crop of one frame, without the rest of that library.
 *
 * What the models expect, from human 3.3.6's own source (src/face/antispoof.ts, liveness.ts,
 * facemesh.ts, facemeshutil.ts, blazeface.ts, config.ts) and the models' signatures:
 * - the face crop is the detector's box enlarged 1.4 × about its centre (`face.detector.scale`),
 *   made square on its longer side, cut with `tf.image.cropAndResize` (outside the frame: 0) to
 *   192 × 192, RGB, divided by 255 (0..1); no rotation (`detector.rotation: false`);
 * - antispoof.json (from kaggle.com/anku420/fake-face-detection): input [n, 128, 128, 3] float,
 *   that crop resized bilinearly; output [n, 1], a sigmoid that human reports as `face.real`;
 * - liveness.json (from github.com/leokwu/livenessnet): input [n, 32, 32, 3] float, the same crop
 *   resized; output [n, 2], a softmax of which human reports element 0 as `face.live`.
 * Human's own demo (demo/faceid) accepts a face when each of the two is ≥ 0.6.
 *
 * Here the crop is made from the original RGBA frame (the engine's analysis is grey) around the
 * 68 landmarks of the face-api detection, which cover about what BlazeFace's box covers.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { KIOSK_PACKAGE_DIR } from '../../common/node/package-dir.ts';
import type { Tf } from '../engine/backend.ts';
import type { Analysis, Box, FaceObservation } from '../engine/face-engine.ts';
import type { Frame } from '../image/frame.ts';

type GraphModel = Awaited<ReturnType<Tf['loadGraphModel']>>;

/** Below either threshold the face counts as not live. Both scores are 0..1, higher = more live. */
export interface PassiveThresholds {
  antispoof: number;
  liveness: number;
}

/**
 * Calibrated on shared/faces/set-a (61 decodable photos) against three imitations of each made by
 * the testbed (devtools src/face/imitations.ts: photo of a photo, printed photo, phone screen), wasm:
 * - liveness: real photos p10 0.91, min 0.55; at 0.85, 59 of 61 real pass while 63 %, 66 % and
 *   40 % of the three imitations still pass too. It lowers the odds of a replayed image; it does
 *   not stop one. The active challenge is what defeats a photo.
 * - antispoof: does not separate these imitations at all (real median 0.71, imitations 0.69–0.75;
 *   real min 0.38). Kept as a floor at 0.3 that only a grossly unlike input falls under.
 */
export const DEFAULT_PASSIVE_THRESHOLDS: PassiveThresholds = { antispoof: 0.3, liveness: 0.85 };

export type PassiveReason = 'no-face' | 'antispoof-low' | 'liveness-low';

export interface PassiveResult {
  /** Antispoof model output (human's `real`), 0..1; null when no face was scored. */
  antispoof: number | null;
  /** Liveness model output (human's `live`), 0..1; null when no face was scored. */
  liveness: number | null;
  live: boolean;
  reasons: PassiveReason[];
}

export interface PassiveModels {
  antispoof: GraphModel;
  liveness: GraphModel;
  dir: string;
  loadMs: number;
}

/** Human's `face.detector.scale`: the crop is the detector box enlarged this much. */
export const CROP_ENLARGE = 1.4;
/** Human crops to the face-mesh input size first, then resizes for each model. */
const CROP_SIZE = 192;
const ANTISPOOF_SIZE = 128;
const LIVENESS_SIZE = 32;

const require = createRequire(import.meta.url);

/** models/human as copied by `npm run models`, else the package's own models folder. */
export function humanModelsDir(): string {
  const copied = join(KIOSK_PACKAGE_DIR, 'models', 'human');
  if (existsSync(join(copied, 'antispoof.bin')) && existsSync(join(copied, 'liveness.bin'))) return copied;
  // human's package.json is not exported; its main entry lies in dist/.
  return join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
}

/** One graph model from its JSON and weight files on disk, through an in-memory IOHandler. */
async function loadGraph(tf: Tf, dir: string, name: string): Promise<GraphModel> {
  const json = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as ModelJson;
  const buffers = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dir, p))));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology as never,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights) as never,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature as never,
    userDefinedMetadata: json.userDefinedMetadata as never,
  });
  return tf.loadGraphModel(handler);
}

const cache = new Map<string, Promise<PassiveModels>>();

/** Loads both models once per process and folder, on the `tf` that `loadBackend` returned. */
export function loadPassiveModels(tf: Tf, dir = humanModelsDir()): Promise<PassiveModels> {
  let pending = cache.get(dir);
  if (!pending) {
    pending = (async () => {
      const started = performance.now();
      const [antispoof, liveness] = await Promise.all([
        loadGraph(tf, dir, 'antispoof'),
        loadGraph(tf, dir, 'liveness'),
      ]);
      return { antispoof, liveness, dir, loadMs: performance.now() - started };
    })();
    pending.catch(() => cache.delete(dir));
    cache.set(dir, pending);
  }
  return pending;
}

/**
 * The square crop box of a face, in frame pixels: the landmarks' bounding box (`scale` maps the
 * analysis coordinates to the frame) enlarged CROP_ENLARGE × about its centre, square on its
 * longer side.
 */
export function faceCropBox(face: Pick<FaceObservation, 'landmarks'>, scale = 1): Box {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const p of face.landmarks) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  const side = Math.max(x1 - x0, y1 - y0) * CROP_ENLARGE * scale;
  const cx = ((x0 + x1) / 2) * scale;
  const cy = ((y0 + y1) / 2) * scale;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

/**
 * The box resampled to size × size, RGB floats 0..1, as `tf.image.cropAndResize` does it
 * (bilinear, corner-aligned sample grid, 0 outside the frame).
 */
export function cropRgb(frame: Frame, box: Box, size = CROP_SIZE): Float32Array {
  const out = new Float32Array(size * size * 3);
  const { width: W, height: H, data } = frame;
  const y1 = box.y / H;
  const x1 = box.x / W;
  const y2 = (box.y + box.height) / H;
  const x2 = (box.x + box.width) / W;
  const stepY = size > 1 ? ((y2 - y1) * (H - 1)) / (size - 1) : 0;
  const stepX = size > 1 ? ((x2 - x1) * (W - 1)) / (size - 1) : 0;
  for (let i = 0; i < size; i++) {
    const sy = y1 * (H - 1) + i * stepY;
    if (sy < 0 || sy > H - 1) continue;
    const ty = Math.floor(sy);
    const by = Math.min(H - 1, ty + 1);
    const fy = sy - ty;
    for (let j = 0; j < size; j++) {
      const sx = x1 * (W - 1) + j * stepX;
      if (sx < 0 || sx > W - 1) continue;
      const lx = Math.floor(sx);
      const rx = Math.min(W - 1, lx + 1);
      const fx = sx - lx;
      const o = (i * size + j) * 3;
      for (let c = 0; c < 3; c++) {
        const tl = data[(ty * W + lx) * 4 + c]!;
        const tr = data[(ty * W + rx) * 4 + c]!;
        const bl = data[(by * W + lx) * 4 + c]!;
        const br = data[(by * W + rx) * 4 + c]!;
        const top = tl + (tr - tl) * fx;
        const bottom = bl + (br - bl) * fx;
        out[o + c] = (top + (bottom - top) * fy) / 255;
      }
    }
  }
  return out;
}

/** Scores of the two models for one face crop (see `cropRgb`) of CROP_SIZE². */
export async function scoreCrop(
  tf: Tf,
  models: PassiveModels,
  crop: Float32Array,
): Promise<{ antispoof: number; liveness: number }> {
  const scores = tf.tidy(() => {
    const input = tf.tensor4d(crop, [1, CROP_SIZE, CROP_SIZE, 3]);
    const a = models.antispoof.execute(
      tf.image.resizeBilinear(input, [ANTISPOOF_SIZE, ANTISPOOF_SIZE], false),
    ) as ReturnType<Tf['tensor']>;
    const l = models.liveness.execute(
      tf.image.resizeBilinear(input, [LIVENESS_SIZE, LIVENESS_SIZE], false),
    ) as ReturnType<Tf['tensor']>;
    return [a, l];
  });
  try {
    const [a, l] = await Promise.all(scores.map((t) => t.data()));
    return { antispoof: a![0]!, liveness: l![0]! };
  } finally {
    tf.dispose(scores);
  }
}

/** Judges two scores against the thresholds. */
export function judgePassive(
  scores: { antispoof: number; liveness: number },
  thresholds: PassiveThresholds,
): PassiveResult {
  const reasons: PassiveReason[] = [];
  if (!(scores.antispoof >= thresholds.antispoof)) reasons.push('antispoof-low');
  if (!(scores.liveness >= thresholds.liveness)) reasons.push('liveness-low');
  return { ...scores, live: reasons.length === 0, reasons };
}

/**
 * Scores the largest face of `analysis` (made from `frame`, possibly downscaled) with both
 * models on the colour frame. The crop is wiped before returning.
 */
export async function scorePassive(
  tf: Tf,
  models: PassiveModels,
  frame: Frame,
  analysis: Pick<Analysis, 'width' | 'faces'>,
  thresholds: PassiveThresholds = DEFAULT_PASSIVE_THRESHOLDS,
): Promise<PassiveResult> {
  const face = analysis.faces[0];
  if (!face) return { antispoof: null, liveness: null, live: false, reasons: ['no-face'] };
  const crop = cropRgb(frame, faceCropBox(face, frame.width / analysis.width));
  try {
    return judgePassive(await scoreCrop(tf, models, crop), thresholds);
  } finally {
    crop.fill(0);
  }
}
