/**
 * The card seen at an angle, made flat: the homography that maps a rectangle onto the card's four
 * corners in the camera frame, and the warp that samples the frame through it. Pure, no allocation
 * beyond the output plane.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Four corners in order: top-left, top-right, bottom-right, bottom-left (of the card as read). */
export type Quad = readonly [Point, Point, Point, Point];

/** One byte a pixel, rows top to bottom. */
export interface GreyPlane {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Row-major 3×3 matrix with h[8] = 1. */
export type Homography = readonly number[];

/** The homography taking (0,0), (w,0), (w,h), (0,h) to the quad's corners. */
export function rectToQuad(width: number, height: number, quad: Quad): Homography {
  return homography(
    [
      { x: 0, y: 0 },
      { x: width, y: 0 },
      { x: width, y: height },
      { x: 0, y: height },
    ],
    quad,
  );
}

/** The homography that takes each of four points onto the matching one of four others. */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  if (from.length !== 4 || to.length !== 4) throw new RangeError('a homography needs 4 point pairs');
  // Eight equations in the eight unknowns h0..h7 (h8 = 1), two per corner.
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  return [...solve(rows), 1];
}

export function mapPoint(h: Homography, { x, y }: Point): Point {
  const w = h[6]! * x + h[7]! * y + 1;
  return { x: (h[0]! * x + h[1]! * y + h[2]!) / w, y: (h[3]! * x + h[4]! * y + h[5]!) / w };
}

/** Gauss–Jordan with partial pivoting on an n × (n+1) augmented matrix (changed in place). */
export function solve(rows: number[][]): number[] {
  const n = rows.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    if (Math.abs(rows[pivot]![col]!) < 1e-12) throw new RangeError('degenerate quadrilateral');
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const p = rows[col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = rows[r]![col]! / p[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) rows[r]![c]! -= f * p[c]!;
    }
  }
  return rows.map((r, i) => r[n]! / r[i]!);
}

/**
 * The card as a flat width × height grey plane, sampled bilinearly from `source` through the
 * homography of its quad. Outside the source reads white, the card's own colour.
 */
export function warpToRect(source: GreyPlane, quad: Quad, width: number, height: number): GreyPlane {
  const h = rectToQuad(width, height, quad);
  const out = new Uint8Array(width * height);
  const { width: sw, height: sh, data } = source;
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    for (let x = 0; x < width; x++) {
      const cx = x + 0.5;
      const w = h[6]! * cx + h[7]! * cy + 1;
      const u = (h[0]! * cx + h[1]! * cy + h[2]!) / w - 0.5;
      const v = (h[3]! * cx + h[4]! * cy + h[5]!) / w - 0.5;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= sw || y0 + 1 >= sh) {
        out[y * width + x] = 255;
        continue;
      }
      const fx = u - x0;
      const fy = v - y0;
      const i = y0 * sw + x0;
      const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
      const bottom = data[i + sw]! + (data[i + sw + 1]! - data[i + sw]!) * fx;
      out[y * width + x] = top + (bottom - top) * fy + 0.5;
    }
  }
  return { width, height, data: out };
}

/** The plane turned half a turn: a card placed upside down. */
export function halfTurn(plane: GreyPlane): GreyPlane {
  return { width: plane.width, height: plane.height, data: plane.data.slice().reverse() };
}

/** The area a polygon's points enclose, in order round it (the shoelace formula). */
export function polygonArea(points: readonly Point[]): number {
  let twice = 0;
  for (let k = 0; k < points.length; k++) {
    const a = points[k]!;
    const b = points[(k + 1) % points.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2;
}
