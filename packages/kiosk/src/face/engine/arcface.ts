import { alignFace, type GreyPlane } from './align.ts';
import type { Point } from './face-engine.ts';
import { OnnxModel } from './onnx.ts';

const SIDE = 112;

/**
 * The 512-d face descriptor of the faceplugin package (an ArcFace-style network): a grey face warped
 * onto the five-point template at 112 × 112, (v − 127) / 128 in each colour plane, NCHW. The
 * descriptor comes back unit length, so the distance between two lies between 0 and 2.
 */
export class ArcFaceDescriber {
  private constructor(private readonly model: OnnxModel) {}

  static async load(file: string): Promise<ArcFaceDescriber> {
    return new ArcFaceDescriber(await OnnxModel.load(file));
  }

  /** The descriptor of the face whose eyes, nose tip and mouth corners are `points` in `plane`. */
  async describe(plane: GreyPlane, points: readonly Point[]): Promise<Float32Array> {
    const crop = alignFace(plane, points, SIDE);
    const area = SIDE * SIDE;
    const input = new Float32Array(3 * area);
    for (let i = 0; i < area; i++) {
      const v = (crop[i]! - 127) / 128;
      input[i] = v;
      input[i + area] = v;
      input[i + 2 * area] = v;
    }
    crop.fill(0);
    let outputs: Awaited<ReturnType<OnnxModel['run']>>;
    try {
      outputs = await this.model.run(input, [1, 3, SIDE, SIDE]);
    } finally {
      input.fill(0);
    }
    const descriptor = OnnxModel.values(outputs, 'output');
    let norm = 0;
    for (const v of descriptor) norm += v * v;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) throw new Error('the face descriptor came back empty');
    for (let i = 0; i < descriptor.length; i++) descriptor[i] = descriptor[i]! / norm;
    return descriptor;
  }
}
