import { Worker } from 'node:worker_threads';
import { compiledEntry, compiledExecArgv } from '../../common/node/package-dir.ts';
import type { DetectorName } from '../engine/face-engine.ts';
import type { Frame } from '../image/frame.ts';
import type { MatchPolicy } from '../match-policy.ts';
import type { MatchResult } from '../matcher.ts';
import type { FrameStep, LiveSessionSettings, LiveVerdict } from './live-session.ts';
import type { WireFrame, WorkerReply, WorkerRequest } from './protocol.ts';

type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void };
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;
type OkReply = Extract<WorkerReply, { ok: true }>;
type Reply<K extends OkReply['kind']> = Extract<OkReply, { kind: K }>;

export interface FaceWorkerStartOptions {
  /** Load the passive liveness models now rather than at the first live session. */
  liveness?: boolean;
  /** Run each model once at start-up, so the first patient does not wait for kernels to compile. */
  warmUp?: boolean;
}

/**
 * Runs the face engine in a worker thread. Frames and bytes handed to it are transferred: the
 * caller's buffers are detached afterwards (or zeroed, where they could not be moved), so no copy
 * of a face stays behind in the main thread.
 */
export class FaceWorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Why the worker is gone: later requests fail at once instead of waiting for a reply that never comes. */
  private gone: Error | null = null;

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
    detector: DetectorName = 'ultralight',
    options: FaceWorkerStartOptions = {},
  ): Promise<{ client: FaceWorkerClient; backend: string; loadMs: number }> {
    const worker = new Worker(compiledEntry('./face-worker.js', import.meta.url), {
      execArgv: compiledExecArgv(),
    });
    const client = new FaceWorkerClient(worker);
    try {
      const reply = await client.call('load', { kind: 'load', detector, ...options });
      return { client, backend: reply.backend, loadMs: reply.loadMs };
    } catch (error) {
      await worker.terminate();
      throw error;
    }
  }

  async match(card: Frame, live: Frame[], policy: MatchPolicy): Promise<MatchResult> {
    const frames = [card, ...live].map(wire);
    const reply = await this.call(
      'match',
      { kind: 'match', card: frames[0]!, live: frames.slice(1), policy },
      frames.map((f) => f.data),
    );
    return reply.result;
  }

  /**
   * Starts a live session on the card photo (encoded, as read from the chip). Ends any session
   * still open. `usable` is false when the photo will not decode or shows no face: the session
   * then ends undecided with that reason.
   */
  async openSession(cardPhoto: Uint8Array, settings: LiveSessionSettings): Promise<{ usable: boolean }> {
    const bytes = transferable(cardPhoto);
    const reply = await this.call('session-open', { kind: 'session-open', cardPhoto: bytes, settings }, [
      bytes,
    ]);
    return { usable: reply.usable };
  }

  /** One JPEG camera frame for the open session; `atMs` is when it arrived, from the session's start. */
  async sessionFrame(jpeg: Uint8Array, atMs: number): Promise<FrameStep> {
    const bytes = transferable(jpeg);
    const reply = await this.call('session-frame', { kind: 'session-frame', jpeg: bytes, atMs }, [bytes]);
    return reply.step;
  }

  /** Decides on what the session saw and wipes it in the worker. */
  async closeSession(atMs: number): Promise<LiveVerdict> {
    return (await this.call('session-close', { kind: 'session-close', atMs })).verdict;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private async call<K extends OkReply['kind']>(
    kind: K,
    request: Request,
    transfer: ArrayBuffer[] = [],
  ): Promise<Reply<K>> {
    const reply = await this.request(request, transfer);
    if (!reply.ok) throw new Error(reply.error);
    if (reply.kind !== kind) throw new Error(`unexpected reply ${reply.kind} to ${kind}`);
    return reply as Reply<K>;
  }

  private request(request: Request, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private failAll(error: Error): void {
    this.gone ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/**
 * The bytes as a buffer that can be moved to the worker: the view's own buffer when it spans it
 * exactly, else a copy, the original then zeroed (a Node Buffer may share its memory with others).
 */
function transferable(bytes: Uint8Array | Uint8ClampedArray): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (byteOffset === 0 && byteLength === buffer.byteLength && buffer instanceof ArrayBuffer) return buffer;
  // A real copy: slice() on a Node Buffer is a view into the same (often pooled, larger) memory.
  const copy = new Uint8Array(byteLength);
  copy.set(bytes);
  bytes.fill(0);
  return copy.buffer;
}

/** The frame's pixels as a transferable buffer of exactly their size. */
function wire(frame: Frame): WireFrame {
  return { width: frame.width, height: frame.height, data: transferable(frame.data) };
}
