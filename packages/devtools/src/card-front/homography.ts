/** Plane-to-plane perspective maps (3×3 homographies) for placing a flat card into a photo. */

export type Point = readonly [number, number];
/** Row-major h00..h21; h22 is 1. */
export type Homography = readonly number[];

/** The homography that maps each of the four `from` points onto the matching `to` point. */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  if (from.length !== 4 || to.length !== 4) throw new RangeError('a homography needs 4 point pairs');
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  return solve(rows);
}

export function mapPoint(h: Homography, [x, y]: Point): Point {
  const w = h[6]! * x + h[7]! * y + 1;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

/** Gauss–Jordan elimination with partial pivoting on an n×(n+1) augmented matrix. */
function solve(rows: number[][]): number[] {
  const n = rows.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    if (Math.abs(rows[pivot]![col]!) < 1e-12) throw new RangeError('degenerate quadrilateral');
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const p = rows[col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = rows[r]!;
      const f = row[col]! / p[col]!;
      if (f !== 0) for (let c = col; c <= n; c++) row[c]! -= f * p[c]!;
    }
  }
  return rows.map((row, i) => row[n]! / row[i]!);
}
