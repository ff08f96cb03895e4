import { Worker } from 'node:worker_threads';
import type { DetectorName } from '../engine/face-engine.ts';
import type { Frame } from '../image/frame.ts';
import type { MatchPolicy } from '../match-policy.ts';
import type { MatchResult } from '../matcher.ts';
import type { WireFrame, WorkerReply, WorkerRequest } from './protocol.ts';

type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void };
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/**
 * Runs the face engine in a worker thread. Frames handed to `match` are transferred: the caller's
 * buffers are detached afterwards, so no copy of a face stays behind in the main thread.
 */
export class FaceWorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`the face worker stopped (exit ${code})`)));
  }

  static async start(
    detector: DetectorName = 'ssd',
  ): Promise<{ client: FaceWorkerClient; backend: string; loadMs: number }> {
    const worker = new Worker(new URL('./face-worker.mjs', import.meta.url));
    const client = new FaceWorkerClient(worker);
    const reply = await client.request({ kind: 'load', detector });
    if (!reply.ok || reply.kind !== 'load') throw new Error(reply.ok ? 'unexpected reply' : reply.error);
    return { client, backend: reply.backend, loadMs: reply.loadMs };
  }

  async match(card: Frame, live: Frame[], policy: MatchPolicy): Promise<MatchResult> {
    const frames = [card, ...live].map(wire);
    const reply = await this.request(
      { kind: 'match', card: frames[0]!, live: frames.slice(1), policy },
      frames.map((f) => f.data),
    );
    if (!reply.ok || reply.kind !== 'match') throw new Error(reply.ok ? 'unexpected reply' : reply.error);
    return reply.result;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private request(request: Request, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** The frame's pixels as a transferable buffer of exactly their size. */
function wire(frame: Frame): WireFrame {
  const { buffer, byteOffset, byteLength } = frame.data;
  if (byteOffset === 0 && byteLength === buffer.byteLength && buffer instanceof ArrayBuffer) {
    return { width: frame.width, height: frame.height, data: buffer };
  }
  const copy = frame.data.slice().buffer as ArrayBuffer;
  frame.data.fill(0);
  return { width: frame.width, height: frame.height, data: copy };
}
