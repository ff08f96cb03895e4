/**
 * `kiosk face eval --pairs` from outside, on a small pairs list written to a temporary folder that
 * points at ../shared/faces/set-a by relative paths. Skipped, with the reason printed, where the
 * images are absent.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { facePath, facesSkipReason } from '@myna/devtools/test-support/face-images.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kiosk(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/kiosk.js', ...args],
      { timeout: 120_000, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const skip = facesSkipReason();
if (skip) console.warn(`skipping kiosk face eval tests: ${skip}`);

const GENUINE = [
  ['img1.jpg', 'img2.jpg'],
  ['img4.jpg', 'img1.jpg'],
  ['img13.jpg', 'img14.jpg'],
];
const IMPOSTOR = [
  ['img1.jpg', 'img3.jpg'],
  ['img13.jpg', 'img16.jpg'],
  ['img4.jpg', 'img14.jpg'],
];

describe.skipIf(skip)('kiosk face eval', () => {
  let work: string;
  let pairsFile: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'kiosk-face-eval-'));
    pairsFile = join(work, 'pairs.txt');
    const line = (a: string, b: string, label: string) =>
      `${relative(work, facePath(a))} ${relative(work, facePath(b))} ${label}`;
    writeFileSync(
      pairsFile,
      [
        '# card photo, live frame, label',
        ...GENUINE.map(([a, b]) => line(a!, b!, 'same')),
        '',
        ...IMPOSTOR.map(([a, b]) => line(a!, b!, 'diff')),
      ].join('\n'),
    );
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints ROC points, EER and FRR at the three FARs, with counts, backend and timings', async () => {
    const r = await kiosk('face', 'eval', '--pairs', pairsFile, '--json');
    expect(r.stderr).not.toMatch(/kiosk: /);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      pairsFile,
      backend: expect.stringMatching(/^(tensorflow|wasm|cpu)$/),
      detector: 'ultralight',
      describer: 'arcface',
      counts: {
        pairs: 6,
        genuine: 3,
        impostor: 3,
        noFace: { pairs: 0, genuine: 0, impostor: 0 },
        undecodable: { pairs: 0, images: [] },
        // img1, img4, img13 as card photos; img2, img1, img14, img3, img16 as live frames.
        analyses: 8,
      },
      farResolution: 1 / 3,
      eer: { rate: 0, threshold: expect.any(Number) },
      ms: { load: expect.any(Number), total: expect.any(Number), analysis: { p50: expect.any(Number) } },
    });
    expect(json.atFar.map((p: { targetFar: number }) => p.targetFar)).toEqual([0.01, 0.001, 0.0001]);
    for (const p of json.atFar) {
      // Three impostor pairs cannot show a FAR of 1 % or less.
      expect(p).toMatchObject({ resolvable: false, far: 0, frr: 0, threshold: expect.any(Number) });
    }
    expect(json.roc).toHaveLength(6);
    for (const point of json.roc) expect(Object.keys(point).sort()).toEqual(['far', 'frr', 'threshold']);
    const distances = (same: boolean) =>
      json.scores
        .filter((s: { same: boolean }) => s.same === same)
        .map((s: { distance: number }) => s.distance);
    expect(Math.max(...distances(true))).toBeLessThan(Math.min(...distances(false)));
    // Paths in the report read as in the pairs file.
    expect(json.scores[0]).toMatchObject({ a: relative(work, facePath('img1.jpg')), same: true, noFace: [] });
    // Progress on stderr, as plain lines when stderr is not a terminal.
    expect(r.stderr).toMatch(/8\/8 images analysed/);
  });

  it('prints the human summary without --json', async () => {
    const r = await kiosk('face', 'eval', '--pairs', pairsFile, '--detector', 'tiny');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pairs: +6 \(3 genuine, 3 impostor\)/m);
    expect(r.stdout).toMatch(/^EER: /m);
    expect(r.stdout).toMatch(/^FAR ≤ 0\.010 % .*not resolvable: 3 impostor pairs < 10000 needed/m);
    expect(r.stdout).toMatch(/^backend: +\w+ \/ tiny/m);
  });

  it('names the file and line of a malformed pairs list in one line, before loading any model', async () => {
    const bad = join(work, 'bad.txt');
    writeFileSync(bad, `${relative(work, facePath('img1.jpg'))} same\n`);
    const r = await kiosk('face', 'eval', '--pairs', bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      `kiosk: ${bad}:1: expected "pathA pathB same|diff", found 2 field(s)`,
    ]);
  });

  it('names an image that is not there in one line', async () => {
    const missing = join(work, 'missing.txt');
    writeFileSync(missing, '# one pair\nnot-there.jpg also-not.jpg diff\n');
    const r = await kiosk('face', 'eval', '--pairs', missing, '--json');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      `kiosk: ${missing}:2: image not found: ${join(work, 'not-there.jpg')}`,
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not-there') },
    });
  });
});
