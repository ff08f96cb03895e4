/**
 * The security code's digits read a second way, by our own means: the line cut into its digits by
 * the gaps in its ink, each digit's shape compared with prototypes drawn from several typefaces
 * (made by `kiosk-dev card digit-prototypes`). It sees the print otherwise than the text engine
 * does, so when the two agree that is two kinds of evidence, not the same look taken twice.
 */
import { greyLevels, PAPER_SHARE } from './ink.ts';
import type { GreyPlane } from './perspective.ts';
import type { Box } from './text-recogniser.ts';

/** A digit's shape: this many columns and rows of darkness, 0 (paper) to 1 (ink). */
export const GLYPH_COLUMNS = 12;
export const GLYPH_ROWS = 16;
const GLYPH_SIZE = GLYPH_COLUMNS * GLYPH_ROWS;

/** Ink this much darker than the paper, or the line is too faint to cut into digits. */
const LEAST_CONTRAST = 40;
/** How far from paper towards ink a pixel must be to count as print, when cutting the line. */
const TOUCH = 0.3;
/** A digit is at most this wide for its height (a 0 in a wide face); two digits that touch are wider. */
const WIDEST_DIGIT = 0.85;

export interface DigitPrototypes {
  /** One digit per prototype, in order. */
  readonly labels: string;
  /** GLYPH_SIZE values 0..255 per prototype. */
  readonly shapes: Uint8Array;
}

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
  const height = box.y1 - box.y0;
  const area = clip(plane, {
    x0: box.x0 - 0.5 * height,
    y0: box.y0 - 0.3 * height,
    x1: box.x1 + 0.5 * height,
    y1: box.y1 + 0.3 * height,
  });
  const levels = paperAndInk(plane, area);
  if (!levels) return null;
  const { paper, ink } = levels;
  // Nearer the paper than the ink: a serif 0's hairlines, blurred, must still join its sides.
  const cut = paper - TOUCH * (paper - ink);
  const dark = (x: number, y: number) => plane.data[y * plane.width + x]! < cut;
  const rows = inkBand(area, (y) => countRow(area, y, dark));
  if (!rows) return null;
  const columnInk = (x: number) => {
    let n = 0;
    for (let y = rows.from; y < rows.to; y++) if (dark(x, y)) n++;
    return n;
  };
  const segments = splitToCount(inkRuns(area, columnInk), count, rows.to - rows.from, columnInk);
  if (!segments) return null;
  const darkness = (x: number, y: number) =>
    Math.max(0, Math.min(1, (paper - plane.data[y * plane.width + x]!) / (paper - ink)));
  return segments.map((segment) => {
    let top = rows.to;
    let bottom = rows.from;
    for (let y = rows.from; y < rows.to; y++)
      for (let x = segment.from; x < segment.to; x++)
        if (dark(x, y)) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y + 1);
        }
    return shapeOf(darkness, { x0: segment.from, y0: top, x1: segment.to, y1: Math.max(bottom, top + 1) });
  });
}

/** Each shape's nearest prototype, and how clearly: 1 − (nearest distance / nearest other digit's). */
export function readDigits(shapes: readonly Float32Array[], prototypes: DigitPrototypes): DigitReading {
  let text = '';
  const confidence: number[] = [];
  for (const shape of shapes) {
    const nearest = new Map<string, number>();
    for (let p = 0; p < prototypes.labels.length; p++) {
      const offset = p * GLYPH_SIZE;
      let distance = 0;
      for (let i = 0; i < GLYPH_SIZE; i++) {
        const d = shape[i]! - prototypes.shapes[offset + i]! / 255;
        distance += d * d;
      }
      const label = prototypes.labels[p]!;
      nearest.set(label, Math.min(nearest.get(label) ?? Number.POSITIVE_INFINITY, distance));
    }
    const [best, second] = [...nearest].sort((a, b) => a[1] - b[1]);
    text += best![0];
    confidence.push(
      second && second[1] > 0 ? Math.round((1 - Math.sqrt(best![1] / second[1])) * 100) / 100 : 0,
    );
  }
  return { text, confidence };
}

function clip(plane: GreyPlane, box: Box): Box {
  return {
    x0: Math.max(0, Math.floor(box.x0)),
    y0: Math.max(0, Math.floor(box.y0)),
    x1: Math.min(plane.width, Math.ceil(box.x1)),
    y1: Math.min(plane.height, Math.ceil(box.y1)),
  };
}

/** The area's paper (see ink.ts) and ink (its 2nd percentile), or null when they are too alike. */
function paperAndInk(plane: GreyPlane, area: Box): { paper: number; ink: number } | null {
  const level = greyLevels(plane, area);
  const paper = level(PAPER_SHARE);
  const ink = level(0.02);
  if (paper === undefined || ink === undefined) return null;
  return paper - ink >= LEAST_CONTRAST ? { paper, ink } : null;
}

function countRow(area: Box, y: number, dark: (x: number, y: number) => boolean): number {
  let n = 0;
  for (let x = area.x0; x < area.x1; x++) if (dark(x, y)) n++;
  return n;
}

/** The run of inked rows with the most ink: the line, not a speck or the edge of the photo above. */
function inkBand(area: Box, rowInk: (y: number) => number): { from: number; to: number } | null {
  let best: { from: number; to: number; ink: number } | null = null;
  let from = -1;
  let total = 0;
  for (let y = area.y0; y <= area.y1; y++) {
    const n = y < area.y1 ? rowInk(y) : 0;
    if (n > 0) {
      if (from < 0) from = y;
      total += n;
    } else if (from >= 0) {
      if (!best || total > best.ink) best = { from, to: y, ink: total };
      from = -1;
      total = 0;
    }
  }
  return best && best.to - best.from >= 4 ? { from: best.from, to: best.to } : null;
}

interface Run {
  from: number;
  to: number;
}

function inkRuns(area: Box, columnInk: (x: number) => number): Run[] {
  const runs: Run[] = [];
  let from = -1;
  for (let x = area.x0; x <= area.x1; x++) {
    const inked = x < area.x1 && columnInk(x) > 0;
    if (inked && from < 0) from = x;
    if (!inked && from >= 0) {
      runs.push({ from, to: x });
      from = -1;
    }
  }
  return runs;
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

/**
 * The digit's box scaled, keeping its proportions, to fill the rows of the shape, centred across
 * it (a 1 stays narrow), each cell the mean darkness of the pixels it covers.
 */
function shapeOf(darkness: (x: number, y: number) => number, box: Box): Float32Array {
  const shape = new Float32Array(GLYPH_SIZE);
  const scale = (box.y1 - box.y0) / GLYPH_ROWS;
  const width = Math.min(GLYPH_COLUMNS, (box.x1 - box.x0) / scale);
  const left = (GLYPH_COLUMNS - width) / 2;
  const xScale = (box.x1 - box.x0) / width;
  for (let row = 0; row < GLYPH_ROWS; row++) {
    for (let column = 0; column < GLYPH_COLUMNS; column++) {
      const u0 = column - left;
      const u1 = u0 + 1;
      if (u1 <= 0 || u0 >= width) continue;
      const x0 = box.x0 + Math.max(0, u0) * xScale;
      const x1 = box.x0 + Math.min(width, u1) * xScale;
      const y0 = box.y0 + row * scale;
      const y1 = y0 + scale;
      shape[row * GLYPH_COLUMNS + column] =
        meanOver(darkness, x0, y0, x1, y1) * (Math.min(width, u1) - Math.max(0, u0));
    }
  }
  return shape;
}

/** Mean of the pixels whose centres fall in the span; the nearest pixel where none does. */
function meanOver(
  darkness: (x: number, y: number) => number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++)
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++)
      if (x + 0.5 >= x0 && x + 0.5 < x1 && y + 0.5 >= y0 && y + 0.5 < y1) {
        sum += darkness(x, y);
        n++;
      }
  return n > 0 ? sum / n : darkness(Math.floor((x0 + x1) / 2), Math.floor((y0 + y1) / 2));
}
