/**
 * Where a field prints on a flat card front, found by its ink alone, for when the page's reading
 * did not see it: the security code, the one short line under the photo on the right (the
 * smallest print on the card); the validity date inside its box, left of centre; the birth date,
 * right of the name at the top; the title, the largest print, bottom left. Found here, it can be
 * read as a line.
 */
import { greyLevels, inkAgainst } from './ink.ts';
import type { GreyPlane } from './perspective.ts';
import type { Box } from './text-recogniser.ts';

/** A band of the card, as shares of its width and height, and how tall (as a share of the card's height) a line of the field is there. */
interface FieldBand {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  lineHeight: readonly [number, number];
}

/** Under the photo: the photo's lower part first (too tall), then the code. */
const CODE: FieldBand = { x0: 0.72, x1: 0.97, y0: 0.58, y1: 0.8, lineHeight: [0.012, 0.05] };
/** Below 性別, above any 追記 lines; the box's rules are painted out before (clear-rules.ts). */
const VALIDITY: FieldBand = { x0: 0.03, x1: 0.62, y0: 0.45, y1: 0.62, lineHeight: [0.025, 0.07] };
/** Right of where the longest name ends, above 住所. */
const BIRTH: FieldBand = { x0: 0.57, x1: 0.98, y0: 0.04, y1: 0.2, lineHeight: [0.025, 0.07] };
/** The large title along the bottom left, above the card's edge. */
const TITLE: FieldBand = { x0: 0.02, x1: 0.55, y0: 0.78, y1: 0.99, lineHeight: [0.045, 0.12] };

/**
 * A copy of the flat card showing only the fields' lines, everything else painted over with its
 * paper: the name, the address and the photo are most of what a page's reading reads, and none of
 * 照合番号B. A field whose line is not found by its ink keeps its whole band.
 */
export function fieldsOnly(flat: GreyPlane): GreyPlane {
  const { width, height } = flat;
  const kept = [CODE, VALIDITY, BIRTH, TITLE].map((band) => {
    const whole = bandBox(flat, band);
    const line = lineInBand(flat, band);
    if (!line) return whole;
    // Room round the line for the engine to see it as one: half its height above and below, and
    // a character's width each side, within its band.
    const room = line.y1 - line.y0;
    return {
      x0: Math.max(whole.x0, line.x0 - room),
      x1: Math.min(whole.x1, line.x1 + room),
      y0: Math.max(0, line.y0 - Math.ceil(room / 2)),
      y1: Math.min(height, line.y1 + Math.ceil(room / 2)),
    };
  });
  // One level for all the paper painted: squares of paper painted each with its own light make
  // edges the engine reads as strokes.
  const paper = greyLevels(flat, { x0: 0, y0: 0, x1: width, y1: height })(PAPER_MEDIAN) ?? 255;
  const data = new Uint8Array(width * height).fill(paper);
  for (const box of kept)
    for (let y = box.y0; y < box.y1; y++)
      data.set(flat.data.subarray(y * width + box.x0, y * width + box.x1), y * width + box.x0);
  return { width, height, data };
}

/** Most of a card is paper: its middle grey level is the paper's. */
const PAPER_MEDIAN = 0.5;

/** The box of the security code's line, or null. */
export function codeLineBox(flat: GreyPlane): Box | null {
  return lineInBand(flat, CODE);
}

/** The box of the validity date's line, or null. */
export function validityLineBox(flat: GreyPlane): Box | null {
  return lineInBand(flat, VALIDITY);
}

/** The box of the birth date's line, or null. */
export function birthLineBox(flat: GreyPlane): Box | null {
  return lineInBand(flat, BIRTH);
}

/** The box of the card's title (個人番号カード), or null. */
export function titleLineBox(flat: GreyPlane): Box | null {
  return lineInBand(flat, TITLE);
}

/** The first run of inked rows in the band, below its top edge, as tall as a line of the field. */
function lineInBand(flat: GreyPlane, band: FieldBand): Box | null {
  const { height } = flat;
  const { x0, x1, y0, y1 } = bandBox(flat, band);
  const inked = inkAgainst(flat, { x0, y0, x1, y1 });
  const rowInked = (y: number) => {
    for (let x = x0; x < x1; x++) if (inked(x, y)) return true;
    return false;
  };
  let start = -1;
  for (let y = y0; y <= y1; y++) {
    const ink = y < y1 && rowInked(y);
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) {
      const rows = y - start;
      // A run cut by the band's top edge is the foot of something above, not a line.
      if (start > y0 && rows >= band.lineHeight[0] * height && rows <= band.lineHeight[1] * height) {
        let left = x1;
        let right = x0;
        for (let yy = start; yy < y; yy++)
          for (let x = x0; x < x1; x++)
            if (inked(x, yy)) {
              left = Math.min(left, x);
              right = Math.max(right, x + 1);
            }
        return { x0: left, y0: start, x1: right, y1: y };
      }
      start = -1;
    }
  }
  return null;
}

function bandBox({ width, height }: GreyPlane, band: FieldBand): Box {
  return {
    x0: Math.round(band.x0 * width),
    x1: Math.round(band.x1 * width),
    y0: Math.round(band.y0 * height),
    y1: Math.round(band.y1 * height),
  };
}
