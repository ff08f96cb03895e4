/**
 * Liveness on real clips: the kiosk's blink challenge, turn challenge and passive check, each on
 * its own, over every clip and still in ../shared/liveness (research material; see its
 * SOURCES.md: it is read from there and never copied). Prints one JSON document:
 * - per clip: kind (from the file name), frames, and for each check pass/fail and why;
 * - per check: APCER (attacks accepted / attacks) and BPCER (bona fide that should pass but failed
 *   / those), with the counts;
 * - the attack kinds this material cannot show, and the time each stage took.
 *
 *   npx tsx --conditions=source bench/face-liveness.ts [--trace] [folder]   (progress on stderr;
 *   --trace adds each frame's eye aspect ratio and yaw)
 *
 * Ground truth from the name: blink__, turn__ and still__ are a live person; *-attack__ an attack.
 * A live clip counts in a challenge's BPCER only when it shows that action (blink__ for the blink
 * challenge, turn__ for the turn challenge): still__ shows neither, and failing it is right.
 *
 * When was the patient asked? The clips were not recorded in answer to a prompt, so each challenge
 * is started at every second of the clip (the prompt at 0 s, 1 s, 2 s, …) with the kiosk's own
 * deadline, and it passes when it passes from any of those starts. For a live person that finds
 * the action wherever it happens in the clip; for an attack it is the attacker's best case (a
 * replay started on cue), so an APCER from it errs on the safe side. The result from the first
 * frame alone (the prompt at 0 s) is reported too.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Analysis, FaceEngine } from '@myna/kiosk/face/engine/face-engine.js';
import type { Frame } from '@myna/kiosk/face/image/frame.js';
import type { TurnSide } from '@myna/kiosk/face/liveness/active.js';
import type { LivenessConfig, LivenessResult } from '@myna/kiosk/face/liveness/liveness.js';
import { type Clip, decodeClip, isDecodable } from '../src/face/clips.ts';

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const LIVENESS_DIR = resolve(REPO, '../shared/liveness');
/** A challenge is started this often through a clip (see the header). */
const START_EVERY_MS = 1000;

export type ClipKind = 'blink' | 'turn' | 'still' | 'print-attack' | 'screen-attack' | 'mask-attack';
const BONA_FIDE: ReadonlySet<ClipKind> = new Set(['blink', 'turn', 'still']);
const KINDS: ReadonlySet<string> = new Set([...BONA_FIDE, 'print-attack', 'screen-attack', 'mask-attack']);

/**
 * Which way the turn__ clips turn, from SOURCES.md: tranvanluyt turns towards image-right (2–5 s)
 * and image-left (7–10 s); zubair towards image-left (6.5–8.5 s) and image-right (9.5–11 s).
 * Neither video is mirrored, as the kiosk's camera is not, so a turn towards image-right is the
 * person's own left ('left' in the challenge: the nose moves to the image's right).
 */
const TURN_SIDES_SHOWN: Record<string, TurnSide[]> = {
  'turn__tranvanluyt-selfie.mp4': ['left', 'right'],
  'turn__zubair-webcam.webm': ['left', 'right'],
};
const SIDES: TurnSide[] = ['left', 'right'];

/** Attacks that no file here shows, so these numbers say nothing about them. */
export const NOT_SHOWN = [
  '3-D masks (silicone, latex, resin): only flat paper masks here, as single photos',
  'paper masks or cut-outs that move: the masks and the cut-out are single photos, so they are tried as a still held up',
  'printed photos with the eyes cut out (a real blink behind a print)',
  'video replays that blink or turn on cue: the replays show whatever the recording did, not an answer to a prompt',
  'deepfake or face-swap video, live or recorded',
  'injection attacks (a virtual camera or frames fed past the camera)',
  'high-quality screens filling the view without a bezel, or a projector',
  'makeup, prosthetics, or a look-alike person',
  'several attack instruments per subject: there are 1-3 per kind, far too few for a rate with any confidence',
];

export interface CheckOutcome {
  pass: boolean;
  /** Why it failed (or what passed it), in a few words. */
  why: string;
}

export interface ChallengeOutcome extends CheckOutcome {
  /** When the prompt had to come (ms into the clip) for the first start that passed; null: none. */
  passedFromMs: number | null;
  /** The prompt at the first frame only, as a kiosk session from its start. */
  fromFirstFrame: { pass: boolean; why: string };
  /** Extremes over the whole clip: eye aspect ratio, and yaw towards the side asked (degrees). */
  measures: { minEyeAspect: number | null; maxEyeAspect: number | null; maxYawToSide: number | null };
}

export interface ClipReport {
  file: string;
  kind: ClipKind;
  bonaFide: boolean;
  source: 'clip' | 'still';
  frames: number;
  framesWithFace: number;
  size: string;
  durationMs: number;
  blink: ChallengeOutcome;
  /** Both sides: the kiosk asks for one of them. */
  turn: Record<TurnSide, ChallengeOutcome> & { sidesShown: TurnSide[] };
  passive: CheckOutcome & {
    antispoof: number | null;
    liveness: number | null;
    liveFrames: number;
    scoredFrames: number;
    thresholds: { antispoof: number; liveness: number };
  };
  /** The kiosk's default decision: the blink challenge and the passive check must both pass. */
  kiosk: CheckOutcome;
  ms: { decode: number; analyze: number; passive: number; challenges: number };
  /** With `trace`: per frame, time (ms), faces, and the largest face's eye aspect ratio and yaw (°). */
  series?: { t: number; faces: number; ear: number | null; yaw: number | null }[];
}

export interface ErrorRate {
  /** Attacks accepted / attacks, or bona fide rejected / bona fide tried. Null when none. */
  rate: number | null;
  errors: number;
  of: number;
  files: string[];
}

export interface LivenessBench {
  dir: string;
  protocol: string;
  sampleFps: number;
  config: LivenessConfig;
  clips: ClipReport[];
  rates: {
    blink: { apcer: ErrorRate; bpcer: ErrorRate };
    /** An attack counts as accepted when either side passed; bona fide is tried on each side it shows. */
    turn: { apcer: ErrorRate; bpcer: ErrorRate };
    passive: { apcer: ErrorRate; bpcer: ErrorRate };
    /** The default decision (blink and passive); bona fide: the clips that show a blink. */
    kiosk: { apcer: ErrorRate; bpcer: ErrorRate };
  };
  notShown: string[];
  ms: {
    load: number;
    decode: number;
    analyze: number;
    passive: number;
    challenges: number;
    total: number;
    perFrameAnalyze: number | null;
  };
  machine: { cores: number; node: string };
}

const note = (line: string) => process.stderr.write(`bench/face-liveness: ${line}\n`);
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const r3 = (x: number | null) => (x === null ? null : round(x, 3));

/** The kind a file name announces (`<kind>__<name>.<ext>`), or null for files that are not clips. */
export function clipKind(file: string): ClipKind | null {
  const prefix = file.split('__')[0]!;
  return file.includes('__') && KINDS.has(prefix) ? (prefix as ClipKind) : null;
}

/** The engine's analyses, each frame analysed once however many checks look at it. */
function cachingEngine(engine: FaceEngine): { engine: FaceEngine; ms: () => number } {
  const cache = new Map<Frame, Promise<Analysis>>();
  let spent = 0;
  const analyze = (frame: Frame): Promise<Analysis> => {
    let pending = cache.get(frame);
    if (!pending) {
      pending = (async () => {
        const t0 = performance.now();
        const analysis = await engine.analyze(frame);
        spent += performance.now() - t0;
        return analysis;
      })();
      cache.set(frame, pending);
    }
    return pending;
  };
  return { engine: { analyze } as unknown as FaceEngine, ms: () => spent };
}

function challengeWhy(result: LivenessResult): string {
  const a = result.active;
  if (!a) return 'no challenge';
  if (a.state === 'passed') return `passed after ${a.observations} frames, ${Math.round(a.elapsedMs)} ms`;
  const reason =
    a.reason ?? (result.reasons.includes('no-face') ? 'no-face' : 'not completed by the end of the clip');
  return reason;
}

async function runChallenge(
  assess: (frames: readonly Frame[], config: LivenessConfig, timesMs: number[]) => Promise<LivenessResult>,
  clip: Clip,
  base: LivenessConfig,
  kind: 'blink' | 'turn',
  side: TurnSide,
): Promise<ChallengeOutcome> {
  const config: LivenessConfig = {
    passive: { ...base.passive, enabled: false },
    active: { ...base.active, enabled: true, kind, side },
  };
  // The whole clip, no deadline inside it: the extremes of the measures, for the report.
  const whole = await assess(
    clip.frames,
    { ...config, active: { ...config.active, deadlineMs: 60_000 } },
    clip.timesMs,
  );
  let first: LivenessResult | null = null;
  let passedFromMs: number | null = null;
  let passed: LivenessResult | null = null;
  const lastMs = clip.timesMs.at(-1) ?? 0;
  for (let start = 0; start <= lastMs; start += START_EVERY_MS) {
    const from = clip.timesMs.findIndex((t) => t >= start);
    if (from < 0) break;
    const times = clip.timesMs.slice(from).map((t) => t - clip.timesMs[from]!);
    const result = await assess(clip.frames.slice(from), config, times);
    first ??= result;
    if (result.active?.state === 'passed') {
      passedFromMs = clip.timesMs[from]!;
      passed = result;
      break;
    }
    // A still is the same frame throughout: one start says it all.
    if (clip.source === 'still') break;
  }
  const pass = passed !== null;
  const m = whole.active!.measures;
  const measures = {
    minEyeAspect: r3(m.minEyeAspect),
    maxEyeAspect: r3(m.maxEyeAspect),
    maxYawToSide: m.maxYawToSide === null ? null : round(m.maxYawToSide, 1),
  };
  const shown =
    kind === 'blink'
      ? `eye aspect ${measures.minEyeAspect ?? '-'}..${measures.maxEyeAspect ?? '-'} (closed < ${config.active.eyesClosedRatio} and open again ≥ ${config.active.eyesOpenRatio} of the open-eye median)`
      : `yaw to ${side} max ${measures.maxYawToSide ?? '-'}° (needs ≥ ${config.active.turnDegrees}°, back within ${config.active.frontalDegrees}°)`;
  const why = pass
    ? `prompt at ${passedFromMs! / 1000} s: ${challengeWhy(passed!)}`
    : `${challengeWhy(first!)} from every start; ${shown}`;
  return {
    pass,
    why,
    passedFromMs,
    fromFirstFrame: { pass: first!.active?.state === 'passed', why: challengeWhy(first!) },
    measures,
  };
}

function rate(items: { file: string; error: boolean }[]): ErrorRate {
  const errors = items.filter((i) => i.error);
  return {
    rate: items.length ? round(errors.length / items.length, 3) : null,
    errors: errors.length,
    of: items.length,
    files: errors.map((i) => i.file),
  };
}

/** Every clip and still in `dir` through the three checks; see the header. */
export async function livenessOnClips(
  dir: string = LIVENESS_DIR,
  options: { trace?: boolean } = {},
): Promise<LivenessBench> {
  const started = performance.now();
  const { cpus } = await import('node:os');
  const { FaceEngine } = await import('@myna/kiosk/face/engine/face-engine.js');
  const { assessLiveness, DEFAULT_LIVENESS_CONFIG } = await import('@myna/kiosk/face/liveness/liveness.js');
  const { wipeFrame } = await import('@myna/kiosk/face/image/frame.js');
  const { SAMPLE_FPS } = await import('../src/face/clips.ts');
  const { estimateYaw } = await import('@myna/kiosk/face/liveness/active.js');
  const { meanEyeAspect } = await import('@myna/kiosk/face/quality.js');

  const files = readdirSync(dir)
    .filter((f) => clipKind(f) !== null && isDecodable(f))
    .sort();
  if (files.length === 0) throw new Error(`no <kind>__<name> clips in ${dir}`);
  const t0 = performance.now();
  const loaded = await FaceEngine.load();
  const base = DEFAULT_LIVENESS_CONFIG;
  // Load the passive models now, so that the first clip's time is its own.
  const { loadBackend } = await import('@myna/kiosk/face/engine/backend.js');
  const { loadPassiveModels } = await import('@myna/kiosk/face/liveness/passive.js');
  await loadPassiveModels((await loadBackend()).tf);
  const loadMs = performance.now() - t0;
  note(
    `engine ${loaded.detector} and passive models loaded in ${Math.round(loadMs)} ms; ${files.length} files`,
  );

  const clips: ClipReport[] = [];
  for (const file of files) {
    const kind = clipKind(file)!;
    const d0 = performance.now();
    const clip = await decodeClip(resolve(dir, file));
    const decodeMs = performance.now() - d0;
    const { engine, ms: analyzeMs } = cachingEngine(loaded);
    const assess = (frames: readonly Frame[], config: LivenessConfig, timesMs: number[]) =>
      assessLiveness(engine, frames, config, { timesMs });
    try {
      // Passive first: it analyses every frame once; the challenges then reuse the analyses.
      const p0 = performance.now();
      const passive = await assess(
        clip.frames,
        { passive: { ...base.passive, enabled: true }, active: { ...base.active, enabled: false } },
        clip.timesMs,
      );
      const passiveMs = performance.now() - p0 - analyzeMs();
      const c0 = performance.now();
      const blink = await runChallenge(assess, clip, base, 'blink', base.active.side);
      const left = await runChallenge(assess, clip, base, 'turn', 'left');
      const right = await runChallenge(assess, clip, base, 'turn', 'right');
      const challengesMs = performance.now() - c0;
      const p = passive.passive;
      const passiveWhy = p.live
        ? `${p.liveFrames}/${p.scoredFrames} frames live`
        : p.scoredFrames === 0
          ? 'no face'
          : `${p.liveFrames}/${p.scoredFrames} frames live (needs ${Math.ceil(base.passive.minLiveFraction * p.scoredFrames)}): ${passive.reasons.join(', ')}`;
      const report: ClipReport = {
        file,
        kind,
        bonaFide: BONA_FIDE.has(kind),
        source: clip.source,
        frames: clip.frames.length,
        framesWithFace: passive.frames.filter((f) => f.faces > 0).length,
        size: `${clip.width}x${clip.height}`,
        durationMs: clip.durationMs,
        blink,
        turn: { left, right, sidesShown: kind === 'turn' ? (TURN_SIDES_SHOWN[file] ?? SIDES) : [] },
        passive: {
          pass: p.live === true,
          why: passiveWhy,
          antispoof: r3(p.antispoof),
          liveness: r3(p.liveness),
          liveFrames: p.liveFrames,
          scoredFrames: p.scoredFrames,
          thresholds: p.thresholds,
        },
        kiosk: {
          pass: blink.pass && p.live === true,
          why: blink.pass
            ? p.live
              ? 'blink and passive both passed'
              : `blink passed, passive refused: ${passiveWhy}`
            : `blink refused${p.live ? '' : ', passive refused too'}`,
        },
        ms: {
          decode: round(decodeMs),
          analyze: round(analyzeMs()),
          passive: round(passiveMs),
          challenges: round(challengesMs),
        },
      };
      if (options.trace) {
        report.series = [];
        for (const [i, frame] of clip.frames.entries()) {
          const main = (await engine.analyze(frame)).faces;
          report.series.push({
            t: clip.timesMs[i]!,
            faces: main.length,
            ear: main[0] ? r3(meanEyeAspect(main[0].landmarks)) : null,
            yaw: main[0] ? round(estimateYaw(main[0].landmarks), 1) : null,
          });
        }
      }
      clips.push(report);
      const mark = (ok: boolean) => (ok ? 'pass' : 'fail');
      note(
        `${file}: ${clip.frames.length} frames (${report.framesWithFace} with a face); blink ${mark(blink.pass)}, turn left ${mark(left.pass)} / right ${mark(right.pass)}, passive ${mark(report.passive.pass)}; ` +
          `decode ${report.ms.decode} ms, analyse ${report.ms.analyze} ms, passive ${report.ms.passive} ms, challenges ${report.ms.challenges} ms`,
      );
    } finally {
      for (const frame of new Set(clip.frames)) wipeFrame(frame);
    }
  }

  const attacks = clips.filter((c) => !c.bonaFide);
  const rates = {
    blink: {
      apcer: rate(attacks.map((c) => ({ file: c.file, error: c.blink.pass }))),
      bpcer: rate(
        clips.filter((c) => c.kind === 'blink').map((c) => ({ file: c.file, error: !c.blink.pass })),
      ),
    },
    turn: {
      apcer: rate(attacks.map((c) => ({ file: c.file, error: c.turn.left.pass || c.turn.right.pass }))),
      bpcer: rate(
        clips
          .filter((c) => c.kind === 'turn')
          .flatMap((c) =>
            c.turn.sidesShown.map((s) => ({ file: `${c.file} (${s})`, error: !c.turn[s].pass })),
          ),
      ),
    },
    passive: {
      apcer: rate(attacks.map((c) => ({ file: c.file, error: c.passive.pass }))),
      bpcer: rate(clips.filter((c) => c.bonaFide).map((c) => ({ file: c.file, error: !c.passive.pass }))),
    },
    kiosk: {
      apcer: rate(attacks.map((c) => ({ file: c.file, error: c.kiosk.pass }))),
      bpcer: rate(
        clips.filter((c) => c.kind === 'blink').map((c) => ({ file: c.file, error: !c.kiosk.pass })),
      ),
    },
  };
  const sum = (key: keyof ClipReport['ms']) => round(clips.reduce((s, c) => s + c.ms[key], 0));
  const analysed = clips.reduce((s, c) => s + (c.source === 'still' ? 1 : c.frames), 0);
  return {
    dir,
    protocol: `frames at ${SAMPLE_FPS} fps, longest side ≤ 640 px; stills held ${clips.find((c) => c.source === 'still')?.durationMs ?? 3000} ms; each challenge started every ${START_EVERY_MS} ms through a clip with the kiosk's deadline, passing if any start passes`,
    sampleFps: SAMPLE_FPS,
    config: base,
    clips,
    rates,
    notShown: NOT_SHOWN,
    ms: {
      load: round(loadMs),
      decode: sum('decode'),
      analyze: sum('analyze'),
      passive: sum('passive'),
      challenges: sum('challenges'),
      total: round(performance.now() - started),
      perFrameAnalyze: analysed ? round(sum('analyze') / analysed, 1) : null,
    },
    machine: { cores: cpus().length, node: process.version },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const trace = args.includes('--trace');
  const folder = args.find((a) => !a.startsWith('--'));
  livenessOnClips(folder ? resolve(folder) : LIVENESS_DIR, { trace })
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(
        `bench/face-liveness: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    });
}
