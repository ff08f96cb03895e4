/**
 * The engine-driven half of `kiosk face eval`: analyses the images of a pairs list, at most once per
 * (image, role), and scores each pair by descriptor distance. The image that plays the card photo is
 * analysed as the live session analyses one (analyseCardPhoto); the other is described whatever its
 * quality, since the accuracy table measures the descriptor, not the quality gate in front of it.
 */
import { stat } from 'node:fs/promises';
import type { Analysis, FaceEngine } from '../engine/face-engine.ts';
import { descriptorDistance } from '../engine/face-engine.ts';
import {
  type AccuracyReport,
  accuracyReport,
  distanceSummary,
  type PairCounts,
  TARGET_FARS,
} from '../eval.ts';
import { analyseCardPhoto } from '../frame-step.ts';
import { decodeImageFile, ImageDecodeError } from '../image/decode.ts';
import { type Frame, wipeFrame } from '../image/frame.ts';

export type ImageRole = 'card' | 'live';

export interface PairToScore {
  a: string;
  b: string;
  same: boolean;
}

export interface PairScore extends PairToScore {
  /** Null when a face was not found in one of the images: the pair then counts as rejected. */
  distance: number | null;
  /** Which images had no face: 'a' (card role) and/or 'b' (live role). */
  noFace: ('a' | 'b')[];
  /** Which images would not decode (e.g. a WebP named .jpg): rejected like a missing face. */
  undecodable: ('a' | 'b')[];
}

export interface StageTimes {
  decode: number;
  prepare: number;
  detect: number;
  descriptor: number;
}

/** Per-analysis times in ms, over every image analysed. */
export interface AnalysisTimes {
  analyses: number;
  mean: StageTimes;
  /** Of prepare + detect + descriptor (decode not included). */
  p50: number;
  p95: number;
}

export interface DescriptorCacheOptions {
  /** How an image becomes a frame for a role; default: decode the file as it is. */
  loadFrame?: (path: string, role: ImageRole) => Promise<Frame>;
  /** Called after each (image, role) is done, analysed or found undecodable, with the count so far. */
  onAnalysed?: (done: number) => void;
  /** Called once per (image, role) that would not decode. */
  onUndecodable?: (path: string, error: ImageDecodeError) => void;
}

interface Entry {
  descriptor: Float32Array | null;
  problem?: 'no-face' | 'undecodable';
}

/** What one (image, role) analysis gave. */
export interface Described {
  descriptor: Float32Array | null;
  /** Why there is no descriptor. */
  problem?: 'no-face' | 'undecodable';
}

/**
 * One descriptor per (image, role), analysed on first use. The descriptors are face data: `wipe`
 * zeroes them; frames are wiped right after analysis.
 */
export class DescriptorCache {
  private readonly entries = new Map<string, Promise<Entry>>();
  private readonly times: (StageTimes & { total: number })[] = [];

  constructor(
    private readonly engine: FaceEngine,
    private readonly options: DescriptorCacheOptions = {},
  ) {}

  get analysed(): number {
    return this.times.length;
  }

  /** Paths of the images that would not decode, each once. */
  get undecodable(): string[] {
    return [...this.unreadable];
  }

  private readonly unreadable = new Set<string>();
  private done = 0;

  /**
   * The descriptor of the largest face, or null with the reason: no face found, or an image that
   * would not decode (an {@link ImageDecodeError}; any other error propagates).
   */
  async describe(path: string, role: ImageRole): Promise<Described> {
    const key = `${role}\u0000${path}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.analyse(path, role);
      this.entries.set(key, entry);
    }
    return entry;
  }

  async descriptor(path: string, role: ImageRole): Promise<Float32Array | null> {
    return (await this.describe(path, role)).descriptor;
  }

  private async analyse(path: string, role: ImageRole): Promise<Entry> {
    const t0 = performance.now();
    let frame: Frame;
    try {
      frame = await (this.options.loadFrame ?? ((p: string) => decodeImageFile(p)))(path, role);
    } catch (error) {
      if (!(error instanceof ImageDecodeError)) throw error;
      this.unreadable.add(path);
      this.options.onUndecodable?.(path, error);
      this.options.onAnalysed?.(++this.done);
      return { descriptor: null, problem: 'undecodable' };
    }
    const decode = performance.now() - t0;
    let analysis: Analysis;
    try {
      analysis = await (role === 'card'
        ? analyseCardPhoto(this.engine, frame)
        : this.engine.analyze(frame, { descriptor: true }));
    } finally {
      wipeFrame(frame);
    }
    const { prepare, detect, descriptor } = analysis.ms;
    this.times.push({ decode, prepare, detect, descriptor, total: prepare + detect + descriptor });
    this.options.onAnalysed?.(++this.done);
    return analysis.descriptor
      ? { descriptor: analysis.descriptor }
      : { descriptor: null, problem: 'no-face' };
  }

  timings(): AnalysisTimes {
    const n = this.times.length;
    const mean = (k: keyof StageTimes) => (n === 0 ? 0 : this.times.reduce((s, t) => s + t[k], 0) / n);
    const totals = this.times.map((t) => t.total).sort((a, b) => a - b);
    const at = (q: number) => (n === 0 ? 0 : totals[Math.min(n - 1, Math.floor(q * n))]!);
    return {
      analyses: n,
      mean: {
        decode: mean('decode'),
        prepare: mean('prepare'),
        detect: mean('detect'),
        descriptor: mean('descriptor'),
      },
      p50: at(0.5),
      p95: at(0.95),
    };
  }

  /** Zeroes every cached descriptor and forgets them. */
  async wipe(): Promise<void> {
    for (const entry of this.entries.values()) (await entry.catch(() => null))?.descriptor?.fill(0);
    this.entries.clear();
  }
}

/** The (image, role) analyses a list of pairs needs: the denominator of a progress display. */
export function analysesNeeded(pairs: readonly PairToScore[]): number {
  const keys = new Set<string>();
  for (const p of pairs) {
    keys.add(`card\u0000${p.a}`);
    keys.add(`live\u0000${p.b}`);
  }
  return keys.size;
}

/**
 * Checks that every image of the list is a readable file before any analysis starts, so a typo on
 * line 900 does not surface after minutes of work. Throws naming the first missing file.
 */
export async function checkImagesExist(pairs: readonly (PairToScore & { line?: number })[], file?: string) {
  const seen = new Set<string>();
  for (const p of pairs) {
    for (const path of [p.a, p.b]) {
      if (seen.has(path)) continue;
      seen.add(path);
      const ok = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!ok) {
        const where = file ? `${file}${p.line === undefined ? '' : `:${p.line}`}: ` : '';
        throw new Error(`${where}image not found: ${path}`);
      }
    }
  }
}

/**
 * Scores the pairs in order: pathA as the card photo, pathB as a live frame; one analysis per
 * (image, role) through `cache`. Images are analysed one at a time (the engine is single-threaded).
 */
export async function scorePairs(
  pairs: readonly PairToScore[],
  cache: DescriptorCache,
): Promise<PairScore[]> {
  const scores: PairScore[] = [];
  for (const pair of pairs) {
    const card = await cache.describe(pair.a, 'card');
    const live = await cache.describe(pair.b, 'live');
    const noFace: ('a' | 'b')[] = [];
    const undecodable: ('a' | 'b')[] = [];
    if (card.problem === 'no-face') noFace.push('a');
    if (live.problem === 'no-face') noFace.push('b');
    if (card.problem === 'undecodable') undecodable.push('a');
    if (live.problem === 'undecodable') undecodable.push('b');
    scores.push({
      a: pair.a,
      b: pair.b,
      same: pair.same,
      distance:
        card.descriptor && live.descriptor ? descriptorDistance(card.descriptor, live.descriptor) : null,
      noFace,
      undecodable,
    });
  }
  return scores;
}

/** PairScore → the ScoredPair of the metrics: no distance = never accepted. */
export function toScored(scores: readonly PairScore[]): { distance: number; same: boolean }[] {
  return scores.map((s) => ({ distance: s.distance ?? Number.POSITIVE_INFINITY, same: s.same }));
}

export interface EvalCounts extends PairCounts {
  /** Pairs where a face was not found in one image or both (all counted as rejects). */
  noFace: { pairs: number; genuine: number; impostor: number };
  /** Pairs with an image that would not decode (counted as rejects), and those images. */
  undecodable: { pairs: number; images: string[] };
  /** (image, role) analyses run: at most two per image. */
  analyses: number;
}

export interface EvalReport extends AccuracyReport {
  counts: EvalCounts;
  /** The smallest non-zero FAR the impostor pairs can show (1 / impostors); null without impostors. */
  farResolution: number | null;
  distances: ReturnType<typeof distanceSummary>;
  scores: PairScore[];
  ms: { total: number; analysis: AnalysisTimes };
}

/**
 * Scores the pairs and computes the accuracy report. Pass one cache to several calls (a pairs list
 * and all-vs-all over the same images) to analyse each (image, role) once; wiping it is the caller's.
 */
export async function evaluatePairs(
  pairs: readonly PairToScore[],
  cache: DescriptorCache,
  targets = TARGET_FARS,
): Promise<EvalReport> {
  const t0 = performance.now();
  const before = cache.analysed;
  const scores = await scorePairs(pairs, cache);
  const report = accuracyReport(toScored(scores), targets);
  const noFace = scores.filter((s) => s.noFace.length > 0);
  const undecodable = scores.filter((s) => s.undecodable.length > 0);
  const images = new Set(undecodable.flatMap((s) => s.undecodable.map((k) => s[k])));
  return {
    ...report,
    counts: {
      ...report.counts,
      noFace: {
        pairs: noFace.length,
        genuine: noFace.filter((s) => s.same).length,
        impostor: noFace.filter((s) => !s.same).length,
      },
      undecodable: { pairs: undecodable.length, images: [...images] },
      analyses: cache.analysed - before,
    },
    farResolution: report.counts.impostor === 0 ? null : 1 / report.counts.impostor,
    distances: distanceSummary(toScored(scores)),
    scores,
    ms: { total: performance.now() - t0, analysis: cache.timings() },
  };
}
