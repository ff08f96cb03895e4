/**
 * `kiosk card ocr` from outside, built (`npm run build`), on synthetic tray photographs: 照合番号B
 * and the fields for the operator, the exit statuses scripts rely on, and nothing written anywhere
 * while a card photo is read.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardFrontSet } from '../../../src/card-front/card-front-set.ts';
import { HOLDERS, holderPhoto } from './card-front-photos.ts';

const TODAY = '2026-12-07';
const SEED = 'card-ocr-cli-it';
const KIOSK = fileURLToPath(new URL('../../../../../bin/kiosk.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kiosk(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [KIOSK, 'card', 'ocr', ...args],
      { timeout: 60_000, maxBuffer: 1 << 24, ...options },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('kiosk card ocr', () => {
  let work: string;
  const fronts: { file: string; numberB: string }[] = [];
  let back: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'kiosk-card-ocr-'));
    for (const k of [0, 1, 2] as const) {
      const { jpeg, truth } = await holderPhoto(k);
      const file = join(work, `${'abc'[k]}.jpg`);
      writeFileSync(file, jpeg);
      fronts.push({ file, numberB: truth.numberB! });
    }
    for await (const sample of generateCardFrontSet({ count: 8, seed: SEED, today: TODAY, negatives: 1 })) {
      if (sample.truth.kind !== 'back') continue;
      back = join(work, 'back.jpg');
      writeFileSync(back, sample.jpeg);
      break;
    }
    expect(back).toBeDefined();
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints 照合番号B of a front as JSON, with the fields and their confidence, and exits 0', async () => {
    const a = fronts[0]!;
    const r = await kiosk(['--json', '--today', TODAY, '--image', a.file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ file: a.file, ok: true, numberB: a.numberB, upsideDown: false });
    expect(json.fields).toEqual({
      birth: { era: '昭和', year: 60, month: 3, day: 14, date: HOLDERS[0].birthDate },
      validUntil: HOLDERS[0].cardExpiry,
      securityCode: HOLDERS[0].securityCode,
    });
    expect(json.confidence.least).toBeGreaterThanOrEqual(0.9);
    expect(Object.keys(json.timingsMs)).toEqual(['decode', 'locate', 'rectify', 'ocr', 'parse', 'total']);
  });

  it('names the fields and the timings of each photo for a person, and exits 0 when every one reads', async () => {
    const r = await kiosk(['--today', TODAY, '--image', ...fronts.map((f) => f.file)]);
    expect(r.code).toBe(0);
    for (const { file, numberB } of fronts) expect(r.stdout).toContain(`${file}: 照合番号B ${numberB}`);
    expect(r.stdout).toContain('birth:         昭和60年3月14日 (1985-03-14)');
    expect(r.stdout).toContain('valid until:   2030-11-02');
    expect(r.stdout).toContain('security code: 9160');
    expect(r.stdout).toContain('the card lay upside down');
    expect(r.stdout.match(/^ {2}confidence: {4}\d\.\d\d \(least of the three fields\)$/gm)).toHaveLength(3);
    expect(r.stdout.match(/^ {2}ms: .*decode \d+.*ocr \d+.*total \d+$/gm)).toHaveLength(3);
  });

  it('refuses the back of the card with exit 23 and a reason, and no number', async () => {
    const r = await kiosk(['--json', '--today', TODAY, '--image', fronts[0]!.file, back]);
    expect(r.code).toBe(23);
    const [front, refused] = JSON.parse(r.stdout);
    expect(front).toMatchObject({ ok: true, numberB: fronts[0]!.numberB });
    expect(refused).toMatchObject({ file: back, ok: false, reason: expect.any(String) });
    expect(refused).not.toHaveProperty('numberB');
    expect(refused).not.toHaveProperty('fields');
  });

  it('exits 11 for a file that is missing or not an image', async () => {
    const text = join(work, 'notes.jpg');
    writeFileSync(text, 'not a photograph\n');
    const missing = await kiosk(['--json', '--today', TODAY, '--image', join(work, 'missing.jpg')]);
    expect(missing.code).toBe(11);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, reason: 'file-unreadable' });
    const notImage = await kiosk(['--json', '--today', TODAY, '--image', text]);
    expect(notImage.code).toBe(11);
    expect(JSON.parse(notImage.stdout)).toMatchObject({ ok: false, reason: 'not-an-image' });
  });

  it('exits 2 for a confidence outside 0..1', async () => {
    const r = await kiosk(['--min-confidence', '7', '--image', fronts[0]!.file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--min-confidence/);
    expect(r.stdout).toBe('');
  });

  it('writes nothing while it reads: no model cache in the working folder, home or temp', async () => {
    const sandbox = join(work, 'sandbox');
    mkdirSync(sandbox);
    const photos = readdirSync(work).sort();
    const env = { ...process.env, HOME: sandbox, TMPDIR: sandbox, XDG_CACHE_HOME: sandbox };
    const r = await kiosk(['--json', '--today', TODAY, '--image', fronts[1]!.file], { cwd: sandbox, env });
    expect(r.code).toBe(0);
    // The read did happen, with the model loaded.
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, numberB: fronts[1]!.numberB, upsideDown: true });
    expect(readdirSync(sandbox, { recursive: true })).toEqual([]);
    expect(readdirSync(work).sort()).toEqual(photos);
  });
});
