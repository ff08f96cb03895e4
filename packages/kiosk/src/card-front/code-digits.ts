/**
 * The security code's digits read by their shapes (see glyph-shapes.ts): the line cut into its
 * four digits by the gaps in its ink, each digit compared with the digit prototypes.
 */
import { clearness, type GlyphPrototypes, inkedLine, nearestByLabel, type Run } from './glyph-shapes.ts';
import type { GreyPlane } from './perspective.ts';
import type { Box } from './text-recogniser.ts';

/** A digit is at most this wide for its height (a 0 in a wide face); two digits that touch are wider. */
const WIDEST_DIGIT = 0.85;

export const DIGITS = '0123456789';

export interface DigitReading {
  readonly text: string;
  /** One per digit, 0..1: how much nearer the best digit's shape was than any other digit's. */
  readonly confidence: readonly number[];
}

/**
 * The shapes of the `count` digits printed in `box` (a line's box on the flat card, which the
 * print may overreach a little), left to right, or null when the ink there does not make that
 * many digits.
 */
export function digitShapes(plane: GreyPlane, box: Box, count: number): Float32Array[] | null {
  const line = inkedLine(plane, box);
  if (!line) return null;
  const segments = splitToCount(line.runs, count, line.rows.to - line.rows.from, line.columnInk);
  if (!segments) return null;
  return segments.map((segment) => line.shapeOf(segment));
}

/** Each shape's nearest digit, and how clearly (see clearness). */
export function readDigits(shapes: readonly Float32Array[], prototypes: GlyphPrototypes): DigitReading {
  let text = '';
  const confidence: number[] = [];
  for (const shape of shapes) {
    const { label, clear } = clearness(nearestByLabel(shape, prototypes), DIGITS);
    text += label;
    confidence.push(clear);
  }
  return { text, confidence };
}

/**
 * Runs of ink made into `count` digits: specks dropped, digits that touch (blur joins them) split
 * at their faintest column near where a digit's width ends, and a digit broken in two joined
 * again.
 */
function splitToCount(
  found: Run[],
  count: number,
  lineHeight: number,
  columnInk: (x: number) => number,
): Run[] | null {
  const runs = found.filter((run) => run.to - run.from >= 2 || columnInk(run.from) > lineHeight / 3);
  const widest = WIDEST_DIGIT * lineHeight;
  for (let guard = 0; runs.length < count && guard < count; guard++) {
    const [wide] = [...runs].sort((a, b) => b.to - b.from - (a.to - a.from));
    if (!wide || wide.to - wide.from <= widest) break;
    const parts = Math.min(count - runs.length + 1, Math.round((wide.to - wide.from) / (0.6 * lineHeight)));
    const digitWidth = (wide.to - wide.from) / Math.max(2, parts);
    const at = faintestNear(wide.from + digitWidth, Math.ceil(digitWidth / 6), wide, columnInk);
    runs.splice(runs.indexOf(wide), 1, { from: wide.from, to: at }, { from: at, to: wide.to });
  }
  // Pieces of one digit are narrow together; two digits side by side are not.
  while (runs.length > count) {
    let join = 0;
    for (let i = 1; i < runs.length - 1; i++)
      if (runs[i + 1]!.to - runs[i]!.from < runs[join + 1]!.to - runs[join]!.from) join = i;
    const [a, b] = [runs[join]!, runs[join + 1]!];
    if (b.to - a.from > widest) return null;
    runs.splice(join, 2, { from: a.from, to: b.to });
  }
  return runs.length === count ? runs : null;
}

/** Within `reach` of x, the column of the run with the least ink: where two digits meet. */
function faintestNear(x: number, reach: number, run: Run, columnInk: (x: number) => number): number {
  let best = Math.round(x);
  for (let c = Math.max(run.from + 1, best - reach); c <= Math.min(run.to - 1, best + reach); c++)
    if (columnInk(c) < columnInk(best)) best = c;
  return best;
}
