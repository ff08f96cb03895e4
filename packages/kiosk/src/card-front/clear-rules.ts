/**
 * Thin straight rules taken off the flat card before its text is read: the box around 「…まで有効」.
 * The text engine takes a rule beside a line of text for a character of it, or gives up on the
 * line; no printed character has a stroke this long. Only thin runs go: a dark area (the photo) is
 * the engine's to set aside, and painting it out would change how the engine sees the page.
 */
import type { GreyPlane } from './perspective.ts';

/** Runs of ink at least this share of the card's width (a rule), or of its height (a side of a box). */
const RULE_ACROSS = 0.065;
const RULE_DOWN = 0.075;
/** A rule is thin: this far to either side of it, most of its length is paper. */
const BESIDE = 4;
/**
 * A blurred rule's edges are lighter than ink yet still a line: left, they read as two faint rules
 * where there was one, and its ends as dots at a box's corners. This many pixels round a rule's
 * ink go with it.
 */
const FRINGE = 2;

/** A copy of the plane with long horizontal and vertical runs of ink painted as paper. */
export function clearRules(plane: GreyPlane): GreyPlane {
  const { width, height, data } = plane;
  const ink = inkMask(plane);
  const out = data.slice();
  // Where rules across were found: a shorter run down that meets one is the side of a box.
  const ruled = new Uint8Array(width * height);
  const across = Math.round(width * RULE_ACROSS);
  const down = Math.round(height * RULE_DOWN);
  for (let y = 0; y < height; y++) {
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const dark = x < width && ink[y * width + x] === 1;
      if (dark && start < 0) start = x;
      if (!dark && start >= 0) {
        if (x - start >= across && thin(ink, width, height, start, x, y, 'across', 2)) {
          // Painted as the paper beside it (a white line on grey paper would be a rule again): the
          // lighter side, since at a box's corner one side is the box's other rule.
          const above = Math.max(0, y - BESIDE - FRINGE) * width;
          const below = Math.min(height - 1, y + BESIDE + FRINGE) * width;
          for (let row = Math.max(0, y - FRINGE); row <= Math.min(height - 1, y + FRINGE); row++)
            for (let k = Math.max(0, start - FRINGE); k < Math.min(width, x + FRINGE); k++)
              out[row * width + k] = Math.max(data[above + k]!, data[below + k]!);
          ruled.fill(1, y * width + start, y * width + x);
        }
        start = -1;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    let start = -1;
    for (let y = 0; y <= height; y++) {
      const dark = y < height && ink[y * width + x] === 1;
      if (dark && start < 0) start = y;
      if (!dark && start >= 0) {
        const rule = y - start >= down && thin(ink, width, height, start, y, x, 'down', 2);
        // A box's side has text close inside it: paper on its outer side is enough.
        const side =
          y - start >= BOX_SIDE * down &&
          closes(ruled, width, x, start, y) &&
          thin(ink, width, height, start, y, x, 'down', 1);
        if (rule || side) {
          const left = Math.max(0, x - BESIDE - FRINGE);
          const right = Math.min(width - 1, x + BESIDE + FRINGE);
          for (let column = Math.max(0, x - FRINGE); column <= Math.min(width - 1, x + FRINGE); column++)
            for (let k = Math.max(0, start - FRINGE); k < Math.min(height, y + FRINGE); k++)
              out[k * width + column] = Math.max(data[k * width + left]!, data[k * width + right]!);
        }
        start = -1;
      }
    }
  }
  clearEdges(out, width, height);
  return { width, height, data: out };
}

/** ID-1's corner radius, 3.18 mm of 85.6: outside it, and along the edges, the tray shows through. */
const CORNER_RADIUS = 0.037;
const EDGE = 0.008;

/** The tray seen past the card's rounded corners and a slightly loose outline, painted as paper. */
function clearEdges(out: Uint8Array, width: number, height: number): void {
  const r = CORNER_RADIUS * width;
  const edge = Math.max(2, Math.round(EDGE * width));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = Math.max(0, r - x, x - (width - 1 - r));
      const dy = Math.max(0, r - y, y - (height - 1 - r));
      const nearEdge = x < edge || y < edge || x >= width - edge || y >= height - edge;
      if (nearEdge || (dx > 0 && dy > 0 && Math.hypot(dx, dy) > r - edge)) out[y * width + x] = 255;
    }
  }
}

/** A box's sides may be shorter than a rule down: a run this share of one that meets a rule across. */
const BOX_SIDE = 0.5;

/** Whether the run down column `x` over rows [from, to) starts or ends on a rule across. */
function closes(ruled: Uint8Array, width: number, x: number, from: number, to: number): boolean {
  const height = ruled.length / width;
  for (const end of [from, to - 1])
    for (let y = Math.max(0, end - 3); y <= Math.min(height - 1, end + 3); y++)
      for (let k = Math.max(0, x - 3); k <= Math.min(width - 1, x + 3); k++)
        if (ruled[y * width + k] === 1) return true;
  return false;
}

/** Whether the run [from, to) on row (or column) `at` has mostly paper `BESIDE` pixels off it on `sides` sides. */
function thin(
  ink: Uint8Array,
  width: number,
  height: number,
  from: number,
  to: number,
  at: number,
  direction: 'across' | 'down',
  sides: 1 | 2,
): boolean {
  const limit = direction === 'across' ? height : width;
  let clear = 0;
  for (const side of [at - BESIDE, at + BESIDE]) {
    if (side < 0 || side >= limit) {
      clear += 1;
      continue;
    }
    let dark = 0;
    for (let k = from; k < to; k++)
      dark += ink[direction === 'across' ? side * width + k : k * width + side]!;
    if (dark <= 0.3 * (to - from)) clear += 1;
  }
  return clear >= sides;
}

/** Ink: darker than the paper around it (a card's paper is not evenly lit, so "around" is local). */
function inkMask({ width, height, data }: GreyPlane): Uint8Array {
  const radius = 16;
  // Integral image for local means.
  const sum = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += data[y * width + x]!;
      sum[(y + 1) * (width + 1) + x + 1] = sum[y * (width + 1) + x + 1]! + row;
    }
  }
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const area = (y1 - y0) * (x1 - x0);
      const local =
        (sum[y1 * (width + 1) + x1]! -
          sum[y0 * (width + 1) + x1]! -
          sum[y1 * (width + 1) + x0]! +
          sum[y0 * (width + 1) + x0]!) /
        area;
      mask[y * width + x] = data[y * width + x]! < local - 18 || data[y * width + x]! < 90 ? 1 : 0;
    }
  }
  return mask;
}
