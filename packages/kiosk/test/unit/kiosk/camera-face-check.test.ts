/**
 * CameraFaceCheck's timing and buffering rules, with a stand-in for the face worker whose frame
 * analyses finish when the test says so: which frames reach the worker, which are zeroed, when a
 * check ends, what the face screen is told, and that the worker's session is always closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIVENESS_CONFIG, type LivenessConfig } from '../../../src/face/liveness/liveness.ts';
import { DEFAULT_MATCH_POLICY } from '../../../src/face/match-policy.ts';
import type { FrameStep, LiveVerdict } from '../../../src/face/worker/live-session.ts';
import { CameraFaceCheck, type LiveFaceAnalyzer } from '../../../src/kiosk/camera-face-check.ts';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Lets promise callbacks run. */
const settle = () => sleep(0);

const liveVerdict = (overrides: Partial<LiveVerdict> = {}): LiveVerdict => ({
  match: {
    outcome: 'accept',
    score: 0.3,
    threshold: 0.52,
    reasons: [],
    usableFrames: 1,
    msFromFirstUsable: 0,
  },
  liveness: { live: true, decision: 'live', reasons: [], challenge: 'blink', passiveScore: 0.95 },
  frames: { analysed: 1, undecodable: 0 },
  ms: { card: 5, analysis: 5 },
  ...overrides,
});

/** Records what reaches the worker; each frame's analysis waits for `finish`. */
class FakeWorker implements LiveFaceAnalyzer {
  readonly log: string[] = [];
  /** First byte of each frame the worker received (frames in these tests are filled with one value). */
  readonly frames: number[] = [];
  readonly cardPhotos: Uint8Array[] = [];
  private readonly analyses: Deferred<FrameStep>[] = [];
  usable = true;
  verdict: LiveVerdict = liveVerdict();
  openGate: Promise<void> = Promise.resolve();

  async openSession(cardPhoto: Uint8Array): Promise<{ usable: boolean }> {
    this.cardPhotos.push(cardPhoto);
    this.log.push('open');
    await this.openGate;
    return { usable: this.usable };
  }

  sessionFrame(jpeg: Uint8Array): Promise<FrameStep> {
    this.frames.push(jpeg[0]!);
    this.log.push(`frame ${jpeg[0]}`);
    const analysis = deferred<FrameStep>();
    this.analyses.push(analysis);
    return analysis.promise;
  }

  async closeSession(): Promise<LiveVerdict> {
    this.log.push('close');
    return this.verdict;
  }

  async stop(): Promise<void> {
    this.log.push('stop');
  }

  /** Ends the analysis of the oldest frame still with the worker. */
  finish(step: FrameStep = { reasons: [], settled: false }): void {
    const next = this.analyses.shift();
    if (!next) throw new Error('no frame is being analysed');
    this.log.push(`done ${step.reasons.join(',')}`);
    next.resolve(step);
  }

  fail(error: Error): void {
    this.analyses.shift()!.reject(error);
  }

  get analysing(): number {
    return this.analyses.length;
  }
}

const frameOf = (value: number, size = 16) => new Uint8Array(size).fill(value);
const card = () => new Uint8Array([0xff, 0x4f, 0xff, 0x51, 7, 7, 7]);
const blinkOff: LivenessConfig = {
  ...DEFAULT_LIVENESS_CONFIG,
  active: { ...DEFAULT_LIVENESS_CONFIG.active, enabled: false },
};

let checks: CameraFaceCheck[] = [];
function make(options: ConstructorParameters<typeof CameraFaceCheck>[1] = {}) {
  const worker = new FakeWorker();
  const feedback: string[][] = [];
  const check = new CameraFaceCheck(worker, {
    timeoutMs: 5_000,
    onFeedback: (reasons) => feedback.push(reasons),
    ...options,
  });
  checks.push(check);
  /** Starts a check and lets it reach the worker; `running` is its result. */
  const begin = async (photo = card()) => {
    const running = check.check(photo);
    await settle();
    return { running };
  };
  return { worker, check, feedback, begin };
}

afterEach(async () => {
  for (const check of checks) check.cancel();
  checks = [];
});

describe('CameraFaceCheck: which frames count', () => {
  it('drops and zeroes frames that arrive while no check runs, before and after one', async () => {
    const { worker, check, begin } = make();
    const early = frameOf(1);
    check.frame(early);
    expect([...early]).toEqual(new Array(16).fill(0));

    const { running } = await begin();
    check.frame(frameOf(2));
    worker.finish({ reasons: [], settled: true });
    await running;

    const late = frameOf(3);
    check.frame(late);
    expect([...late]).toEqual(new Array(16).fill(0));
    expect(worker.frames).toEqual([2]);
  });

  it('keeps only the newest frame while the worker is busy; the ones it replaces are zeroed', async () => {
    const { worker, check, begin } = make();
    const { running } = await begin();
    check.frame(frameOf(1));
    const replaced = frameOf(2);
    check.frame(replaced);
    check.frame(frameOf(3));
    expect([...replaced]).toEqual(new Array(16).fill(0));
    expect(worker.analysing).toBe(1);

    worker.finish();
    await settle();
    expect(worker.frames).toEqual([1, 3]);
    worker.finish({ reasons: [], settled: true });
    await running;
  });

  it('holds the newest frame that arrives while the card photo is analysed, and sends it after', async () => {
    const { worker, check, begin } = make();
    const open = deferred<void>();
    worker.openGate = open.promise;
    const { running } = await begin();
    check.frame(frameOf(4));
    check.frame(frameOf(5));
    expect(worker.frames).toEqual([]);
    open.resolve();
    await settle();
    expect(worker.frames).toEqual([5]);
    worker.finish({ reasons: [], settled: true });
    await running;
  });

  it('refuses an oversized frame unread, and tells the face screen', async () => {
    const { worker, check, feedback, begin } = make({ maxFrameBytes: 8, timeoutMs: 100 });
    const { running } = await begin();
    const big = frameOf(9, 9);
    check.frame(big);
    expect([...big]).toEqual(new Array(9).fill(0));
    expect(feedback).toEqual([['frame-undecodable']]);
    worker.verdict = liveVerdict({
      match: { ...liveVerdict().match!, outcome: 'timeout', reasons: ['no-face'] },
    });
    worker.verdict.frames = { analysed: 0, undecodable: 0 };
    expect((await running).reasons).toEqual(['frame-undecodable']);
    expect(worker.frames).toEqual([]);
  });
});

describe('CameraFaceCheck: when a check ends', () => {
  it('ends as soon as the worker says the outcome is settled, with feedback for every analysed frame', async () => {
    const { worker, check, feedback, begin } = make();
    const { running } = await begin();
    check.frame(frameOf(1));
    worker.finish({ reasons: ['too-far'], settled: false });
    await settle();
    check.frame(frameOf(2));
    worker.finish({ reasons: ['challenge-blink'], settled: false });
    await settle();
    check.frame(frameOf(3));
    worker.finish({ reasons: [], settled: true });
    const result = await running;
    expect(feedback).toEqual([['too-far'], ['challenge-blink'], []]);
    expect(result).toEqual({
      decision: 'accept',
      score: 0.3,
      threshold: DEFAULT_MATCH_POLICY.threshold,
      calibratedFar: DEFAULT_MATCH_POLICY.calibratedFar,
      reasons: [],
      liveness: { passed: true, challenge: 'blink', passiveScore: 0.95 },
    });
    expect(worker.log.at(-1)).toBe('close');
  });

  it('no frame within the time: undecided, no-camera, and the worker session is closed', async () => {
    const { worker, check } = make({ timeoutMs: 150, liveness: blinkOff });
    worker.verdict = liveVerdict({
      match: { ...liveVerdict().match!, outcome: 'timeout', score: null, reasons: ['no-face'] },
      liveness: {
        live: false,
        decision: 'undecided',
        reasons: ['no-face'],
        challenge: 'none',
        passiveScore: null,
      },
      frames: { analysed: 0, undecodable: 0 },
    });
    const started = performance.now();
    const result = await check.check(card());
    const took = performance.now() - started;
    expect(result).toEqual({
      decision: 'undecided',
      score: null,
      threshold: DEFAULT_MATCH_POLICY.threshold,
      calibratedFar: DEFAULT_MATCH_POLICY.calibratedFar,
      reasons: ['no-camera'],
      liveness: { passed: false, challenge: 'none' },
    });
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(2_000);
    expect(worker.log).toEqual(['open', 'close']);
  });

  it('at the time limit the frame with the worker comes back before the session closes; the waiting one is zeroed', async () => {
    const { worker, check, feedback } = make({ timeoutMs: 150 });
    worker.verdict = liveVerdict({
      match: { ...liveVerdict().match!, outcome: 'timeout', reasons: ['blurred'] },
    });
    const running = check.check(card());
    await settle();
    check.frame(frameOf(1));
    const waiting = frameOf(2);
    check.frame(waiting);
    await sleep(250);
    expect([...waiting]).toEqual(new Array(16).fill(0));
    expect(worker.log).toEqual(['open', 'frame 1']);
    worker.finish({ reasons: ['blurred'], settled: false });
    const result = await running;
    expect(worker.log).toEqual(['open', 'frame 1', 'done blurred', 'close']);
    // The check was over when that frame came back: the face screen has moved on.
    expect(feedback).toEqual([]);
    expect(result).toMatchObject({ decision: 'undecided', reasons: ['blurred'] });
  });

  it('cancel(): undecided, cancelled, and the session is closed', async () => {
    const { worker, check, begin } = make();
    const { running } = await begin();
    check.cancel();
    const result = await running;
    expect(result).toMatchObject({ decision: 'undecided', reasons: ['cancelled'], score: null });
    expect(result.liveness).toEqual({ passed: false, challenge: 'blink' });
    expect(worker.log).toEqual(['open', 'close']);
  });

  it('a new check ends one still running as cancelled, and opens only after that one closed', async () => {
    const { worker, check } = make();
    const first = check.check(card());
    await settle();
    check.frame(frameOf(1));
    const second = check.check(card());
    check.frame(frameOf(2));
    await settle();
    expect(worker.log).toEqual(['open', 'frame 1']);
    worker.finish();
    expect(await first).toMatchObject({ reasons: ['cancelled'] });
    await settle();
    expect(worker.log).toEqual(['open', 'frame 1', 'done ', 'close', 'open', 'frame 2']);
    worker.finish({ reasons: [], settled: true });
    expect(await second).toMatchObject({ decision: 'accept' });
  });

  it('a card photo the worker cannot use: undecided with its reason, no frame analysed', async () => {
    const { worker, check } = make();
    worker.usable = false;
    worker.verdict = liveVerdict({ match: null, problem: 'card-photo-undecodable' });
    const result = await check.check(card());
    expect(result).toMatchObject({ decision: 'undecided', reasons: ['card-photo-undecodable'], score: null });
    expect(worker.log).toEqual(['open', 'close']);
  });

  it('a failing worker rejects the check, and the session is still closed', async () => {
    const waiting = frameOf(2);
    const { worker, check, begin } = make();
    const { running } = await begin();
    check.frame(frameOf(1));
    check.frame(waiting);
    worker.fail(new Error('the face worker stopped (exit 1)'));
    await expect(running).rejects.toThrow('the face worker stopped');
    expect([...waiting]).toEqual(new Array(16).fill(0));
    expect(worker.log).toEqual(['open', 'frame 1', 'close']);
  });

  it('a feedback listener that throws does not stop the check', async () => {
    const { worker, check, begin } = make({
      onFeedback: () => {
        throw new Error('renderer gone');
      },
    });
    const { running } = await begin();
    check.frame(frameOf(1));
    worker.finish({ reasons: [], settled: true });
    expect(await running).toMatchObject({ decision: 'accept' });
  });

  it('stop(): the running check ends cancelled, then the worker stops; later checks are refused', async () => {
    const { worker, check, begin } = make();
    const { running } = await begin();
    await check.stop();
    expect(await running).toMatchObject({ reasons: ['cancelled'] });
    expect(worker.log).toEqual(['open', 'close', 'stop']);
    await expect(check.check(card())).rejects.toThrow('stopped');
  });
});

describe('CameraFaceCheck: what is wiped', () => {
  it('sends the worker a copy of the card photo, leaves the caller its own, and zeroes the copy at the end', async () => {
    const { worker, check, begin } = make();
    const photo = card();
    const { running } = await begin(photo);
    check.frame(frameOf(1));
    worker.finish({ reasons: [], settled: true });
    await running;
    expect([...photo]).toEqual([...card()]);
    const sent = worker.cardPhotos[0]!;
    expect(sent).not.toBe(photo);
    expect(sent.length).toBe(photo.length);
    expect([...sent]).toEqual(new Array(photo.length).fill(0));
  });

  it('leaves nothing of a frame it sent: the bytes are zeroed once the worker has them', async () => {
    const { worker, check, begin } = make();
    const { running } = await begin();
    const sent = frameOf(7);
    check.frame(sent);
    expect(worker.frames).toEqual([7]);
    expect([...sent]).toEqual(new Array(16).fill(0));
    worker.finish({ reasons: [], settled: true });
    await running;
  });

  it('refuses a time-out that is not a positive whole number of milliseconds', () => {
    expect(() => new CameraFaceCheck(new FakeWorker(), { timeoutMs: 0 })).toThrow(RangeError);
    expect(() => new CameraFaceCheck(new FakeWorker(), { timeoutMs: 1.5 })).toThrow(RangeError);
  });
});
