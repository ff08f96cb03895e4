import { readFileSync } from 'node:fs';
import type { InferenceSession, Tensor } from 'onnxruntime-web';

type Ort = typeof import('onnxruntime-web');

let runtime: Ort | undefined;

/**
 * ONNX Runtime as WebAssembly, loaded once per process. One thread: the face worker is already a
 * thread of its own beside the kiosk's main loop, and the reader has two cores.
 */
async function ort(): Promise<Ort> {
  if (!runtime) {
    const loaded = await import('onnxruntime-web');
    loaded.env.wasm.numThreads = 1;
    loaded.env.logLevel = 'error';
    runtime = loaded;
  }
  return runtime;
}

/** One network with one input and one or more outputs, run on float32 tensors. */
export class OnnxModel {
  private constructor(
    private readonly ortApi: Ort,
    private readonly session: InferenceSession,
  ) {}

  static async load(file: string): Promise<OnnxModel> {
    const api = await ort();
    try {
      const session = await api.InferenceSession.create(readFileSync(file), {
        graphOptimizationLevel: 'all',
      });
      return new OnnxModel(api, session);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new Error(`face model ${file} could not be loaded (${reason}); run \`npm run models\``);
    }
  }

  /** Runs the network; the outputs by name. The input array is the caller's to wipe. */
  async run(input: Float32Array, dims: readonly number[]): Promise<Record<string, Tensor>> {
    const tensor = new this.ortApi.Tensor('float32', input, dims);
    try {
      return await this.session.run({ [this.session.inputNames[0]!]: tensor });
    } finally {
      tensor.dispose();
    }
  }

  /** The named output's values as a plain array the caller owns. */
  static values(outputs: Record<string, Tensor>, name: string): Float32Array {
    const tensor = outputs[name];
    if (!tensor) throw new Error(`the model gave no output named ${name}`);
    const values = new Float32Array(tensor.data as Float32Array);
    tensor.dispose();
    return values;
  }
}
