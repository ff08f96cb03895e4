import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { log } from '../../common/node/log.ts';
import { KIOSK_PACKAGE_DIR } from '../../common/node/package-dir.ts';
import { type Frame, wipeFrame } from '../image/frame.ts';
import { type Box, lumaPlane, resizeToMaxSide } from '../image/ops.ts';

export type { Box };

import { type BackendName, type FaceApi, type LoadedBackend, loadBackend, type Tf } from './backend.ts';

export type DetectorName = 'ssd' | 'tiny';

export interface Point {
  x: number;
  y: number;
}

/** One face found in a frame, in the coordinates of the analysed (possibly downscaled) frame. */
export interface FaceObservation {
  box: Box;
  /** Detector confidence, 0..1. */
  score: number;
  /** The 68 iBUG landmarks (jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67). */
  landmarks: Point[];
}

export interface Analysis {
  /** Size of the frame the coordinates refer to. */
  width: number;
  height: number;
  /** Largest face first. */
  faces: FaceObservation[];
  /** Descriptor of the largest face, computed on its grey, aligned crop; absent without a face. */
  descriptor?: Float32Array;
  ms: { prepare: number; detect: number; descriptor: number };
}

export interface FaceEngineOptions {
  detector?: DetectorName;
  backends?: BackendName[];
  modelsDir?: string;
  /** Frames larger than this (longest side, px) are downscaled first: detection cost grows with area. */
  maxSide?: number;
}

export interface AnalyzeOptions {
  /**
   * Compute the descriptor of the largest face: always, or only when this check of the detections
   * says the frame is worth it (a frame refused for quality need not pay for a descriptor).
   */
  descriptor?: boolean | ((found: Pick<Analysis, 'width' | 'height' | 'faces'>) => boolean);
  /**
   * Pad the frame before detection: a card photo is framed so tightly that detectors trained on
   * scenes miss the face.
   */
  pad?: boolean;
}

const require = createRequire(import.meta.url);
const PAD_FRACTION = 0.3;
const PAD_GREY = 128;

/** models/face-api as copied by `npm run models`, else the package's own folder. */
export function faceModelsDir(): string {
  const copied = join(KIOSK_PACKAGE_DIR, 'models', 'face-api');
  if (existsSync(join(copied, 'face_recognition_model.bin'))) return copied;
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/**
 * Face detection, 68 landmarks and the 128-d face descriptor (face-api), on the backend
 * `loadBackend` chose. Every frame is turned grey before anything else: the card photo is
 * monochrome, so the live face is compared under the same conditions.
 */
export class FaceEngine {
  private constructor(
    private readonly runtime: LoadedBackend,
    readonly detector: DetectorName,
    readonly loadMs: number,
    private readonly maxSide: number,
  ) {}

  get backend(): BackendName {
    return this.runtime.name;
  }

  get skippedBackends(): string[] {
    return this.runtime.skipped;
  }

  static async load(options: FaceEngineOptions = {}): Promise<FaceEngine> {
    const started = performance.now();
    const runtime = await loadBackend(options.backends);
    const dir = options.modelsDir ?? faceModelsDir();
    const { nets } = runtime.faceapi;
    const detector = options.detector ?? 'ssd';
    const detectorNet = detector === 'ssd' ? nets.ssdMobilenetv1 : nets.tinyFaceDetector;
    for (const net of [detectorNet, nets.faceLandmark68Net, nets.faceRecognitionNet]) {
      if (!net.isLoaded) await net.loadFromDisk(dir);
    }
    const engine = new FaceEngine(runtime, detector, performance.now() - started, options.maxSide ?? 640);
    log.info(
      { backend: runtime.name, skipped: runtime.skipped, detector, loadMs: Math.round(engine.loadMs) },
      'face engine loaded',
    );
    return engine;
  }

  private detectorOptions():
    | InstanceType<FaceApi['SsdMobilenetv1Options']>
    | InstanceType<FaceApi['TinyFaceDetectorOptions']> {
    const { faceapi } = this.runtime;
    return this.detector === 'ssd'
      ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.3, maxResults: 5 })
      : new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
  }

  async analyze(frame: Frame, options: AnalyzeOptions = {}): Promise<Analysis> {
    const { tf, faceapi } = this.runtime;
    const t0 = performance.now();
    const { input, pixels, width, height, offset } = this.prepare(tf, frame, options.pad ?? false);
    const t1 = performance.now();
    try {
      const found = await faceapi.detectAllFaces(input as never, this.detectorOptions()).withFaceLandmarks();
      const t2 = performance.now();
      const sorted = [...found].sort((a, b) => b.detection.box.area - a.detection.box.area);
      const faces = sorted.map((f) => ({
        box: shift(f.detection.box, offset),
        score: f.detection.score,
        landmarks: f.landmarks.positions.map((p) => ({ x: p.x - offset, y: p.y - offset })),
      }));
      let descriptor: Float32Array | undefined;
      const main = sorted[0];
      const wanted =
        typeof options.descriptor === 'function'
          ? options.descriptor({ width, height, faces })
          : options.descriptor;
      if (wanted && main) {
        const [crop] = await faceapi.extractFaceTensors(input as never, [main.alignedRect]);
        try {
          descriptor = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(
            crop as never,
          )) as Float32Array;
        } finally {
          crop?.dispose();
        }
      }
      const t3 = performance.now();
      return {
        width,
        height,
        faces,
        descriptor,
        ms: { prepare: t1 - t0, detect: t2 - t1, descriptor: t3 - t2 },
      };
    } finally {
      input.dispose();
      pixels.fill(0);
    }
  }

  /**
   * RGBA frame → grey, downscaled, optionally padded float32 tensor [h, w, 3]. Done in plain JS
   * before any tensor exists: a 12-megapixel photo costs a fraction of what the same steps cost as
   * tensor operations.
   */
  private prepare(tf: Tf, frame: Frame, pad: boolean) {
    const needsScale = Math.max(frame.width, frame.height) > this.maxSide;
    const small = needsScale ? resizeToMaxSide(frame, this.maxSide) : frame;
    const luma = lumaPlane(small);
    stretchContrast(luma.data);
    const { width, height } = luma;
    const offset = pad ? Math.round(Math.max(width, height) * PAD_FRACTION) : 0;
    const outW = width + 2 * offset;
    const outH = height + 2 * offset;
    // float32: integer tensors make the CPU backend's normalisation round to whole numbers.
    const rgb = new Float32Array(outW * outH * 3).fill(PAD_GREY);
    for (let y = 0; y < height; y++) {
      let o = ((y + offset) * outW + offset) * 3;
      for (let x = 0, i = y * width; x < width; x++, i++, o += 3) {
        const v = luma.data[i]!;
        rgb[o] = v;
        rgb[o + 1] = v;
        rgb[o + 2] = v;
      }
    }
    luma.data.fill(0);
    if (needsScale) wipeFrame(small);
    // The CPU backend keeps this very array as the tensor's storage: wipe it only after dispose.
    const input = tf.tensor3d(rgb, [outH, outW, 3], 'float32');
    return { input, pixels: rgb, width, height, offset };
  }
}

/**
 * Stretches the grey levels so that the darkest and brightest 1 % of pixels reach 0 and 255: a face
 * in a dim room or against a window is found as well as a well-lit one, and the card photo and the
 * live face are compared at the same contrast.
 */
function stretchContrast(plane: Uint8Array): void {
  const histogram = new Uint32Array(256);
  for (const v of plane) histogram[v]!++;
  const cut = Math.floor(plane.length * 0.01);
  let lo = 0;
  for (let seen = 0; lo < 255 && seen + histogram[lo]! <= cut; lo++) seen += histogram[lo]!;
  let hi = 255;
  for (let seen = 0; hi > 0 && seen + histogram[hi]! <= cut; hi--) seen += histogram[hi]!;
  if (hi - lo < 16) return;
  const scale = 255 / (hi - lo);
  for (let i = 0; i < plane.length; i++)
    plane[i] = Math.min(255, Math.max(0, Math.round((plane[i]! - lo) * scale)));
}

function shift(box: Box, offset: number): Box {
  return { x: box.x - offset, y: box.y - offset, width: box.width, height: box.height };
}

/** Euclidean distance between two face descriptors: about 0.4 for one person, 0.8+ for two. */
export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError('descriptors of different length');
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}
