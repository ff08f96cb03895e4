import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accuracyReport,
  allPairs,
  countPairs,
  distanceSummary,
  equalErrorRate,
  impostorsNeeded,
  operatingPointAtFar,
  PairsFileError,
  parsePairs,
  ratesAt,
  readPairsFile,
  rocPoints,
  type ScoredPair,
} from '../../../src/face/eval.ts';

const pairs = (genuine: number[], impostor: number[]): ScoredPair[] => [
  ...genuine.map((distance) => ({ distance, same: true })),
  ...impostor.map((distance) => ({ distance, same: false })),
];

describe('rocPoints', () => {
  it('gives FAR and FRR at every distinct score, ties accepted together', () => {
    expect(rocPoints(pairs([0.2, 0.3, 0.4], [0.3, 0.5, 0.6, 0.7]))).toEqual([
      { threshold: 0.2, far: 0, frr: 2 / 3 },
      { threshold: 0.3, far: 0.25, frr: 1 / 3 },
      { threshold: 0.4, far: 0.25, frr: 0 },
      { threshold: 0.5, far: 0.5, frr: 0 },
      { threshold: 0.6, far: 0.75, frr: 0 },
      { threshold: 0.7, far: 1, frr: 0 },
    ]);
  });

  it('never accepts a pair without a distance: a genuine one stays a false reject', () => {
    const scored = pairs([0.2, Number.POSITIVE_INFINITY], [0.8, Number.POSITIVE_INFINITY]);
    expect(rocPoints(scored)).toEqual([
      { threshold: 0.2, far: 0, frr: 0.5 },
      { threshold: 0.8, far: 0.5, frr: 0.5 },
    ]);
    expect(countPairs(scored)).toEqual({
      pairs: 4,
      genuine: 2,
      impostor: 2,
      unscored: { genuine: 1, impostor: 1 },
    });
  });

  it('is empty without a finite score', () => {
    expect(rocPoints([])).toEqual([]);
    expect(rocPoints(pairs([Number.NaN], []))).toEqual([]);
  });
});

describe('equalErrorRate', () => {
  it('is exact where FAR and FRR meet at a score', () => {
    expect(equalErrorRate(pairs([0.1, 0.2, 0.3, 0.4], [0.35, 0.5, 0.6, 0.7]))).toEqual({
      rate: 0.25,
      threshold: 0.35,
    });
  });

  it('interpolates rate and threshold linearly between the points around the crossing', () => {
    // At 0.3: FAR 1/4, FRR 1/3 (FAR − FRR = −1/12); at 0.4: FAR 1/4, FRR 0 (+1/4). A quarter of the way.
    const eer = equalErrorRate(pairs([0.2, 0.3, 0.4], [0.3, 0.5, 0.6, 0.7]))!;
    expect(eer.rate).toBeCloseTo(0.25, 12);
    expect(eer.threshold).toBeCloseTo(0.325, 12);
  });

  it('is 0 for separated scores, at the first threshold where both rates are 0', () => {
    expect(equalErrorRate(pairs([0.2, 0.3], [0.6, 0.7]))).toEqual({ rate: 0, threshold: 0.3 });
  });

  it('is 1 when every impostor scores below every genuine pair', () => {
    expect(equalErrorRate(pairs([0.5, 0.6], [0.1]))).toEqual({ rate: 1, threshold: 0.1 });
  });

  it('is null without impostors or without genuine pairs', () => {
    expect(equalErrorRate(pairs([0.2, 0.4], []))).toBeNull();
    expect(equalErrorRate(pairs([], [0.2, 0.4]))).toBeNull();
  });
});

describe('operatingPointAtFar', () => {
  // 200 impostors: 0.45, 0.55, then 198 from 0.9 up. FAR 1 % allows two false accepts.
  const impostors = [0.45, 0.55, ...Array.from({ length: 198 }, (_, i) => 0.9 + i * 1e-4)];
  const scored = pairs([0.3, 0.5, 0.6, 0.8, 0.95], impostors);

  it('takes the largest threshold whose FAR is within the target', () => {
    expect(operatingPointAtFar(scored, 0.01)).toEqual({
      targetFar: 0.01,
      threshold: 0.8,
      far: 0.01,
      frr: 0.2,
      falseAccepts: 2,
      falseRejects: 1,
      impostorsNeeded: 100,
      resolvable: true,
    });
  });

  it('flags targets the impostor count cannot show', () => {
    for (const target of [0.001, 0.0001]) {
      const p = operatingPointAtFar(scored, target);
      expect(p).toMatchObject({ threshold: 0.3, far: 0, frr: 0.8, falseAccepts: 0, falseRejects: 4 });
      expect(p.resolvable).toBe(false);
      expect(p.impostorsNeeded).toBe(Math.round(1 / target));
    }
  });

  it('stops below a genuine score tied with an impostor that would break the target', () => {
    const tied = pairs([0.3, 0.5], [0.5, ...Array(99).fill(0.8)]);
    expect(operatingPointAtFar(tied, 0.001)).toMatchObject({ threshold: 0.3, far: 0, frr: 0.5 });
    // At 1 % (one false accept among 100 allowed) the tie is accepted with the genuine pair.
    expect(operatingPointAtFar(tied, 0.01)).toMatchObject({
      threshold: 0.5,
      far: 0.01,
      frr: 0,
      resolvable: true,
    });
  });

  it('has no threshold when the closest pair is an impostor beyond the target: nothing accepted', () => {
    const p = operatingPointAtFar(pairs([0.6], [0.2, ...Array(100).fill(0.9)]), 0.001);
    expect(p).toMatchObject({ threshold: null, far: 0, frr: 1, falseRejects: 1, resolvable: false });
  });

  it('without impostors accepts every scored pair and is not resolvable', () => {
    const p = operatingPointAtFar(pairs([0.2, 0.4, Number.POSITIVE_INFINITY], []), 0.01);
    expect(p).toMatchObject({ threshold: 0.4, far: 0, frr: 1 / 3, falseRejects: 1, resolvable: false });
  });

  it('is resolvable from exactly 1 / target impostor pairs', () => {
    expect(impostorsNeeded(0.01)).toBe(100);
    expect(impostorsNeeded(0.001)).toBe(1000);
    expect(impostorsNeeded(0.0001)).toBe(10_000);
    const at = (n: number, target: number) =>
      operatingPointAtFar(pairs([0.1], Array(n).fill(0.9)), target).resolvable;
    expect(at(99, 0.01)).toBe(false);
    expect(at(100, 0.01)).toBe(true);
    expect(at(999, 0.001)).toBe(false);
    expect(at(1000, 0.001)).toBe(true);
    expect(at(9999, 0.0001)).toBe(false);
    expect(at(10_000, 0.0001)).toBe(true);
  });

  it('refuses a target outside (0, 1)', () => {
    expect(() => operatingPointAtFar(scored, 0)).toThrow(RangeError);
    expect(() => operatingPointAtFar(scored, 1)).toThrow(RangeError);
  });
});

describe('ratesAt', () => {
  it('counts false accepts and rejects at a given threshold, ties accepted, no distance rejected', () => {
    const scored = pairs([0.3, 0.5, Number.POSITIVE_INFINITY], [0.5, 0.7]);
    expect(ratesAt(scored, 0.5)).toEqual({
      threshold: 0.5,
      far: 0.5,
      frr: 1 / 3,
      falseAccepts: 1,
      falseRejects: 1,
    });
    expect(ratesAt(scored, 0.4)).toEqual({
      threshold: 0.4,
      far: 0,
      frr: 2 / 3,
      falseAccepts: 0,
      falseRejects: 2,
    });
    expect(ratesAt([], 0.4)).toEqual({ threshold: 0.4, far: 0, frr: 0, falseAccepts: 0, falseRejects: 0 });
  });
});

describe('accuracyReport', () => {
  it('puts counts, ROC, EER and the three FAR targets together', () => {
    const r = accuracyReport(pairs([0.1, 0.2, 0.3, 0.4], [0.35, 0.5, 0.6, 0.7]));
    expect(r.counts).toEqual({ pairs: 8, genuine: 4, impostor: 4, unscored: { genuine: 0, impostor: 0 } });
    expect(r.roc).toHaveLength(8);
    expect(r.eer).toEqual({ rate: 0.25, threshold: 0.35 });
    expect(r.atFar.map((p) => [p.targetFar, p.threshold, p.frr, p.resolvable])).toEqual([
      [0.01, 0.3, 0.25, false],
      [0.001, 0.3, 0.25, false],
      [0.0001, 0.3, 0.25, false],
    ]);
  });

  it('summarises the finite distances of each kind', () => {
    expect(distanceSummary(pairs([0.1, 0.3, Number.POSITIVE_INFINITY], [0.9]))).toEqual({
      genuine: { min: 0.1, median: 0.2, max: 0.3 },
      impostor: { min: 0.9, median: 0.9, max: 0.9 },
    });
    expect(distanceSummary([])).toEqual({ genuine: null, impostor: null });
  });
});

describe('pairs files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'face-eval-pairs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'pairs.txt');

  it('reads pairs relative to the file, skipping comments and blank lines', () => {
    const text = '# card live label\n\na.jpg b.jpg same\r\n  sub/c.jpg\t/abs/d.png   diff  \n';
    expect(parsePairs(text, file)).toEqual([
      { a: join(dir, 'a.jpg'), b: join(dir, 'b.jpg'), same: true, line: 3 },
      { a: join(dir, 'sub/c.jpg'), b: '/abs/d.png', same: false, line: 4 },
    ]);
  });

  it('names the file and the line of a malformed line', () => {
    expect(() => parsePairs('a.jpg b.jpg same\n\na.jpg same\n', 'list.txt')).toThrow(
      new PairsFileError('list.txt', 3, 'expected "pathA pathB same|diff", found 2 field(s)'),
    );
    expect(() => parsePairs('a.jpg b.jpg same\na.jpg b.jpg yes\n', 'list.txt')).toThrow(
      'list.txt:2: label must be "same" or "diff", not "yes"',
    );
    expect(() => parsePairs('a b c same\n', 'list.txt')).toThrow(/^list\.txt:1: /);
  });

  it('refuses a file without pairs, and names a file that cannot be read', async () => {
    expect(() => parsePairs('# nothing\n\n', 'empty.txt')).toThrow('empty.txt: no pairs in the file');
    await expect(readPairsFile(join(dir, 'missing.txt'))).rejects.toThrow(
      /missing\.txt: cannot be read \(ENOENT\)/,
    );
    writeFileSync(file, 'x.jpg y.jpg diff\n');
    await expect(readPairsFile(file)).resolves.toEqual([
      { a: join(dir, 'x.jpg'), b: join(dir, 'y.jpg'), same: false, line: 1 },
    ]);
  });
});

describe('all-vs-all pairs', () => {
  it('builds every unordered pair once, same when the identities match', () => {
    const ids = new Map([
      ['img1.jpg', 'ann'],
      ['img2.jpg', 'bob'],
      ['img3.jpg', 'ann'],
    ]);
    expect(allPairs(ids)).toEqual([
      { a: 'img1.jpg', b: 'img2.jpg', same: false },
      { a: 'img1.jpg', b: 'img3.jpg', same: true },
      { a: 'img2.jpg', b: 'img3.jpg', same: false },
    ]);
  });
});
