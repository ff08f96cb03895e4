import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { log } from '../../common/node/log.ts';
import { KIOSK_PACKAGE_DIR } from '../../common/node/package-dir.ts';
import { type Frame, wipeFrame } from '../image/frame.ts';
import { type Box, lumaPlane, resizeToMaxSide } from '../image/ops.ts';

export type { Box };

import { FIVE_POINT_TEMPLATE, fivePoints, type GreyPlane } from './align.ts';
import { ArcFaceDescriber } from './arcface.ts';
import { type BackendName, type LoadedBackend, loadBackend } from './backend.ts';
import type { DescriberName, DetectorName } from './names.ts';
import { UltraLightDetector } from './ultralight.ts';

export type { DescriberName, DetectorName };

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
  /** `faceapi` needs a face-api detector (`ssd` or `tiny`): it reads face-api's own aligned box. */
  describer?: DescriberName;
  backends?: BackendName[];
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
/** A second face matters to the quality gate; more than this are a crowd, not a patient. */
const MAX_FACES = 5;

/** models/face-api as copied by `npm run models`, else the package's own folder. */
export function faceModelsDir(): string {
  const copied = join(KIOSK_PACKAGE_DIR, 'models', 'face-api');
  if (existsSync(join(copied, 'face_recognition_model.bin'))) return copied;
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** models/faceplugin as fetched by `npm run models` (the package is not installed: see copy-models). */
export function onnxModelsDir(): string {
  return join(KIOSK_PACKAGE_DIR, 'models', 'faceplugin');
}

/**
 * Face detection, 68 landmarks and a face descriptor. By default the ONNX networks (ultralight +
 * arcface, WebAssembly), chosen on set-b with card-like card photos: no face in 0.8 % of them where
 * SSD missed 16 %, and 18.7 % of the genuine pairs lost at FAR 0.01 % where face-api lost 86 %, at
 * a sixth of the time a frame. face-api's pipeline stays selectable for comparison. Every frame is turned grey before anything
 * else: the card photo is monochrome, so the live face is compared under the same conditions.
 */
export class FaceEngine {
  private constructor(
    private readonly runtime: LoadedBackend | null,
    private readonly ultralight: UltraLightDetector | null,
    private readonly arcface: ArcFaceDescriber | null,
    readonly detector: DetectorName,
    readonly describer: DescriberName,
    readonly loadMs: number,
    private readonly maxSide: number,
  ) {}

  /** Where face-api's tensors run; the ONNX networks always run as WebAssembly. */
  get backend(): BackendName {
    return this.runtime?.name ?? 'wasm';
  }

  get skippedBackends(): string[] {
    return this.runtime?.skipped ?? [];
  }

  static async load(options: FaceEngineOptions = {}): Promise<FaceEngine> {
    const started = performance.now();
    const detector = options.detector ?? 'ultralight';
    const describer = options.describer ?? 'arcface';
    if (describer === 'faceapi' && detector === 'ultralight') {
      throw new Error("face-api's descriptor needs face-api's detector: choose ssd or tiny with it");
    }
    const onnxDir = onnxModelsDir();
    let runtime: LoadedBackend | null = null;
    if (detector !== 'ultralight') {
      runtime = await loadBackend(options.backends);
      const dir = faceModelsDir();
      const { nets } = runtime.faceapi;
      const detectorNet = detector === 'ssd' ? nets.ssdMobilenetv1 : nets.tinyFaceDetector;
      const wanted: { isLoaded: boolean; loadFromDisk(dir: string): Promise<void> }[] = [
        detectorNet,
        nets.faceLandmark68Net,
      ];
      if (describer === 'faceapi') wanted.push(nets.faceRecognitionNet);
      for (const net of wanted) if (!net.isLoaded) await net.loadFromDisk(dir);
    }
    const ultralight =
      detector === 'ultralight'
        ? await UltraLightDetector.load(join(onnxDir, 'fr_detect.onnx'), join(onnxDir, 'fr_landmark.onnx'))
        : null;
    const arcface =
      describer === 'arcface' ? await ArcFaceDescriber.load(join(onnxDir, 'fr_feature.onnx')) : null;
    const engine = new FaceEngine(
      runtime,
      ultralight,
      arcface,
      detector,
      describer,
      performance.now() - started,
      options.maxSide ?? 640,
    );
    log.info(
      {
        backend: engine.backend,
        skipped: engine.skippedBackends,
        detector,
        describer,
        loadMs: Math.round(engine.loadMs),
      },
      'face engine loaded',
    );
    return engine;
  }

  async analyze(frame: Frame, options: AnalyzeOptions = {}): Promise<Analysis> {
    const t0 = performance.now();
    const { plane, width, height, offset } = this.prepare(frame, options.pad ?? false);
    const t1 = performance.now();
    try {
      const found = this.ultralight
        ? await this.detectUltraLight(this.ultralight, plane)
        : await this.detectFaceApi(this.runtime!, plane);
      const t2 = performance.now();
      const faces = found.faces.map((f) => ({
        box: shift(f.box, offset),
        score: f.score,
        landmarks: f.landmarks.map((p) => ({ x: p.x - offset, y: p.y - offset })),
      }));
      const main = found.faces[0];
      const wanted =
        typeof options.descriptor === 'function'
          ? options.descriptor({ width, height, faces })
          : options.descriptor;
      let descriptor: Float32Array | undefined;
      try {
        if (wanted && main) {
          descriptor = this.arcface
            ? await this.arcface.describe(plane, fivePoints(main.landmarks))
            : await found.describeMain?.();
        }
      } finally {
        found.release?.();
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
      plane.data.fill(0);
    }
  }

  /**
   * Runs every network once on blank input: the first inference compiles kernels and allocates,
   * which belongs to start-up, not to the first patient. A blank frame shows no face, so the
   * landmark and descriptor networks are run directly.
   */
  async warmUp(): Promise<void> {
    const plane: GreyPlane = { width: 320, height: 240, data: new Uint8Array(320 * 240).fill(PAD_GREY) };
    if (this.ultralight) {
      await this.ultralight.detect(plane);
      await this.ultralight.landmarks(plane, { x: 100, y: 60, width: 120, height: 120 });
    } else {
      const found = await this.detectFaceApi(this.runtime!, plane);
      found.release?.();
      const { tf, faceapi } = this.runtime!;
      const face = tf.fill([150, 150, 3], PAD_GREY, 'float32');
      try {
        await faceapi.nets.faceLandmark68Net.detectLandmarks(face as never);
        if (this.describer === 'faceapi')
          await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(face as never);
      } finally {
        face.dispose();
      }
    }
    if (this.arcface) {
      (
        await this.arcface.describe(
          plane,
          FIVE_POINT_TEMPLATE.map((p) => ({ x: p.x + 100, y: p.y + 60 })),
        )
      ).fill(0);
    }
  }

  /** Faces with their landmarks, largest first, in the padded plane's coordinates. */
  private async detectUltraLight(detector: UltraLightDetector, plane: GreyPlane): Promise<Found> {
    const detections = (await detector.detect(plane)).slice(0, MAX_FACES);
    const faces: FaceObservation[] = [];
    for (const d of detections) faces.push({ ...d, landmarks: await detector.landmarks(plane, d.box) });
    return { faces: faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height) };
  }

  private async detectFaceApi(runtime: LoadedBackend, plane: GreyPlane): Promise<Found> {
    const { tf, faceapi } = runtime;
    // float32: integer tensors make the CPU backend's normalisation round to whole numbers.
    const rgb = new Float32Array(plane.width * plane.height * 3);
    for (let i = 0, o = 0; i < plane.data.length; i++, o += 3) {
      const v = plane.data[i]!;
      rgb[o] = v;
      rgb[o + 1] = v;
      rgb[o + 2] = v;
    }
    // The CPU backend keeps this very array as the tensor's storage: wipe it only after dispose.
    const input = tf.tensor3d(rgb, [plane.height, plane.width, 3], 'float32');
    const release = () => {
      input.dispose();
      rgb.fill(0);
    };
    try {
      const options =
        this.detector === 'ssd'
          ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.3, maxResults: MAX_FACES })
          : new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
      const found = await faceapi.detectAllFaces(input as never, options).withFaceLandmarks();
      const sorted = [...found].sort((a, b) => b.detection.box.area - a.detection.box.area);
      const main = sorted[0];
      const describeMain = async () => {
        const [crop] = await faceapi.extractFaceTensors(input as never, [main!.alignedRect]);
        try {
          return (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(crop as never)) as Float32Array;
        } finally {
          crop?.dispose();
        }
      };
      return {
        faces: sorted.map((f) => ({
          box: {
            x: f.detection.box.x,
            y: f.detection.box.y,
            width: f.detection.box.width,
            height: f.detection.box.height,
          },
          score: f.detection.score,
          landmarks: f.landmarks.positions.map((p) => ({ x: p.x, y: p.y })),
        })),
        describeMain,
        release,
      };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * RGBA frame → grey, downscaled, optionally padded plane, in plain JS: a 12-megapixel photo costs
   * a fraction of what the same steps cost as tensor operations.
   */
  private prepare(frame: Frame, pad: boolean) {
    const needsScale = Math.max(frame.width, frame.height) > this.maxSide;
    const small = needsScale ? resizeToMaxSide(frame, this.maxSide) : frame;
    const luma = lumaPlane(small);
    stretchContrast(luma.data);
    const { width, height } = luma;
    const offset = pad ? Math.round(Math.max(width, height) * PAD_FRACTION) : 0;
    const outW = width + 2 * offset;
    const outH = height + 2 * offset;
    const data = new Uint8Array(outW * outH).fill(PAD_GREY);
    for (let y = 0; y < height; y++) {
      data.set(luma.data.subarray(y * width, (y + 1) * width), (y + offset) * outW + offset);
    }
    luma.data.fill(0);
    if (needsScale) wipeFrame(small);
    return { plane: { width: outW, height: outH, data }, width, height, offset };
  }
}

/** What a pipeline found, before the padding is taken off the coordinates. */
interface Found {
  faces: FaceObservation[];
  /** face-api's own descriptor of the largest face, from its aligned box. */
  describeMain?: () => Promise<Float32Array>;
  release?: () => void;
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

/**
 * Euclidean distance between two face descriptors. arcface's are unit length (0 to 2; see
 * DEFAULT_MATCH_POLICY for where one person ends); face-api's about 0.4 for one person, 0.8+ for two.
 */
export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError('descriptors of different length');
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}
