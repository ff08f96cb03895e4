/**
 * The face check the kiosk runs: the card photo against the camera frames the renderer sends
 * (JPEG, ~4 a second while the face screen is up), with liveness, in the face worker so that the
 * main process keeps driving the screens and the card meanwhile.
 *
 * Frames are taken, not copied: each one handed to `frame()` is either moved to the worker or
 * zeroed here. Only frames that arrive while a check runs are used; while the worker is busy with
 * one, a newer frame replaces the one waiting (the patient's face now is what counts, and a queue
 * would only grow). When a check ends, whatever the outcome, the waiting frame is zeroed and the
 * worker wipes the session (card descriptor, state); the frames it analysed were wiped one by one.
 */
import { log } from '../common/node/log.ts';
import type { DetectorName } from '../face/engine/face-engine.ts';
import {
  DEFAULT_LIVENESS_CONFIG,
  type LivenessConfig,
  livenessConfigSchema,
} from '../face/liveness/liveness.ts';
import { DEFAULT_MATCH_POLICY, type MatchPolicy, matchPolicySchema } from '../face/match-policy.ts';
import type { QualityLimits } from '../face/quality.ts';
import { FaceWorkerClient } from '../face/worker/face-worker-client.ts';
import type { LiveSessionSettings } from '../face/worker/live-session.ts';
import type { FaceCheck, FaceCheckResult } from '../reception/ports.ts';
import { faceCheckResult, undecidedResult } from './face/face-check-result.ts';

export interface CameraFaceCheckOptions {
  /** 'ultralight' (default); face-api's 'ssd' and 'tiny' for comparison. */
  detector?: DetectorName;
  /** How long one check watches the camera before it gives up undecided (ms, default 12 000). */
  timeoutMs?: number;
  policy?: MatchPolicy;
  /** Passive models and the active challenge (blink by default). */
  liveness?: LivenessConfig;
  qualityLimits?: QualityLimits;
  /** The reasons after each analysed frame, for the face screen (MainMessage 'face-feedback'). */
  onFeedback?: (reasons: string[]) => void;
  /** Frames larger than this (bytes) are refused unread: the renderer is not trusted. Default 2 MiB. */
  maxFrameBytes?: number;
}

/** What the check needs of the face worker: FaceWorkerClient, or a stand-in in tests. */
export type LiveFaceAnalyzer = Pick<
  FaceWorkerClient,
  'openSession' | 'sessionFrame' | 'closeSession' | 'stop'
>;

export const DEFAULT_CHECK_TIMEOUT_MS = 12_000;
const DEFAULT_MAX_FRAME_BYTES = 2 * 1024 * 1024;

type EndReason = 'settled' | 'time' | 'cancelled' | 'failed';

/** One check() in progress. */
class Run {
  readonly startedAt = performance.now();
  /** The card photo is analysed: frames may go to the worker. */
  ready = false;
  waiting: { jpeg: Uint8Array; atMs: number } | null = null;
  /** The frame the worker has now. */
  busy: Promise<void> | null = null;
  received = 0;
  refused = 0;
  endReason: EndReason | null = null;
  failure: unknown = null;
  readonly ended: Promise<void>;
  private wake!: () => void;

  constructor() {
    this.ended = new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  get cancelled(): boolean {
    return this.endReason === 'cancelled';
  }

  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  /** Takes the newer frame; the one it replaces is zeroed. */
  hold(jpeg: Uint8Array): void {
    if (this.waiting) wipe(this.waiting.jpeg);
    this.waiting = { jpeg, atMs: this.elapsed() };
  }

  end(reason: EndReason): void {
    if (this.endReason) return;
    this.endReason = reason;
    if (this.waiting) wipe(this.waiting.jpeg);
    this.waiting = null;
    this.wake();
  }
}

export class CameraFaceCheck implements FaceCheck {
  private readonly settings: LiveSessionSettings;
  private readonly timeoutMs: number;
  private readonly maxFrameBytes: number;
  private readonly onFeedback: ((reasons: string[]) => void) | undefined;
  private current: Run | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly analyzer: LiveFaceAnalyzer,
    options: CameraFaceCheckOptions = {},
  ) {
    this.settings = {
      policy: matchPolicySchema.parse(options.policy ?? DEFAULT_MATCH_POLICY),
      liveness: livenessConfigSchema.parse(options.liveness ?? DEFAULT_LIVENESS_CONFIG),
      ...(options.qualityLimits ? { limits: options.qualityLimits } : {}),
    };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new RangeError(`face check time-out ${this.timeoutMs} ms is not a positive whole number`);
    }
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.onFeedback = options.onFeedback;
  }

  /**
   * Starts the face worker (models loaded and run once, so the first patient does not wait for
   * that) and returns the check ready for `check()` and `frame()`.
   */
  static async start(options: CameraFaceCheckOptions = {}): Promise<CameraFaceCheck> {
    const liveness = livenessConfigSchema.parse(options.liveness ?? DEFAULT_LIVENESS_CONFIG);
    const detector = options.detector ?? 'ultralight';
    const started = performance.now();
    const { client, backend } = await FaceWorkerClient.start(detector, {
      liveness: liveness.passive.enabled,
      warmUp: true,
    });
    try {
      const check = new CameraFaceCheck(client, { ...options, liveness });
      log.info(
        { backend, detector, startMs: Math.round(performance.now() - started) },
        'camera face check ready',
      );
      return check;
    } catch (error) {
      await client.stop();
      throw error;
    }
  }

  /**
   * One camera frame (JPEG) from the renderer. The bytes are taken over: moved to the worker or
   * zeroed, never kept. Ignored (zeroed) unless a check is running.
   */
  frame(jpeg: Uint8Array): void {
    const run = this.current;
    if (!run || run.endReason) {
      wipe(jpeg);
      return;
    }
    run.received++;
    if (jpeg.length > this.maxFrameBytes) {
      run.refused++;
      wipe(jpeg);
      this.feedback(['frame-undecodable']);
      return;
    }
    run.hold(jpeg);
    this.pump(run);
  }

  /**
   * Matches the camera against `cardPhoto` (JPEG 2000 from the card) until decided or the time is
   * up. The photo is copied for the worker; the caller wipes its own. A check still running (its
   * screen was left) ends as 'cancelled' when a new one starts.
   */
  async check(cardPhoto: Uint8Array): Promise<FaceCheckResult> {
    if (this.stopped) throw new Error('the camera face check has been stopped');
    this.cancel();
    const previous = this.running;
    const run = new Run();
    this.current = run;
    const card = cardPhoto.slice();
    const result = (async () => {
      // The worker serves one session at a time: the cancelled one closes first.
      await previous?.catch(() => {});
      return this.watch(run, card);
    })();
    this.running = result;
    return result;
  }

  /** Ends the running check, if any, as undecided ('cancelled'): the face screen was left. */
  cancel(): void {
    this.current?.end('cancelled');
  }

  /** Ends any running check and the worker. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel();
    await this.running?.catch(() => {});
    await this.analyzer.stop();
  }

  private async watch(run: Run, card: Uint8Array): Promise<FaceCheckResult> {
    const timer = setTimeout(() => run.end('time'), Math.max(0, this.timeoutMs - run.elapsed()));
    let open = false;
    try {
      if (run.cancelled) return this.cancelled();
      open = true;
      const { usable } = await this.analyzer.openSession(card, this.settings);
      if (!usable) run.end('settled');
      run.ready = true;
      this.pump(run);
      await run.ended;
      // The frame the worker has now comes back before the session closes.
      await run.busy;
      if (run.failure) throw run.failure;
      open = false;
      const verdict = await this.analyzer.closeSession(run.elapsed());
      const result = run.cancelled ? this.cancelled() : faceCheckResult(verdict, this.settings.policy, run);
      log.info(
        {
          decision: result.decision,
          reasons: result.reasons,
          liveness: result.liveness.passed,
          end: run.endReason,
          frames: { received: run.received, ...verdict.frames },
          ms: {
            total: Math.round(run.elapsed()),
            card: Math.round(verdict.ms.card),
            perFrame: verdict.frames.analysed
              ? Math.round(verdict.ms.analysis / verdict.frames.analysed)
              : null,
          },
        },
        'face check',
      );
      return result;
    } finally {
      clearTimeout(timer);
      // Only when something threw: the run ends here, and a frame still waiting is zeroed.
      if (!run.endReason) run.end('failed');
      wipe(card);
      if (this.current === run) this.current = null;
      // The session must not outlive the check, whatever failed: wipe it in the worker.
      if (open) await this.analyzer.closeSession(run.elapsed()).catch(() => {});
    }
  }

  /** Sends the waiting frame once the worker is free. */
  private pump(run: Run): void {
    if (!run.ready || run.endReason || run.busy || !run.waiting) return;
    const { jpeg, atMs } = run.waiting;
    run.waiting = null;
    run.busy = this.analyzer.sessionFrame(jpeg, atMs).then(
      (step) => {
        run.busy = null;
        // A check already over (time, cancel) tells the face screen nothing more.
        if (run.endReason) return;
        if (step.settled) run.end('settled');
        this.feedback(step.reasons);
        this.pump(run);
      },
      (error: unknown) => {
        run.busy = null;
        run.failure = error;
        run.end('failed');
      },
    );
    // Moved to the worker (detached) or copied there; nothing of it stays here either way.
    wipe(jpeg);
  }

  private feedback(reasons: string[]): void {
    try {
      this.onFeedback?.(reasons);
    } catch (error) {
      log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'face feedback listener failed',
      );
    }
  }

  private cancelled(): FaceCheckResult {
    const { active } = this.settings.liveness;
    return undecidedResult('cancelled', this.settings.policy, active.enabled ? active.kind : 'none');
  }
}

/** Zeroes bytes still here; a buffer moved to the worker is detached already (and fill would throw). */
function wipe(bytes: Uint8Array): void {
  if (bytes.byteLength > 0) bytes.fill(0);
}
