/**
 * The face engine's own thread: model inference takes hundreds of milliseconds a frame, which
 * must never stall the main process that drives the screens and the card.
 */
import { parentPort } from 'node:worker_threads';
import { FaceEngine } from '../engine/face-engine.ts';
import { createFrame } from '../image/frame.ts';
import { matchFaces } from '../matcher.ts';
import type { WireFrame, WorkerReply, WorkerRequest } from './protocol.ts';

let engine: FaceEngine | undefined;

const toFrame = (w: WireFrame) => createFrame(w.width, w.height, new Uint8ClampedArray(w.data));

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'load') {
    engine = await FaceEngine.load({ detector: request.detector });
    return { id: request.id, ok: true, kind: 'load', backend: engine.backend, loadMs: engine.loadMs };
  }
  if (!engine) throw new Error('the face engine is not loaded');
  const result = await matchFaces(engine, toFrame(request.card), request.live.map(toFrame), request.policy);
  return { id: request.id, ok: true, kind: 'match', result };
}

parentPort?.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: error instanceof Error ? error.message : 'failed',
      }),
  );
});
