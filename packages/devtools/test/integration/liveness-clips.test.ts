/**
 * The kiosk's liveness challenges on real clips of ../shared/liveness (research material, read in
 * place; see its SOURCES.md), through bench/face-liveness.ts: what must hold whatever the
 * thresholds are tuned to.
 * - every blink__ clip passes the blink challenge;
 * - every turn__ clip passes the turn challenge on each side it shows;
 * - no print, mask or photo on a screen passes the blink challenge or the turn challenge (either side);
 * - every attack is refused by the kiosk's default decision (the blink challenge and the passive
 *   check together), but for the known miss below. A video replay of a live person blinks and turns
 *   on the recording, so the challenges alone cannot refuse it: that is the passive check's part.
 *
 * The clips were not recorded in answer to a prompt, so a challenge counts as passed when it passes
 * with the prompt at any whole second of the clip (the bench's protocol): a live person is found
 * wherever they act, and an attack gets its best case.
 *
 * Skipped with a message where ../shared/liveness is absent; fails where ffmpeg is missing (CI
 * installs it: scripts/install-system-packages.sh). About a minute on 2 cores.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClipReport, clipKind, type LivenessBench, livenessOnClips } from '../../bench/face-liveness.ts';
import { ffmpegMissing, isDecodable } from '../../src/face/clips.ts';

const REPO = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const DIR = resolve(REPO, '../shared/liveness');
const skip = existsSync(DIR) ? null : `${DIR} is absent`;
if (skip) console.warn(`skipping the liveness clip tests: ${skip}`);

const files = skip
  ? []
  : readdirSync(DIR)
      .filter((f) => clipKind(f) !== null && isDecodable(f))
      .sort();
const blinks = files.filter((f) => clipKind(f) === 'blink');
const turns = files.filter((f) => clipKind(f) === 'turn');
const attacks = files.filter((f) => clipKind(f)?.endsWith('-attack'));
const stillAttacks = attacks.filter((f) => !/\.(mp4|webm)$/.test(f));
/** Accepted today, and reported as such in the README; this test fails once that changes. */
const KNOWN_MISSES = new Set(['screen-attack__manikantha-handheld-replay.mp4']);

let bench: LivenessBench;
const clip = (file: string): ClipReport => {
  const found = bench.clips.find((c) => c.file === file);
  if (!found) throw new Error(`${file} is missing from the bench's report`);
  return found;
};

describe.skipIf(skip)('liveness on the clips of ../shared/liveness', () => {
  beforeAll(async () => {
    const missing = ffmpegMissing();
    if (missing) throw new Error(`the liveness clip tests need ffmpeg: ${missing}`);
    bench = await livenessOnClips(DIR);
  }, 180_000);

  it('finds every kind of clip', () => {
    expect(blinks.length).toBeGreaterThan(0);
    expect(turns.length).toBeGreaterThan(0);
    expect(attacks.length).toBeGreaterThan(0);
    expect(bench.clips.map((c) => c.file)).toEqual(files);
  });

  it.each(blinks)('%s passes the blink challenge', (file) => {
    const { blink } = clip(file);
    expect(blink.pass, `${file}: ${blink.why}`).toBe(true);
  });

  it.each(turns)('%s passes the turn challenge on each side it turns to', (file) => {
    const { turn } = clip(file);
    expect(turn.sidesShown.length).toBeGreaterThan(0);
    for (const side of turn.sidesShown)
      expect(turn[side].pass, `${file}, ${side}: ${turn[side].why}`).toBe(true);
  });

  it.each(stillAttacks)('%s passes neither challenge', (file) => {
    const { blink, turn } = clip(file);
    expect(blink.pass, `${file}, blink: ${blink.why}`).toBe(false);
    expect(turn.left.pass, `${file}, turn left: ${turn.left.why}`).toBe(false);
    expect(turn.right.pass, `${file}, turn right: ${turn.right.why}`).toBe(false);
  });

  it.each(attacks.filter((f) => !KNOWN_MISSES.has(f)))('%s is refused by the kiosk', (file) => {
    const { kiosk } = clip(file);
    expect(kiosk.pass, `${file}: ${kiosk.why}`).toBe(false);
  });

  it.each([...KNOWN_MISSES].filter((f) => files.includes(f)))('known miss: %s is accepted', (file) => {
    expect(clip(file).kiosk.pass).toBe(true);
  });

  it('reports APCER and BPCER consistent with the clips', () => {
    const { blink, turn } = bench.rates;
    expect(blink.bpcer.of).toBe(blinks.length);
    expect(blink.apcer.of).toBe(attacks.length);
    expect(turn.apcer.of).toBe(attacks.length);
    expect(turn.bpcer.of).toBe(turns.reduce((n, f) => n + clip(f).turn.sidesShown.length, 0));
    expect(bench.rates.kiosk.apcer.files).toEqual([...KNOWN_MISSES].filter((f) => files.includes(f)));
    expect(bench.notShown.length).toBeGreaterThan(0);
  });
});
