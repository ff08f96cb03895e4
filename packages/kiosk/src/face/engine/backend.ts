import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** Where the tensors run: native TensorFlow (tfjs-node), WebAssembly (SIMD where the CPU has it), or plain JS. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export type FaceApi = typeof import('@vladmandic/face-api');
export type Tf = typeof import('@tensorflow/tfjs');

export interface LoadedBackend {
  name: BackendName;
  faceapi: FaceApi;
  tf: Tf;
  /** Why faster backends were passed over, for the logs and `kiosk face … --json`. */
  skipped: string[];
}

let loaded: Promise<LoadedBackend> | undefined;

/**
 * Loads face-api on the fastest backend that works here, once per process. tfjs-node is optional:
 * its install downloads libtensorflow, which fails on machines without that host, so it is tried
 * only if it is installed and loads; then WebAssembly; then the CPU backend.
 */
export function loadBackend(order: BackendName[] = ['tensorflow', 'wasm', 'cpu']): Promise<LoadedBackend> {
  loaded ??= pick(order);
  return loaded;
}

async function pick(order: BackendName[]): Promise<LoadedBackend> {
  const skipped: string[] = [];
  for (const name of order) {
    try {
      return { ...(await tryBackend(name)), name, skipped };
    } catch (error) {
      skipped.push(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  throw new Error(`no tensor backend could start (${skipped.join('; ')})`);
}

async function tryBackend(name: BackendName): Promise<{ faceapi: FaceApi; tf: Tf }> {
  if (name === 'tensorflow') {
    const tf = require('@tensorflow/tfjs-node') as Tf;
    const faceapi = require('@vladmandic/face-api/dist/face-api.node.js') as FaceApi;
    await tf.setBackend('tensorflow');
    await tf.ready();
    return { faceapi, tf };
  }
  // This build of face-api uses the same @tensorflow/tfjs instance as the require below.
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  const tf = require('@tensorflow/tfjs') as Tf;
  if (name === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    // The .wasm files ship in the package; without this the backend would look for them by URL.
    wasm.setWasmPaths(
      `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`,
    );
  }
  if (!(await tf.setBackend(name))) throw new Error('backend refused to start');
  await tf.ready();
  return { faceapi, tf };
}
