/**
 * `kiosk face match` from outside, on the path the kiosk really takes: a card-like photo (grey,
 * small, JPEG 2000) against camera-like frames. Uses ../shared/faces; skipped where it is absent.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cardLikeJp2,
  facePath,
  facesSkipReason,
  hasOpjCompress,
} from '@myna/devtools/test-support/face-images.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const skip = facesSkipReason();
if (skip) console.warn(`skipping face CLI tests: ${skip}`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 120_000, maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const kiosk = (...args: string[]) => run(process.execPath, ['bin/kiosk.js', ...args]);

describe.skipIf(skip)('kiosk face match', () => {
  let work: string;
  let card: string;

  beforeAll(async () => {
    expect(await hasOpjCompress()).toBe(true);
    work = mkdtempSync(join(tmpdir(), 'kiosk-face-'));
    card = join(work, 'card.jp2');
    writeFileSync(card, await cardLikeJp2(facePath('img1.jpg')));
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('accepts the same person from a JPEG 2000 card photo, with timings and backend', async () => {
    const r = await kiosk('face', 'match', '--card', card, '--live', facePath('img2.jpg'), '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.decision).toBe('accept');
    expect(json.score).toBeLessThanOrEqual(json.threshold);
    expect(json.calibratedFar).toBeGreaterThan(0);
    expect(json.reasons).toEqual([]);
    expect(json.backend).toMatch(/^(tensorflow|wasm|cpu)$/);
    expect(json.frames[0].ms).toEqual({
      prepare: expect.any(Number),
      detect: expect.any(Number),
      descriptor: expect.any(Number),
      quality: expect.any(Number),
    });
    expect(Object.keys(json.ms)).toEqual(
      expect.arrayContaining(['decode', 'load', 'card', 'frames', 'total']),
    );
  });

  it('refuses a different person', async () => {
    const r = await kiosk('face', 'match', '--card', card, '--live', facePath('img3.jpg'), '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.decision).toBe('reject');
    expect(json.reasons).toEqual(['no-match']);
    expect(json.score).toBeGreaterThan(json.threshold);
  });

  it('writes nothing to disk during a match', async () => {
    const trace = join(work, 'trace');
    const r = await run('strace', [
      '-f',
      '-qq',
      '-e',
      'trace=open,openat,creat,rename,renameat,renameat2,link,symlink,truncate',
      '-o',
      trace,
      process.execPath,
      'bin/kiosk.js',
      'face',
      'match',
      '--card',
      card,
      '--live',
      facePath('img2.jpg'),
    ]);
    expect(r.code).toBe(0);
    const lines = readFileSync(trace, 'utf8').split('\n');
    // The trace does see file access: the card photo is opened, read-only.
    expect(lines.some((line) => line.includes(card) && line.includes('O_RDONLY'))).toBe(true);
    const writes = lines
      .filter((line) => /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|creat\(|rename|link\(|truncate\(/.test(line))
      .filter((line) => !/"\/dev\/|"\/proc\/|= -1 /.test(line))
      // tsx keeps its compiled-TypeScript cache in the temporary folder: code, not data.
      .filter((line) => !/\/tsx-\d+\//.test(line));
    expect(writes).toEqual([]);
  });

  it('answers a photo that will not decode with one line and exit 11', async () => {
    const bad = join(work, 'bad.jp2');
    writeFileSync(bad, Uint8Array.of(0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a));
    const r = await kiosk('face', 'match', '--card', bad, '--live', facePath('img2.jpg'));
    expect(r.code).toBe(11);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kiosk: .*bad\.jp2/);
  });
});
