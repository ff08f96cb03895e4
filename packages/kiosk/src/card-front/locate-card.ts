/**
 * Finds the card in a frame of the card tray: the largest region that differs from what the frame's
 * border shows (the tray), or that the frame's sharp edges enclose, its convex outline, and the
 * four straight sides of that outline; where both find a card, the one with the sharper sides. The
 * card's rounded corners are cut by the outline; the sides are not, so corners are where the sides
 * meet. Works on a small copy of the frame: the outline needs a few pixels of precision, not many.
 */
import type { Frame } from '../face/image/frame.ts';
import { type Point, polygonArea, type Quad, solve } from './perspective.ts';

/** Width of the working copy, in pixels. */
const WORK_WIDTH = 320;
/** The card must cover at least this share of the frame. */
const MIN_AREA_SHARE = 0.06;
/** ID-1 is 85.6 × 54 mm (1.585); perspective and the tray's angle stretch what the camera sees. */
const ASPECT_RANGE = [1.2, 2.2] as const;

export type LocateProblem = 'no-card' | 'card-cut-off';
export type Located = { ok: true; quad: Quad } | { ok: false; problem: LocateProblem };

export function locateCard(frame: Frame): Located {
  const small = shrink(frame);
  const scale = frame.width / small.width;
  const step = steepness(small);
  const byTray = outlined(frame, small, foreground(small), { margin: -2, inset: 0 });
  // An edge run into the frame's border closes a thing cut off there as well as a card in view:
  // a corner so near the border (the edge's own width and a pixel more) is cut off.
  const byEdges = outlined(frame, small, enclosed(small, step), {
    margin: (EDGE_WIDTH + 2) * scale,
    inset: EDGE_WIDTH,
  });
  if (byTray.ok && byEdges.ok) {
    // A blotchy tray the model cannot follow joins the card to a blotch; the card's edge is a step.
    const sharper = sharpness(small, step, byEdges.quad, scale) > sharpness(small, step, byTray.quad, scale);
    return sharper ? byEdges : byTray;
  }
  return byTray.ok || !byEdges.ok ? byTray : byEdges;
}

/**
 * The card as the largest region of the mask, by its outline's four sides moved `inset` working
 * pixels in; cut off where a corner lies `margin` pixels or less inside the frame's edge
 * (negative: beyond it).
 */
function outlined(
  frame: Frame,
  small: Small,
  mask: Uint8Array,
  { margin, inset }: { margin: number; inset: number },
): Located {
  const region = largestRegion(mask, small.width);
  if (region.count === 0) return { ok: false, problem: 'no-card' };
  if (touchesEdge(region.mask, small.width, small.height)) return { ok: false, problem: 'card-cut-off' };
  fillHoles(region.mask, small.width, small.height);
  const hull = convexHull(rowExtremes(region.mask, small.width, small.height));
  // The outline's area, not the region's: an edge's outline may be all there is of a card.
  if (polygonArea(hull) < MIN_AREA_SHARE * small.width * small.height)
    return { ok: false, problem: 'no-card' };
  const sides = sidesMeet(hull);
  const corners = sides && inset > 0 ? movedIn(sides, inset) : sides;
  if (!corners) return { ok: false, problem: 'no-card' };
  const scale = frame.width / small.width;
  const quad = orderAsCard(corners.map((p) => ({ x: p.x * scale, y: p.y * scale })));
  if (!plausible(quad)) return { ok: false, problem: 'no-card' };
  const { width, height } = frame;
  if (quad.some((p) => p.x < margin || p.y < margin || p.x > width - margin || p.y > height - margin)) {
    return { ok: false, problem: 'card-cut-off' };
  }
  return { ok: true, quad };
}

interface Small {
  width: number;
  height: number;
  /** RGB, three bytes a pixel. */
  rgb: Float32Array;
}

/** Box-averaged copy about WORK_WIDTH wide: averaging also calms JPEG noise and wood grain. */
function shrink(frame: Frame): Small {
  const step = Math.max(1, frame.width / WORK_WIDTH);
  const width = Math.max(1, Math.round(frame.width / step));
  const height = Math.max(1, Math.round(frame.height / step));
  const rgb = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy0 = Math.floor(y * step);
    const sy1 = Math.min(frame.height, Math.max(sy0 + 1, Math.floor((y + 1) * step)));
    for (let x = 0; x < width; x++) {
      const sx0 = Math.floor(x * step);
      const sx1 = Math.min(frame.width, Math.max(sx0 + 1, Math.floor((x + 1) * step)));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = sy0; sy < sy1; sy++) {
        let i = (sy * frame.width + sx0) * 4;
        for (let sx = sx0; sx < sx1; sx++, i += 4) {
          r += frame.data[i]!;
          g += frame.data[i + 1]!;
          b += frame.data[i + 2]!;
        }
      }
      const n = (sy1 - sy0) * (sx1 - sx0);
      const o = (y * width + x) * 3;
      rgb[o] = r / n;
      rgb[o + 1] = g / n;
      rgb[o + 2] = b / n;
    }
  }
  return { width, height, rgb };
}

/**
 * Pixels unlike the tray: colour distance from what the tray would show there, split by Otsu's
 * threshold. The tray is modelled from the frame's border as a smooth surface per channel (a
 * quadratic in x and y), since a lamp on one side makes a tray lighter there than the card's own
 * contrast against it.
 */
function foreground({ width, height, rgb }: Small): Uint8Array {
  const band = Math.max(2, Math.round(height * 0.03));
  const terms = (x: number, y: number) => {
    const u = x / width - 0.5;
    const v = y / height - 0.5;
    return [1, u, v, u * u, u * v, v * v];
  };
  // Normal equations of the least-squares fit, one right-hand side per channel.
  const normal = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  const rhs = Array.from({ length: 3 }, () => new Array<number>(6).fill(0));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y >= band && y < height - band && x >= band && x < width - band) continue;
      const t = terms(x, y);
      const o = (y * width + x) * 3;
      for (let i = 0; i < 6; i++) {
        for (let j = 0; j < 6; j++) normal[i]![j]! += t[i]! * t[j]!;
        for (let c = 0; c < 3; c++) rhs[c]![i]! += t[i]! * rgb[o + c]!;
      }
    }
  }
  const surfaces = rhs.map((b) => solve(normal.map((row, i) => [...row, b[i]!])));
  const distance = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = terms(x, y);
      const o = (y * width + x) * 3;
      let sum = 0;
      for (let c = 0; c < 3; c++) {
        const surface = surfaces[c]!;
        let tray = 0;
        for (let i = 0; i < 6; i++) tray += surface[i]! * t[i]!;
        sum += (rgb[o + c]! - tray) ** 2;
      }
      distance[y * width + x] = Math.sqrt(sum);
    }
  }
  const threshold = Math.max(24, otsu(distance));
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = distance[i]! > threshold ? 1 : 0;
  return mask;
}

/** What the card's sharp edges enclose: the tray's blotches fade, the card's edge is a step. */
function enclosed({ width, height }: Small, step: Float32Array): Uint8Array {
  // Each edge thickened by a pixel, so that a step broken for a pixel still closes.
  const wall = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (step[y * width + x]! > EDGE_STEP)
        for (let dy = -WALL; dy <= WALL; dy++)
          for (let dx = -WALL; dx <= WALL; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && yy < height && xx >= 0 && xx < width) wall[yy * width + xx] = 1;
          }
  // Everything the border reaches without crossing a wall is tray; the rest is what walls enclose.
  fillHoles(wall, width, height);
  return wall;
}

/** A step in lightness this steep (per two working pixels) is an edge. */
const EDGE_STEP = 16;
/** How far each way an edge is thickened, in working pixels. */
const WALL = 1;
/**
 * How far outside the card's step its edge's outline lies, in working pixels: the steepness is high
 * a pixel either side of the step, and the edge is thickened by WALL.
 */
const EDGE_WIDTH = 2;

/** How steeply lightness changes at each working pixel (0 on the border). */
function steepness({ width, height, rgb }: Small): Float32Array {
  const luma = new Float32Array(width * height);
  for (let i = 0; i < luma.length; i++)
    luma[i] = 0.299 * rgb[3 * i]! + 0.587 * rgb[3 * i + 1]! + 0.114 * rgb[3 * i + 2]!;
  const step = new Float32Array(width * height);
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      step[i] = Math.hypot(luma[i + 1]! - luma[i - 1]!, luma[i + width]! - luma[i - width]!);
    }
  return step;
}

/**
 * How sharp the quad's least sharp side is in the frame: its mean steepness away from the rounded
 * corners, each point the steepest within a pixel across the side. A side run through the tray
 * where a blotch joined the card is soft.
 */
function sharpness({ width, height }: Small, step: Float32Array, quad: Quad, scale: number): number {
  let softest = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 4; k++) {
    const a = quad[k]!;
    const b = quad[(k + 1) % 4]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const across = { x: -(b.y - a.y) / length, y: (b.x - a.x) / length };
    let sum = 0;
    let count = 0;
    for (let t = 0.1; t <= 0.9; t += 0.02) {
      let steepest = 0;
      for (const d of [-1, 0, 1]) {
        const x = Math.round((a.x + (b.x - a.x) * t) / scale + d * across.x);
        const y = Math.round((a.y + (b.y - a.y) * t) / scale + d * across.y);
        if (x >= 0 && x < width && y >= 0 && y < height) steepest = Math.max(steepest, step[y * width + x]!);
      }
      sum += steepest;
      count += 1;
    }
    softest = Math.min(softest, sum / count);
  }
  return softest;
}

/** Otsu's threshold of values in 0..442 (the largest RGB distance), over 256 bins. */
function otsu(values: Float32Array): number {
  const bins = new Float64Array(256);
  const top = 442;
  for (const v of values) bins[Math.min(255, Math.floor((v / top) * 256))]! += 1;
  let total = 0;
  for (let i = 0; i < 256; i++) total += i * bins[i]!;
  let below = 0;
  let belowSum = 0;
  let best = 0;
  let bestBin = 0;
  for (let i = 0; i < 256; i++) {
    below += bins[i]!;
    if (below === 0) continue;
    const above = values.length - below;
    if (above === 0) break;
    belowSum += i * bins[i]!;
    const between = below * above * (belowSum / below - (total - belowSum) / above) ** 2;
    if (between > best) {
      best = between;
      bestBin = i;
    }
  }
  return ((bestBin + 1) / 256) * top;
}

/** The largest 4-connected region of the mask, as its own mask. */
function largestRegion(mask: Uint8Array, width: number): { mask: Uint8Array; count: number } {
  const label = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let best = 0;
  let bestCount = 0;
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    next += 1;
    let count = 0;
    let top = 0;
    stack[top++] = start;
    label[start] = next;
    while (top > 0) {
      const i = stack[--top]!;
      count += 1;
      const x = i % width;
      for (const j of [i - width, i + width, x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1]) {
        if (j < 0 || j >= mask.length || !mask[j] || label[j]) continue;
        label[j] = next;
        stack[top++] = j;
      }
    }
    if (count > bestCount) {
      bestCount = count;
      best = next;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = label[i] === best && best !== 0 ? 1 : 0;
  return { mask: out, count: bestCount };
}

/** A region running along the picture's edge for more than a sliver is a card partly out of view. */
function touchesEdge(mask: Uint8Array, width: number, height: number): boolean {
  const along = (count: number, at: (k: number) => number) => {
    let n = 0;
    for (let k = 0; k < count; k++) n += mask[at(k)]!;
    return n > count * 0.08;
  };
  return (
    along(width, (x) => x) ||
    along(width, (x) => (height - 1) * width + x) ||
    along(height, (y) => y * width) ||
    along(height, (y) => y * width + width - 1)
  );
}

/** Glare and print inside the card can fall below the threshold: what the tray cannot reach is card. */
function fillHoles(mask: Uint8Array, width: number, height: number): void {
  const outside = new Uint8Array(mask.length);
  const stack: number[] = [];
  const push = (i: number) => {
    if (!mask[i] && !outside[i]) {
      outside[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    if (i >= width) push(i - width);
    if (i < mask.length - width) push(i + width);
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
  }
  for (let i = 0; i < mask.length; i++) if (!outside[i]) mask[i] = 1;
}

/** The first and last pixel of each row: all the convex hull needs. */
function rowExtremes(mask: Uint8Array, width: number, height: number): Point[] {
  const points: Point[] = [];
  for (let y = 0; y < height; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      if (first < 0) first = x;
      last = x;
    }
    if (first < 0) continue;
    // Pixel edges, not centres: the card's outline runs along them.
    points.push({ x: first, y }, { x: first, y: y + 1 }, { x: last + 1, y }, { x: last + 1, y: y + 1 });
  }
  return points;
}

const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** Andrew's monotone chain; counter-clockwise in a y-up view, clockwise on screen. */
function convexHull(points: Point[]): Point[] {
  const sorted = points.slice().sort((a, b) => a.x - b.x || a.y - b.y);
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0)
      lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (const p of sorted.reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0)
      upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * The hull reduced to four corners (dropping, each time, the vertex whose triangle with its
 * neighbours is smallest), then each corner moved to where the longest hull edges of its two
 * sides meet, since the rounded corner itself lies inside the card's rectangle.
 */
function sidesMeet(hull: Point[]): Point[] | null {
  if (hull.length < 4) return null;
  const kept = hull.map((_, i) => i);
  while (kept.length > 4) {
    let weakest = 0;
    let least = Number.POSITIVE_INFINITY;
    for (let k = 0; k < kept.length; k++) {
      const a = hull[kept[(k + kept.length - 1) % kept.length]!]!;
      const b = hull[kept[k]!]!;
      const c = hull[kept[(k + 1) % kept.length]!]!;
      const area = Math.abs(cross(a, b, c));
      if (area < least) {
        least = area;
        weakest = k;
      }
    }
    kept.splice(weakest, 1);
  }
  const sides: [Point, Point][] = [];
  for (let k = 0; k < 4; k++) {
    const from = kept[k]!;
    const to = kept[(k + 1) % 4]!;
    let longest: [Point, Point] = [hull[from]!, hull[to]!];
    let length = 0;
    for (let i = from; i !== to; i = (i + 1) % hull.length) {
      const a = hull[i]!;
      const b = hull[(i + 1) % hull.length]!;
      const l = Math.hypot(b.x - a.x, b.y - a.y);
      if (l > length) {
        length = l;
        longest = [a, b];
      }
    }
    sides.push(longest);
  }
  const corners: Point[] = [];
  for (let k = 0; k < 4; k++) {
    const corner = intersect(sides[(k + 3) % 4]!, sides[k]!);
    if (!corner) return null;
    corners.push(corner);
  }
  return corners;
}

/** The quadrilateral with each side moved `by` towards its middle, or null where sides no longer meet. */
function movedIn(corners: Point[], by: number): Point[] | null {
  const middle = {
    x: corners.reduce((sum, p) => sum + p.x, 0) / corners.length,
    y: corners.reduce((sum, p) => sum + p.y, 0) / corners.length,
  };
  const sides = corners.map((a, k): [Point, Point] => {
    const b = corners[(k + 1) % corners.length]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    let normal = { x: -(b.y - a.y) / length, y: (b.x - a.x) / length };
    if (normal.x * (middle.x - a.x) + normal.y * (middle.y - a.y) < 0)
      normal = { x: -normal.x, y: -normal.y };
    const shift = (p: Point) => ({ x: p.x + normal.x * by, y: p.y + normal.y * by });
    return [shift(a), shift(b)];
  });
  const moved = sides.map((side, k) => intersect(sides[(k + corners.length - 1) % corners.length]!, side));
  return moved.every((p) => p !== null) ? (moved as Point[]) : null;
}

function intersect([a, b]: [Point, Point], [c, d]: [Point, Point]): Point | null {
  const denominator = (a.x - b.x) * (c.y - d.y) - (a.y - b.y) * (c.x - d.x);
  if (Math.abs(denominator) < 1e-9) return null;
  const p = a.x * b.y - a.y * b.x;
  const q = c.x * d.y - c.y * d.x;
  return {
    x: (p * (c.x - d.x) - (a.x - b.x) * q) / denominator,
    y: (p * (c.y - d.y) - (a.y - b.y) * q) / denominator,
  };
}

/**
 * Clockwise on screen, starting at the top-left of a card lying landscape: the first side is a long
 * one, the upper of the two. Which way up the card lies is left to the reader.
 */
function orderAsCard(corners: Point[]): Quad {
  const clockwise = cross(corners[0]!, corners[1]!, corners[2]!) > 0 ? corners : corners.slice().reverse();
  const side = (k: number) => {
    const a = clockwise[k % 4]!;
    const b = clockwise[(k + 1) % 4]!;
    return Math.hypot(b.x - a.x, b.y - a.y);
  };
  let start = side(0) + side(2) >= side(1) + side(3) ? 0 : 1;
  const meanY = (k: number) => (clockwise[k % 4]!.y + clockwise[(k + 1) % 4]!.y) / 2;
  if (meanY(start + 2) < meanY(start)) start += 2;
  const at = (k: number) => clockwise[(start + k) % 4]!;
  return [at(0), at(1), at(2), at(3)];
}

function plausible(quad: Quad): boolean {
  const length = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);
  const long = (length(quad[0], quad[1]) + length(quad[2], quad[3])) / 2;
  const short = (length(quad[1], quad[2]) + length(quad[3], quad[0])) / 2;
  if (short < 1) return false;
  const aspect = long / short;
  if (aspect < ASPECT_RANGE[0] || aspect > ASPECT_RANGE[1]) return false;
  // Convex: every turn the same way.
  const turns = [0, 1, 2, 3].map((k) => Math.sign(cross(quad[k]!, quad[(k + 1) % 4]!, quad[(k + 2) % 4]!)));
  return turns.every((t) => t === turns[0] && t !== 0);
}
