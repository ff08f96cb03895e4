/**
 * Printed characters as shapes, for the kiosk's own reading of the card's digits and date words
 * (code-digits.ts, date-glyphs.ts): a line's ink told from its paper, the columns where it has
 * ink, and any span of columns as a small grid of darkness to compare with prototypes drawn from
 * typefaces. It sees the print otherwise than the text engine does, so when the two agree that is
 * two kinds of evidence, not the same look taken twice.
 */
import { greyLevels, PAPER_SHARE } from './ink.ts';
import type { GreyPlane } from './perspective.ts';
import type { Box } from './text-recogniser.ts';

/** A character's shape: this many columns and rows of darkness, 0 (paper) to 1 (ink). */
export const GLYPH_COLUMNS = 12;
export const GLYPH_ROWS = 16;
export const GLYPH_SIZE = GLYPH_COLUMNS * GLYPH_ROWS;

/** Ink this much darker than the paper, or the line is too faint to cut into characters. */
const LEAST_CONTRAST = 40;
/** How far from paper towards ink a pixel must be to count as print, when cutting the line. */
const TOUCH = 0.3;

/** Shapes drawn from typefaces, one label (a character) each. */
export interface GlyphPrototypes {
  /** One character per prototype, in order. */
  readonly labels: string;
  /** GLYPH_SIZE values 0..255 per prototype. */
  readonly shapes: Uint8Array;
}

/** Columns [from, to) of the flat card. */
export interface Run {
  from: number;
  to: number;
}

/** One printed line's ink: where it lies, and the shape of any span of it. */
export interface InkedLine {
  /** The rows of the line's ink. */
  readonly rows: Run;
  /** Columns that have ink in those rows, left to right. */
  readonly runs: Run[];
  /** How many pixels of a column are ink. */
  columnInk(x: number): number;
  /** The shape of the ink between two columns, from its own top to its own bottom. */
  shapeOf(span: Run): Float32Array;
}

/**
 * The line printed in `box` (a line's box on the flat card, which the print may overreach a
 * little), or null where there is no clear ink there.
 */
export function inkedLine(plane: GreyPlane, box: Box): InkedLine | null {
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
  const rows = inkBand(area, (y) => {
    let n = 0;
    for (let x = area.x0; x < area.x1; x++) if (dark(x, y)) n++;
    return n;
  });
  if (!rows) return null;
  const columnInk = (x: number) => {
    let n = 0;
    for (let y = rows.from; y < rows.to; y++) if (dark(x, y)) n++;
    return n;
  };
  const darkness = (x: number, y: number) =>
    Math.max(0, Math.min(1, (paper - plane.data[y * plane.width + x]!) / (paper - ink)));
  return {
    rows,
    runs: inkRuns(area, columnInk),
    columnInk,
    shapeOf(span) {
      let top = rows.to;
      let bottom = rows.from;
      for (let y = rows.from; y < rows.to; y++)
        for (let x = span.from; x < span.to; x++)
          if (dark(x, y)) {
            top = Math.min(top, y);
            bottom = Math.max(bottom, y + 1);
          }
      return gridOf(darkness, { x0: span.from, y0: top, x1: span.to, y1: Math.max(bottom, top + 1) });
    },
  };
}

/**
 * The squared distance from a shape to each label's nearest prototype; `relative`, as a share of
 * the two shapes' ink together (0 alike, 1 nothing in common), so that a narrow piece of a
 * character is not near a digit merely by the paper around it.
 */
export function nearestByLabel(
  shape: Float32Array,
  prototypes: GlyphPrototypes,
  relative = false,
): Map<string, number> {
  const nearest = new Map<string, number>();
  let own = 0;
  for (const v of shape) own += v * v;
  for (let p = 0; p < prototypes.labels.length; p++) {
    const offset = p * GLYPH_SIZE;
    let distance = 0;
    let theirs = 0;
    for (let i = 0; i < GLYPH_SIZE; i++) {
      const v = prototypes.shapes[offset + i]! / 255;
      const d = shape[i]! - v;
      distance += d * d;
      theirs += v * v;
    }
    if (relative) distance /= own + theirs || 1;
    const label = prototypes.labels[p]!;
    nearest.set(label, Math.min(nearest.get(label) ?? Number.POSITIVE_INFINITY, distance));
  }
  return nearest;
}

/** How much nearer the best of `labels` is than the next: 1 − sqrt(nearest / next nearest). */
export function clearness(nearest: Map<string, number>, labels: string): { label: string; clear: number } {
  const [best, second] = [...nearest].filter(([label]) => labels.includes(label)).sort((a, b) => a[1] - b[1]);
  if (!best) return { label: '', clear: 0 };
  const clear = second && second[1] > 0 ? Math.round((1 - Math.sqrt(best[1] / second[1])) * 100) / 100 : 0;
  return { label: best[0], clear };
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

/** The run of inked rows with the most ink: the line, not a speck or the edge of the photo above. */
function inkBand(area: Box, rowInk: (y: number) => number): Run | null {
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
 * The box scaled, keeping its proportions, to fill the rows of the shape, centred across it (a 1
 * stays narrow), each cell the mean darkness of the pixels it covers.
 */
function gridOf(darkness: (x: number, y: number) => number, box: Box): Float32Array {
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
