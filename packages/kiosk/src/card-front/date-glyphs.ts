/**
 * A printed date read by our own means (see glyph-shapes.ts): the line cut where its ink thins,
 * and of all the ways to cut it, the one whose pieces best match a date as the card prints it,
 * 「令和5年11月25日」 or 「2035年 3月17日」, each piece against prototypes of that character.
 * The 年, 月 and 日 between the numbers tell where each number ends, which the text engine's
 * own boxes do not (a box 170 px wide over 「2028年11月」, another 3 px wide).
 */
import type { EraName } from '@myna/card/verification-number.js';
import { DIGITS } from './code-digits.ts';
import { DATE_WORD_PROTOTYPES } from './date-word-prototype-data.ts';
import { DIGIT_PROTOTYPES } from './digit-prototype-data.ts';
import { clearness, type GlyphPrototypes, inkedLine, nearestByLabel, type Run } from './glyph-shapes.ts';
import type { GreyPlane } from './perspective.ts';
import type { Box } from './text-recogniser.ts';

export interface DateByShapes {
  /** The era printed before the year; null for a Gregorian year. */
  readonly era: EraName | null;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0..1: how clearly the least clear of its digits (and its era) was what it was read as. */
  readonly confidence: number;
}

/** 「令和5年」: an era and its year; 「2035年」: four digits. */
export type DateForm = 'era' | 'gregorian';

const ERAS: readonly EraName[] = ['大正', '昭和', '平成', '令和'];
/** The characters of a date other than digits, as the prototypes hold them. */
export const DATE_WORDS = `${[...new Set(ERAS.join(''))].join('')}元年月日`;

/** The eras' first characters, and their second. */
const ERA_CHARACTERS = [ERAS.map((era) => era[0]).join(''), [...new Set(ERAS.map((era) => era[1]))].join('')];

/** The digits' prototypes and the other characters'. */
const DATE_PROTOTYPES: GlyphPrototypes = {
  labels: DIGIT_PROTOTYPES.labels + DATE_WORD_PROTOTYPES.labels,
  shapes: Buffer.concat([DIGIT_PROTOTYPES.shapes, DATE_WORD_PROTOTYPES.shapes]),
};

/** A digit is at most this wide for the height of the line (its kanji), a kanji at least and at most these. */
const DIGIT_WIDTH = [0.05, 0.72] as const;
const KANJI_WIDTH = [0.4, 1.3] as const;
/** A column with this share of its run's most ink or less may be where two characters touch. */
const THIN = 0.6;
/**
 * What ink left out of every character costs, per square of the line's height (a thin 1 is 0.05
 * of it): left out, a digit must cost more than any match of it.
 */
const SKIPPED = 10;

/** One character of a date: the labels it may be, and what part of the date it is. */
interface Slot {
  readonly labels: string;
  readonly part: 'era' | 'year' | 'month' | 'day' | null;
  /** The slot may be left empty (a number's second digit). */
  readonly optional: boolean;
}

/**
 * The date printed in `box` on the flat card, read as `form`, or null when its ink does not cut
 * into such a date (a line of something else, too faint, too blurred to part).
 */
export function readDateByShapes(
  plane: GreyPlane,
  box: Box,
  form: DateForm,
  prototypes: GlyphPrototypes = DATE_PROTOTYPES,
): DateByShapes | null {
  const line = inkedLine(plane, box);
  if (!line) return null;
  const height = line.rows.to - line.rows.from;
  const cuts = cutsOf(line.runs, line.columnInk, height);
  const nearest = new Map<string, Map<string, number>>();
  const distances = (span: Run) => {
    const key = `${span.from}:${span.to}`;
    let found = nearest.get(key);
    if (!found) {
      found = nearestByLabel(line.shapeOf(span), prototypes, true);
      nearest.set(key, found);
    }
    return found;
  };
  const placed = place(layoutOf(form), cuts, height, line.columnInk, distances);
  return placed && dateOf(placed, distances);
}

/**
 * The date as printed, one slot per character: the era's two characters (or the year's four
 * digits), then each number's digits, the second optional (「 5月」, 「11月」), and 年, 月, 日.
 */
function layoutOf(form: DateForm): Slot[] {
  const digit = (part: Slot['part'], optional = false): Slot => ({ labels: DIGITS, part, optional });
  const word = (labels: string): Slot => ({ labels, part: null, optional: false });
  const number = (part: Slot['part']) => [digit(part), digit(part, true)];
  const year =
    form === 'era'
      ? [
          { labels: ERA_CHARACTERS[0]!, part: 'era', optional: false } as const,
          { labels: ERA_CHARACTERS[1]!, part: 'era', optional: false } as const,
          // 元年: the first year of an era.
          { labels: `${DIGITS}元`, part: 'year', optional: false } as const,
          digit('year', true),
        ]
      : [digit('year'), digit('year'), digit('year'), digit('year')];
  return [...year, word('年'), ...number('month'), word('月'), ...number('day'), word('日')];
}

interface Cut {
  x: number;
  /** A character may begin here (a run's first column, a thin column) or end here (a run's end, a thin column). */
  opens: boolean;
  closes: boolean;
}

/** Where the line may be cut between characters: the gaps in its ink, and its thin columns. */
function cutsOf(runs: Run[], columnInk: (x: number) => number, height: number): Cut[] {
  const at = new Map<number, Cut>();
  const add = (x: number, opens: boolean, closes: boolean) => {
    const cut = at.get(x) ?? { x, opens: false, closes: false };
    at.set(x, { x, opens: cut.opens || opens, closes: cut.closes || closes });
  };
  for (const run of runs) {
    add(run.from, true, false);
    add(run.to, false, true);
    if (run.to - run.from < 0.5 * height) continue;
    let most = 0;
    for (let x = run.from; x < run.to; x++) most = Math.max(most, columnInk(x));
    for (let x = run.from + 1; x < run.to - 1; x++) {
      const ink = columnInk(x);
      if (ink <= THIN * most && ink <= columnInk(x - 1) && ink < columnInk(x + 1)) add(x, true, true);
    }
  }
  return [...at.values()].sort((a, b) => a.x - b.x);
}

/** A slot of the date filled: where its character lies. */
interface Placed {
  readonly slot: Slot;
  readonly span: Run;
}

/**
 * The slots placed on the line left to right at the least cost: each character's distance to its
 * nearest prototype among its labels, and ink left out between or before them as dearly as a
 * poorly matched character. Null where the line cannot hold them.
 */
function place(
  slots: Slot[],
  cuts: Cut[],
  height: number,
  columnInk: (x: number) => number,
  distances: (span: Run) => Map<string, number>,
): Placed[] | null {
  const n = cuts.length;
  if (n === 0) return null;
  // Ink left out, by a running sum over the columns.
  const x0 = cuts[0]!.x;
  const inkTo = [0];
  for (let x = x0; x < cuts[n - 1]!.x; x++)
    inkTo.push(inkTo.at(-1)! + (SKIPPED * columnInk(x)) / (height * height));
  const inkBetween = (a: number, b: number) => inkTo[b - x0]! - inkTo[a - x0]!;
  // cost[j]: the least cost of the slots so far, the last character placed ending at cuts[j].
  let cost = cuts.map((cut) => (cut === cuts[0] ? 0 : Number.POSITIVE_INFINITY));
  // Per slot and end: the cut the character began at, and the end before it (-1: the slot left empty).
  const steps: { begin: Int32Array; before: Int32Array }[] = [];
  for (const [k, slot] of slots.entries()) {
    const digits = [...slot.labels].filter((label) => DIGITS.includes(label)).join('');
    const words = [...slot.labels].filter((label) => !DIGITS.includes(label)).join('');
    const most = words ? KANJI_WIDTH[1] : DIGIT_WIDTH[1];
    const next = slot.optional ? [...cost] : cuts.map(() => Number.POSITIVE_INFINITY);
    const begin = new Int32Array(n).fill(-1);
    const before = new Int32Array(n).fill(-1);
    // The least cost of reaching cut i with nothing unplaced, and the end it came from.
    let reach = Number.POSITIVE_INFINITY;
    let from = -1;
    for (let i = 0; i < n; i++) {
      if (i > 0) reach += inkBetween(cuts[i - 1]!.x, cuts[i]!.x);
      if ((k === 0 ? i === 0 : cuts[i]!.closes) && cost[i]! < reach) {
        reach = cost[i]!;
        from = i;
      }
      if (!cuts[i]!.opens || !Number.isFinite(reach)) continue;
      for (let j = i + 1; j < n; j++) {
        const width = cuts[j]!.x - cuts[i]!.x;
        if (width > most * height) break;
        if (!cuts[j]!.closes) continue;
        // Only characters as wide as this may be here.
        const fits = (widths: readonly [number, number]) =>
          width >= widths[0] * height && width <= widths[1] * height;
        const labels = (fits(DIGIT_WIDTH) ? digits : '') + (fits(KANJI_WIDTH) ? words : '');
        if (!labels) continue;
        const near = distances({ from: cuts[i]!.x, to: cuts[j]!.x });
        let d = Number.POSITIVE_INFINITY;
        for (const label of labels) d = Math.min(d, near.get(label) ?? Number.POSITIVE_INFINITY);
        const total = reach + d;
        if (total < next[j]!) {
          next[j] = total;
          begin[j] = i;
          before[j] = from;
        }
      }
    }
    cost = next;
    steps.push({ begin, before });
  }
  let end = -1;
  for (let j = 0; j < n; j++) if (Number.isFinite(cost[j]!) && (end < 0 || cost[j]! < cost[end]!)) end = j;
  if (end < 0) return null;
  const placed: Placed[] = [];
  for (let k = slots.length - 1, j = end; k >= 0; k--) {
    const i = steps[k]!.begin[j]!;
    if (i < 0) continue; // left empty: the end stays where it was
    placed.unshift({ slot: slots[k]!, span: { from: cuts[i]!.x, to: cuts[j]!.x } });
    j = steps[k]!.before[j]!;
  }
  return placed;
}

/**
 * The date the placed characters spell, with how clearly each digit was itself and not another
 * digit, and the era its era; null where a 年, 月 or 日 is nearer another of a date's words than
 * itself (the line is not a date, or was cut wrongly), or the era's characters are no era.
 */
function dateOf(placed: Placed[], distances: (span: Run) => Map<string, number>): DateByShapes | null {
  const parts = { era: '', year: '', month: '', day: '' };
  let confidence = 1;
  for (const { slot, span } of placed) {
    const near = distances(span);
    if (slot.part === null) {
      if (clearness(near, DATE_WORDS).label !== slot.labels) return null;
      continue;
    }
    const { label, clear } = clearness(near, slot.labels);
    parts[slot.part] += label;
    confidence = Math.min(confidence, clear);
  }
  const era = parts.era === '' ? null : ERAS.find((name) => name === parts.era);
  if (era === undefined) return null;
  if (parts.year.includes('元') && parts.year !== '元') return null;
  return {
    era,
    year: parts.year === '元' ? 1 : Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    confidence,
  };
}
