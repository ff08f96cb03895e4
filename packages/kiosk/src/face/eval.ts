/**
 * Accuracy of the face match over labelled pairs: ROC points, equal error rate and the false-reject
 * rate at fixed false-accept rates, from descriptor distances. Pure functions: the engine-driven part
 * (analysing the images of a pairs file) lives in eval/run.ts.
 *
 * Convention throughout: a pair is accepted when its distance is at or below the threshold. A pair
 * whose distance is not finite (a face was not found in one of its images) is never accepted: it is
 * a false reject when genuine and a correct reject when an impostor, never dropped.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface ScoredPair {
  /** Descriptor distance; Infinity (or any non-finite value) when it could not be measured. */
  distance: number;
  /** Same person (genuine pair) or not (impostor pair). */
  same: boolean;
}

export interface RocPoint {
  /** Accept at or below this distance. */
  threshold: number;
  /** Impostor pairs accepted ÷ impostor pairs (0 when there are no impostor pairs). */
  far: number;
  /** Genuine pairs rejected ÷ genuine pairs (0 when there are no genuine pairs). */
  frr: number;
}

export interface EqualErrorRate {
  /** The rate where FAR = FRR, linearly interpolated between the two ROC points around the crossing. */
  rate: number;
  /** The distance threshold interpolated the same way. */
  threshold: number;
}

export interface FarOperatingPoint {
  /** The FAR asked for, e.g. 0.0001 for 0.01 %. */
  targetFar: number;
  /**
   * The largest threshold (one of the scores) whose FAR ≤ target; null when even the smallest
   * score lets through too many impostors (then nothing is accepted: FRR = 1).
   */
  threshold: number | null;
  /** The FAR actually measured at `threshold`. */
  far: number;
  frr: number;
  falseAccepts: number;
  falseRejects: number;
  /** Impostor pairs needed to show this FAR at all: ⌈1 / target⌉. */
  impostorsNeeded: number;
  /** False when there are fewer impostor pairs than that: a FAR of 0 then says little. */
  resolvable: boolean;
}

export interface PairCounts {
  pairs: number;
  genuine: number;
  impostor: number;
  /** Pairs without a finite distance (no face found), counted as rejects. */
  unscored: { genuine: number; impostor: number };
}

export interface AccuracyReport {
  counts: PairCounts;
  /** One point per distinct finite distance, by increasing threshold. */
  roc: RocPoint[];
  /** Null without both genuine and impostor pairs. */
  eer: EqualErrorRate | null;
  atFar: FarOperatingPoint[];
}

/** FAR 1 %, 0.1 % and 0.01 %: the operating points the kiosk is judged at. */
export const TARGET_FARS: readonly number[] = [0.01, 0.001, 0.0001];

export function countPairs(pairs: readonly ScoredPair[]): PairCounts {
  const counts: PairCounts = {
    pairs: pairs.length,
    genuine: 0,
    impostor: 0,
    unscored: { genuine: 0, impostor: 0 },
  };
  for (const p of pairs) {
    if (p.same) counts.genuine++;
    else counts.impostor++;
    if (!Number.isFinite(p.distance)) {
      if (p.same) counts.unscored.genuine++;
      else counts.unscored.impostor++;
    }
  }
  return counts;
}

/**
 * FAR and FRR at every distinct finite distance, by increasing threshold. FAR never falls and FRR
 * never rises along the list. Ties count together: at a threshold equal to a genuine and an impostor
 * distance, both pairs are accepted.
 */
export function rocPoints(pairs: readonly ScoredPair[]): RocPoint[] {
  const { genuine, impostor } = countPairs(pairs);
  const scored = pairs.filter((p) => Number.isFinite(p.distance)).sort((a, b) => a.distance - b.distance);
  const points: RocPoint[] = [];
  let acceptedGenuine = 0;
  let acceptedImpostor = 0;
  for (let i = 0; i < scored.length; ) {
    const threshold = scored[i]!.distance;
    for (; i < scored.length && scored[i]!.distance === threshold; i++) {
      if (scored[i]!.same) acceptedGenuine++;
      else acceptedImpostor++;
    }
    points.push({
      threshold,
      far: impostor === 0 ? 0 : acceptedImpostor / impostor,
      frr: genuine === 0 ? 0 : (genuine - acceptedGenuine) / genuine,
    });
  }
  return points;
}

/**
 * The equal error rate: walking the ROC points by increasing threshold, the first point where
 * FAR ≥ FRR, interpolated linearly (rate and threshold alike) with the point before it on FAR − FRR.
 * Before the first point stands the "accept nothing" point (FAR 0, FRR 1) at the first threshold.
 * Null without genuine or without impostor pairs, or without a finite distance.
 */
export function equalErrorRate(pairs: readonly ScoredPair[], roc = rocPoints(pairs)): EqualErrorRate | null {
  const { genuine, impostor } = countPairs(pairs);
  if (genuine === 0 || impostor === 0 || roc.length === 0) return null;
  let previous: RocPoint = { threshold: roc[0]!.threshold, far: 0, frr: 1 };
  for (const point of roc) {
    const after = point.far - point.frr;
    if (after >= 0) {
      const before = previous.far - previous.frr;
      const t = before === after ? 1 : -before / (after - before);
      return {
        rate: previous.far + t * (point.far - previous.far),
        threshold: previous.threshold + t * (point.threshold - previous.threshold),
      };
    }
    previous = point;
  }
  // FAR stays below FRR to the end: only when unscored genuine pairs keep FRR up. The closest
  // the curves come is the last point.
  const last = roc[roc.length - 1]!;
  return { rate: (last.far + last.frr) / 2, threshold: last.threshold };
}

/** Impostor pairs needed before a FAR of `target` can be observed at all (one false accept). */
export function impostorsNeeded(target: number): number {
  // 1 / 0.001 is 1000 exactly, but guard against targets like 0.07 whose reciprocal is not.
  return Math.ceil(1 / target - 1e-9);
}

/**
 * The operating point for a target FAR: the largest threshold among the scores whose FAR ≤ target,
 * and the FRR there. With no impostor pairs every threshold qualifies (FAR counts as 0), so the
 * answer is the largest score, flagged unresolvable.
 */
export function operatingPointAtFar(
  pairs: readonly ScoredPair[],
  targetFar: number,
  roc = rocPoints(pairs),
): FarOperatingPoint {
  if (!(targetFar > 0 && targetFar < 1)) throw new RangeError(`target FAR ${targetFar} is not in (0, 1)`);
  const counts = countPairs(pairs);
  let best: RocPoint | undefined;
  for (const point of roc) {
    if (point.far <= targetFar) best = point;
    else break;
  }
  const frr = best ? best.frr : counts.genuine === 0 ? 0 : 1;
  const far = best ? best.far : 0;
  const needed = impostorsNeeded(targetFar);
  return {
    targetFar,
    threshold: best ? best.threshold : null,
    far,
    frr,
    falseAccepts: Math.round(far * counts.impostor),
    falseRejects: Math.round(frr * counts.genuine),
    impostorsNeeded: needed,
    resolvable: counts.impostor >= needed,
  };
}

/** FAR and FRR at one given threshold (accept at or below it), e.g. the configured default. */
export function ratesAt(
  pairs: readonly ScoredPair[],
  threshold: number,
): { threshold: number; far: number; frr: number; falseAccepts: number; falseRejects: number } {
  const { genuine, impostor } = countPairs(pairs);
  let falseAccepts = 0;
  let falseRejects = 0;
  for (const p of pairs) {
    const accepted = Number.isFinite(p.distance) && p.distance <= threshold;
    if (p.same && !accepted) falseRejects++;
    if (!p.same && accepted) falseAccepts++;
  }
  return {
    threshold,
    far: impostor === 0 ? 0 : falseAccepts / impostor,
    frr: genuine === 0 ? 0 : falseRejects / genuine,
    falseAccepts,
    falseRejects,
  };
}

/** Everything at once: counts, ROC points, EER, and the operating points at `targets`. */
export function accuracyReport(pairs: readonly ScoredPair[], targets = TARGET_FARS): AccuracyReport {
  const roc = rocPoints(pairs);
  return {
    counts: countPairs(pairs),
    roc,
    eer: equalErrorRate(pairs, roc),
    atFar: targets.map((target) => operatingPointAtFar(pairs, target, roc)),
  };
}

/** Minimum, median and maximum of the finite distances of each kind: the overlap at a glance. */
export function distanceSummary(pairs: readonly ScoredPair[]): {
  genuine: { min: number; median: number; max: number } | null;
  impostor: { min: number; median: number; max: number } | null;
} {
  const summary = (same: boolean) => {
    const d = pairs
      .filter((p) => p.same === same && Number.isFinite(p.distance))
      .map((p) => p.distance)
      .sort((a, b) => a - b);
    if (d.length === 0) return null;
    const mid = d.length >> 1;
    const median = d.length % 2 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2;
    return { min: d[0]!, median, max: d[d.length - 1]! };
  };
  return { genuine: summary(true), impostor: summary(false) };
}

// --- pairs files ----------------------------------------------------------------------------------

export interface LabelledPair {
  /** Absolute path of the image that plays the card photo. */
  a: string;
  /** Absolute path of the image that plays the live frame. */
  b: string;
  same: boolean;
  /** Line of the pairs file it came from (1-based). */
  line: number;
}

/** A pairs file that breaks the format; the message names the file and the line. */
export class PairsFileError extends Error {
  override readonly name = 'PairsFileError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(line === undefined ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
  }
}

/**
 * Parses a pairs list: one pair a line, `pathA pathB same|diff`, separated by spaces or tabs, paths
 * relative to the file's folder (or absolute). Blank lines and lines starting with `#` are skipped.
 * pathA plays the card photo, pathB the live frame.
 */
export function parsePairs(text: string, file: string): LabelledPair[] {
  const base = dirname(resolve(file));
  const pairs: LabelledPair[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    if (fields.length !== 3) {
      throw new PairsFileError(
        file,
        i + 1,
        `expected "pathA pathB same|diff", found ${fields.length} field(s)`,
      );
    }
    const [a, b, label] = fields as [string, string, string];
    if (label !== 'same' && label !== 'diff') {
      throw new PairsFileError(file, i + 1, `label must be "same" or "diff", not "${label.slice(0, 20)}"`);
    }
    pairs.push({ a: resolve(base, a), b: resolve(base, b), same: label === 'same', line: i + 1 });
  }
  if (pairs.length === 0) throw new PairsFileError(file, undefined, 'no pairs in the file');
  return pairs;
}

/** Reads and parses a pairs file (see {@link parsePairs}). */
export async function readPairsFile(file: string): Promise<LabelledPair[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PairsFileError(file, undefined, `cannot be read${code ? ` (${code})` : ''}`);
  }
  return parsePairs(text, file);
}

// --- all-vs-all ---------------------------------------------------------------------------------

/**
 * Every image against every other (n·(n−1)/2 pairs, each unordered pair once, in the map's order),
 * same when both carry the same identity. `a` plays the card photo.
 */
export function allPairs(identities: ReadonlyMap<string, string>): { a: string; b: string; same: boolean }[] {
  const names = [...identities.keys()];
  const pairs: { a: string; b: string; same: boolean }[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      pairs.push({
        a: names[i]!,
        b: names[j]!,
        same: identities.get(names[i]!) === identities.get(names[j]!),
      });
    }
  }
  return pairs;
}
