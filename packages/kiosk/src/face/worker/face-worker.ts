/**
 * The face engine's own thread: model inference takes hundreds of milliseconds a frame, which
 * must never stall the main process that drives the screens and the card.
 */
import { parentPort } from 'node:worker_threads';
import { loadBackend } from '../engine/backend.ts';
import { FaceEngine } from '../engine/face-engine.ts';
import { initImageCodecs } from '../image/decode.ts';
import { createFrame } from '../image/frame.ts';
import { cropRgb, loadPassiveModels, scoreCrop, scorePassive } from '../liveness/passive.ts';
import { matchFaces } from '../matcher.ts';
import { LiveFaceSession, type LiveSessionSettings, type PassiveScorer } from './live-session.ts';
import type { WireFrame, WorkerReply, WorkerRequest } from './protocol.ts';

let engine: FaceEngine | undefined;
let session: LiveFaceSession | undefined;

const toFrame = (w: WireFrame) => createFrame(w.width, w.height, new Uint8ClampedArray(w.data));

async function passiveScorer(settings: LiveSessionSettings): Promise<PassiveScorer | null> {
  const { passive } = settings.liveness;
  if (!passive.enabled) return null;
  const { tf } = await loadBackend();
  const models = await loadPassiveModels(tf);
  return (frame, analysis) => scorePassive(tf, models, frame, analysis, passive.thresholds);
}

/**
 * Loads the JPEG 2000 decoder and runs each model once on blank input: the first inference on a
 * backend compiles its kernels and costs seconds, which belong to start-up, not to the first patient.
 */
async function warmUp(loaded: FaceEngine, liveness: boolean): Promise<void> {
  await initImageCodecs();
  await loaded.warmUp();
  if (liveness) {
    const { tf } = await loadBackend();
    const blank = createFrame(320, 240);
    blank.data.fill(128);
    const crop = cropRgb(blank, { x: 0, y: 0, width: 240, height: 240 });
    await scoreCrop(tf, await loadPassiveModels(tf), crop);
  }
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'load') {
    engine = await FaceEngine.load({ detector: request.detector });
    if (request.liveness) await loadPassiveModels((await loadBackend()).tf);
    if (request.warmUp) await warmUp(engine, request.liveness ?? false);
    return { id: request.id, ok: true, kind: 'load', backend: engine.backend, loadMs: engine.loadMs };
  }
  if (!engine) throw new Error('the face engine is not loaded');
  switch (request.kind) {
    case 'match': {
      const result = await matchFaces(
        engine,
        toFrame(request.card),
        request.live.map(toFrame),
        request.policy,
      );
      return { id: request.id, ok: true, kind: 'match', result };
    }
    case 'session-open': {
      // One patient at a time: whatever was left of an earlier session is wiped first.
      session?.finish();
      session = undefined;
      const scorer = await passiveScorer(request.settings);
      const photo = new Uint8Array(request.cardPhoto);
      session = await LiveFaceSession.open(engine, photo, request.settings, scorer);
      return { id: request.id, ok: true, kind: 'session-open', usable: session.usable };
    }
    case 'session-frame': {
      const jpeg = new Uint8Array(request.jpeg);
      if (!session) {
        jpeg.fill(0);
        throw new Error('no face session is open');
      }
      return {
        id: request.id,
        ok: true,
        kind: 'session-frame',
        step: await session.offerJpeg(jpeg, request.atMs),
      };
    }
    case 'session-close': {
      if (!session) throw new Error('no face session is open');
      const verdict = session.finish(request.atMs);
      session = undefined;
      return { id: request.id, ok: true, kind: 'session-close', verdict };
    }
  }
}

// One request at a time: a session's frames must be judged in order, and two analyses interleaved
// on one backend only slow each other down.
let queue: Promise<unknown> = Promise.resolve();

parentPort?.on('message', (request: WorkerRequest) => {
  queue = queue.then(() =>
    handle(request).then(
      (reply) => parentPort?.postMessage(reply),
      (error: unknown) =>
        parentPort?.postMessage({
          id: request.id,
          ok: false,
          error: error instanceof Error ? error.message : 'failed',
        }),
    ),
  );
});
