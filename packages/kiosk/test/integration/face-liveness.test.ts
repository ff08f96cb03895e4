/**
 * Liveness on real photos of ../shared/faces/set-a (skipped with a message where absent): the
 * passive models load and score, a real photo is live, presentation-attack imitations made from the
 * same photos (photo of a photo, printed photo, phone screen) are measured, and the active
 * challenge turns a held-up photo into a 'spoof'. Also the `face liveness` command in-process and,
 * once it is wired under `kiosk face`, from outside.
 *
 * What the passive models can and cannot do here is stated by the tests as measured (see
 * src/face/liveness/passive.ts): they score the imitations lower on average, but most imitations
 * still pass their threshold. The active challenge is what defeats a photo.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { phoneScreen, printedPhoto } from '@myna/devtools/face/imitations.js';
import {
  facePath,
  facesSkipReason,
  loadFace,
  photoOfPhoto,
} from '@myna/devtools/test-support/face-images.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { faceLivenessCommand } from '../../src/cli/face-liveness-command.ts';
import { loadBackend } from '../../src/face/engine/backend.ts';
import { FaceEngine } from '../../src/face/engine/face-engine.ts';
import { ImageDecodeError } from '../../src/face/image/errors.ts';
import { type Frame, wipeFrame } from '../../src/face/image/frame.ts';
import { resizeToMaxSide } from '../../src/face/image/ops.ts';
import {
  assessLiveness,
  DEFAULT_LIVENESS_CONFIG,
  type LivenessConfig,
} from '../../src/face/liveness/liveness.ts';
import {
  DEFAULT_PASSIVE_THRESHOLDS,
  loadPassiveModels,
  type PassiveModels,
  type PassiveResult,
  scorePassive,
} from '../../src/face/liveness/passive.ts';

const skip = facesSkipReason();
if (skip) console.warn(skip);

/** Not picked for the result: the first eight photos of set-a by number. */
const PHOTOS = [
  'img1.jpg',
  'img2.jpg',
  'img3.jpg',
  'img4.jpg',
  'img5.jpg',
  'img6.jpg',
  'img7.jpg',
  'img8.jpg',
];

const IMITATIONS: Record<string, (f: Frame) => Frame> = {
  'photo of a photo': (f) => photoOfPhoto(f),
  'printed photo': printedPhoto,
  'phone screen': phoneScreen,
};

const passiveOnly: LivenessConfig = {
  ...DEFAULT_LIVENESS_CONFIG,
  active: { ...DEFAULT_LIVENESS_CONFIG.active, enabled: false },
};
const blinkToo: LivenessConfig = DEFAULT_LIVENESS_CONFIG;

describe.skipIf(skip)('liveness on real photos', () => {
  let engine: FaceEngine;
  let models: PassiveModels;
  const photos = new Map<string, Frame>();
  const realLiveness: number[] = [];

  beforeAll(async () => {
    engine = await FaceEngine.load();
    const { tf } = await loadBackend();
    models = await loadPassiveModels(tf);
    // At about camera size (the engine analyses at 640 px anyway): the imitations are made faster.
    for (const name of PHOTOS) {
      const full = await loadFace(name);
      photos.set(name, resizeToMaxSide(full, 800));
      wipeFrame(full);
    }
  });

  afterAll(() => {
    for (const frame of photos.values()) wipeFrame(frame);
  });

  const score = async (frame: Frame): Promise<PassiveResult> => {
    const { tf } = await loadBackend();
    return scorePassive(tf, models, frame, await engine.analyze(frame));
  };

  it('loads both models from models/human with the inputs human documents', () => {
    expect(models.dir).toMatch(/models[/\\]human$|@vladmandic[/\\]human[/\\]models$/);
    expect(models.antispoof.inputs[0]!.shape).toEqual([-1, 128, 128, 3]);
    expect(models.liveness.inputs[0]!.shape).toEqual([-1, 32, 32, 3]);
  });

  it('outputs: one sigmoid from antispoof, a two-way softmax from liveness', async () => {
    const { tf } = await loadBackend();
    const [a, l] = tf.tidy(() => [
      models.antispoof.execute(tf.zeros([1, 128, 128, 3])) as ReturnType<typeof tf.zeros>,
      models.liveness.execute(tf.zeros([1, 32, 32, 3])) as ReturnType<typeof tf.zeros>,
    ]);
    expect(a!.shape).toEqual([1, 1]);
    expect(l!.shape).toEqual([1, 2]);
    const softmax = await l!.data();
    expect(softmax[0]! + softmax[1]!).toBeCloseTo(1, 5);
    tf.dispose([a!, l!]);
  });

  it('real photos: every one passes the passive check at the default thresholds', async () => {
    for (const [name, frame] of photos) {
      const result = await score(frame);
      realLiveness.push(result.liveness!);
      expect(result.antispoof, name).toBeGreaterThan(0);
      expect(result.antispoof, name).toBeLessThanOrEqual(1);
      expect(result.live, `${name}: ${JSON.stringify(result)}`).toBe(true);
    }
  });

  it('imitations: measured and reported; they score lower on average but are not reliably caught', async () => {
    const real = realLiveness;
    expect(real).toHaveLength(PHOTOS.length);
    const meanReal = real.reduce((a, b) => a + b, 0) / real.length;
    const lines = [`real: mean liveness ${meanReal.toFixed(3)}, ${real.length}/${real.length} live`];
    for (const [kind, make] of Object.entries(IMITATIONS)) {
      const scores: PassiveResult[] = [];
      for (const frame of photos.values()) {
        const spoof = make(frame);
        const result = await score(spoof);
        wipeFrame(spoof);
        if (result.liveness !== null) scores.push(result);
      }
      const mean = scores.reduce((a, r) => a + r.liveness!, 0) / scores.length;
      const caught = scores.filter((r) => !r.live).length;
      lines.push(
        `${kind}: mean liveness ${mean.toFixed(3)}, ${caught}/${scores.length} refused by the passive check`,
      );
      expect(scores.length).toBeGreaterThan(0);
      // The honest claim: lower on average than the real photos. Not: refused.
      expect(mean, kind).toBeLessThan(meanReal);
    }
    console.info(
      `passive liveness (thresholds ${JSON.stringify(DEFAULT_PASSIVE_THRESHOLDS)}):\n  ${lines.join('\n  ')}`,
    );
  });

  it('a single still frame with the blink challenge on: undecided, challenge-not-completed', async () => {
    const result = await assessLiveness(engine, [photos.get('img1.jpg')!], blinkToo);
    expect(result.decision).toBe('undecided');
    expect(result.live).toBe(false);
    expect(result.reasons).toEqual(['challenge-not-completed']);
    expect(result.passive.live).toBe(true);
    expect(result.active).toMatchObject({ kind: 'blink', state: 'pending' });
  });

  it('passive only: a real photo is live', async () => {
    const result = await assessLiveness(engine, [photos.get('img2.jpg')!], passiveOnly);
    expect(result).toMatchObject({ live: true, decision: 'live', reasons: [], active: null });
    expect(result.frames).toHaveLength(1);
    expect(result.ms.total).toBeGreaterThan(0);
  });

  it('a printed photo and a phone screen held up through the blink deadline: spoof, no-blink', async () => {
    for (const make of [printedPhoto, phoneScreen]) {
      const spoof = make(photos.get('img1.jpg')!);
      // The same still, one frame every 2 s: the fourth (6 s) reaches the 6 s deadline.
      const frames = Array.from({ length: 4 }, () => spoof);
      const config = { ...blinkToo, active: { ...blinkToo.active, frameIntervalMs: 2000 } };
      const result = await assessLiveness(engine, frames, config);
      wipeFrame(spoof);
      expect(result.decision).toBe('spoof');
      expect(result.reasons).toContain('no-blink');
      expect(result.active).toMatchObject({ state: 'failed', reason: 'no-blink' });
    }
  });

  it('a frame without a face: undecided, no-face', async () => {
    const blank = { width: 320, height: 240, data: new Uint8ClampedArray(320 * 240 * 4).fill(128) };
    const result = await assessLiveness(engine, [blank], passiveOnly);
    expect(result).toMatchObject({ live: false, decision: 'undecided', reasons: ['no-face'] });
    expect(result.passive.scoredFrames).toBe(0);
  });
});

describe.skipIf(skip)('face liveness command', () => {
  const runInProcess = async (...args: string[]) => {
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      await faceLivenessCommand().exitOverride().parseAsync(args, { from: 'user' });
    } finally {
      write.mockRestore();
    }
    return out;
  };

  it('--json: decision, reasons, per-frame scores, thresholds, backend, timings', async () => {
    const report = JSON.parse(
      await runInProcess('--live', facePath('img1.jpg'), facePath('img2.jpg'), '--json'),
    );
    expect(report).toMatchObject({ live: true, decision: 'live', reasons: [], active: null });
    expect(report.passive.thresholds).toEqual(DEFAULT_PASSIVE_THRESHOLDS);
    expect(report.frames).toHaveLength(2);
    expect(report.frames[0].passive.liveness).toBeGreaterThan(DEFAULT_PASSIVE_THRESHOLDS.liveness);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(report.backend);
    expect(report.ms).toHaveProperty('decode');
    expect(report.ms).toHaveProperty('load');
    expect(report.ms).toHaveProperty('total');
  });

  it('--challenge blink on one still: undecided, and the human lines say why', async () => {
    const out = await runInProcess('--live', facePath('img1.jpg'), '--challenge', 'blink');
    expect(out).toMatch(/^decision: +undecided \(challenge-not-completed\)$/m);
    expect(out).toMatch(/^challenge: +blink: pending/m);
    expect(out).toMatch(/^backend: /m);
  });

  it('an image that will not decode: a typed error for the one-line report', async () => {
    await expect(runInProcess('--live', facePath('pairs.txt'), '--json')).rejects.toBeInstanceOf(
      ImageDecodeError,
    );
  });

  const wired = readFileSync(new URL('../../src/cli/face-command.ts', import.meta.url), 'utf8').includes(
    'faceLivenessCommand',
  );
  it.skipIf(!wired)(
    'from outside: kiosk face liveness --json, and one line + exit 11 for a bad image',
    async () => {
      const run = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            ['bin/kiosk.js', 'face', 'liveness', ...args],
            { timeout: 120_000 },
            (e, stdout, stderr) =>
              resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
          );
        });
      const ok = await run('--live', facePath('img1.jpg'), '--json');
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ decision: 'live' });
      const bad = await run('--live', facePath('pairs.txt'));
      expect(bad.code).toBe(11);
      expect(
        bad.stderr
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('kiosk:')),
      ).toHaveLength(1);
    },
  );
  if (!wired) console.warn('face liveness is not yet wired under `kiosk face`: the outside CLI test skips');
});
