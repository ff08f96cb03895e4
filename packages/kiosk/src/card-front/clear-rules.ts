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

/** A copy of the plane with long horizontal and vertical runs of ink painted as paper. */
export function clearRules(plane: GreyPlane): GreyPlane {
  const { width, height, data } = plane;
  const ink = inkMask(plane);
  const out = data.slice();
  const across = Math.round(width * RULE_ACROSS);
  const down = Math.round(height * RULE_DOWN);
  for (let y = 0; y < height; y++) {
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const dark = x < width && ink[y * width + x] === 1;
      if (dark && start < 0) start = x;
      if (!dark && start >= 0) {
        if (x - start >= across && thin(ink, width, height, start, x, y, 'across')) {
          // Painted as the paper beside it: a white line on grey paper would be a rule again.
          const above = Math.max(0, y - BESIDE) * width;
          const below = Math.min(height - 1, y + BESIDE) * width;
          for (let k = start; k < x; k++) out[y * width + k] = (data[above + k]! + data[below + k]!) >> 1;
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
        if (y - start >= down && thin(ink, width, height, start, y, x, 'down')) {
          const left = Math.max(0, x - BESIDE);
          const right = Math.min(width - 1, x + BESIDE);
          for (let k = start; k < y; k++)
            out[k * width + x] = (data[k * width + left]! + data[k * width + right]!) >> 1;
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

/** Whether the run [from, to) on row (or column) `at` has mostly paper `BESIDE` pixels off it on both sides. */
function thin(
  ink: Uint8Array,
  width: number,
  height: number,
  from: number,
  to: number,
  at: number,
  direction: 'across' | 'down',
): boolean {
  const limit = direction === 'across' ? height : width;
  for (const side of [at - BESIDE, at + BESIDE]) {
    if (side < 0 || side >= limit) continue;
    let dark = 0;
    for (let k = from; k < to; k++)
      dark += ink[direction === 'across' ? side * width + k : k * width + side]!;
    if (dark > 0.3 * (to - from)) return false;
  }
  return true;
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
