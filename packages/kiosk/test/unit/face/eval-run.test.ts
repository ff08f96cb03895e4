import { describe, expect, it } from 'vitest';
import type { AnalyzeOptions, FaceEngine } from '../../../src/face/engine/face-engine.ts';
import {
  analysesNeeded,
  checkImagesExist,
  DescriptorCache,
  evaluatePairs,
  type ImageRole,
} from '../../../src/face/eval/run.ts';
import { ImageDecodeError } from '../../../src/face/image/errors.ts';
import { createFrame, type Frame } from '../../../src/face/image/frame.ts';

/**
 * A stand-in engine: the frame's first byte says whose face it is (0 = no face), and the descriptor
 * puts that person at a distance of 0.1 × |difference| from the others, plus 0.05 for the card role.
 */
function fakeEngine() {
  const calls: { id: number; pad: boolean }[] = [];
  const engine = {
    async analyze(frame: Frame, options: AnalyzeOptions = {}) {
      const id = frame.data[0]!;
      calls.push({ id, pad: options.pad ?? false });
      const descriptor = new Float32Array(128);
      descriptor[0] = id * 0.1;
      descriptor[1] = options.pad ? 0.05 : 0;
      return {
        width: frame.width,
        height: frame.height,
        faces: [],
        descriptor: id === 0 ? undefined : descriptor,
        ms: { prepare: 1, detect: 2, descriptor: 3 },
      };
    },
  };
  return { engine: engine as unknown as FaceEngine, calls };
}

/** Image "p<person>-<n>" shows person <person>; "noface-*" shows nobody; "bad-*" will not decode. */
async function loadFrame(path: string, _role: ImageRole): Promise<Frame> {
  if (path.startsWith('bad-')) throw new ImageDecodeError('unsupported-format', `${path}: not an image`);
  const frame = createFrame(2, 2);
  frame.data[0] = path.startsWith('noface') ? 0 : Number(/^p(\d+)/.exec(path)![1]);
  return frame;
}

describe('DescriptorCache and evaluatePairs', () => {
  it('analyses each image at most once per role, pathA padded as a card photo', async () => {
    const { engine, calls } = fakeEngine();
    const cache = new DescriptorCache(engine, { loadFrame });
    const pairs = [
      { a: 'p1-a', b: 'p1-b', same: true },
      { a: 'p1-a', b: 'p2-a', same: false },
      { a: 'p2-a', b: 'p1-b', same: false },
      { a: 'p1-b', b: 'p1-a', same: true },
    ];
    expect(analysesNeeded(pairs)).toBe(6);
    const report = await evaluatePairs(pairs, cache);
    expect(calls).toHaveLength(6);
    expect(cache.analysed).toBe(6);
    expect(calls.filter((c) => c.pad)).toHaveLength(3);
    expect(report.scores.map((s) => s.distance)).toEqual([
      expect.closeTo(0.05, 6),
      expect.closeTo(Math.hypot(0.1, 0.05), 6),
      expect.closeTo(Math.hypot(0.1, 0.05), 6),
      expect.closeTo(0.05, 6),
    ]);
    expect(report.eer).toEqual({ rate: 0, threshold: expect.closeTo(0.05, 6) });
    expect(report.farResolution).toBe(0.5);
    expect(report.ms.analysis).toMatchObject({
      analyses: 6,
      mean: { decode: expect.any(Number), detect: 2 },
    });
    // A second list over the same images costs no analysis.
    const again = await evaluatePairs([{ a: 'p2-a', b: 'p2-b', same: true }], cache);
    expect(again.counts.analyses).toBe(1);
    expect(cache.analysed).toBe(7);
  });

  it('counts a pair with no face or an undecodable image as a reject, never drops it', async () => {
    const { engine } = fakeEngine();
    const undecodable: string[] = [];
    const cache = new DescriptorCache(engine, { loadFrame, onUndecodable: (path) => undecodable.push(path) });
    const report = await evaluatePairs(
      [
        { a: 'p1-a', b: 'p1-b', same: true },
        { a: 'noface-1', b: 'p1-b', same: true },
        { a: 'p1-a', b: 'noface-2', same: false },
        { a: 'bad-1', b: 'p2-a', same: false },
        { a: 'p2-b', b: 'p1-b', same: false },
      ],
      cache,
    );
    expect(report.scores.map((s) => [s.distance === null, s.noFace, s.undecodable])).toEqual([
      [false, [], []],
      [true, ['a'], []],
      [true, ['b'], []],
      [true, [], ['a']],
      [false, [], []],
    ]);
    expect(report.counts).toMatchObject({
      pairs: 5,
      genuine: 2,
      impostor: 3,
      unscored: { genuine: 1, impostor: 2 },
      noFace: { pairs: 2, genuine: 1, impostor: 1 },
      undecodable: { pairs: 1, images: ['bad-1'] },
    });
    expect(undecodable).toEqual(['bad-1']);
    // The genuine pair without a face is a false reject at every threshold.
    expect(report.roc.at(-1)).toEqual({ threshold: expect.any(Number), far: 1 / 3, frr: 0.5 });
    await cache.wipe();
  });

  it('lets other errors through', async () => {
    const { engine } = fakeEngine();
    const cache = new DescriptorCache(engine, {
      loadFrame: async () => {
        throw new Error('disk on fire');
      },
    });
    await expect(evaluatePairs([{ a: 'p1', b: 'p2', same: false }], cache)).rejects.toThrow('disk on fire');
  });

  it('names the first image that is not there, with the pairs file and line', async () => {
    await expect(
      checkImagesExist(
        [{ a: '/nonexistent/a.jpg', b: '/nonexistent/b.jpg', same: true, line: 7 }],
        'pairs.txt',
      ),
    ).rejects.toThrow('pairs.txt:7: image not found: /nonexistent/a.jpg');
  });
});
