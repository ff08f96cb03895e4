/**
 * Where the security code prints on a flat card front: the one short line under the photo, on the
 * right. The page's reading misses it often (it is the smallest print on the card); found here by
 * the ink alone, it can be read as a line.
 */
import { inkAgainst } from './ink.ts';
import type { GreyPlane } from './perspective.ts';
import type { Box } from './text-recogniser.ts';

/** The band under the photo, as shares of the flat card. */
const BAND = { x0: 0.72, x1: 0.97, y0: 0.58, y1: 0.8 } as const;
/** The code's height as a share of the card's: a line shorter or taller is something else. */
const LINE_HEIGHT = [0.012, 0.05] as const;

/** The box of the first short line of ink in the band under the photo, or null. */
export function codeLineBox(flat: GreyPlane): Box | null {
  const { width, height } = flat;
  const x0 = Math.round(BAND.x0 * width);
  const x1 = Math.round(BAND.x1 * width);
  const y0 = Math.round(BAND.y0 * height);
  const y1 = Math.round(BAND.y1 * height);
  const inked = inkAgainst(flat, { x0, y0, x1, y1 });
  const rowInked = (y: number) => {
    for (let x = x0; x < x1; x++) if (inked(x, y)) return true;
    return false;
  };
  // Runs of inked rows, top to bottom: the photo's lower part first (too tall), then the code.
  let start = -1;
  for (let y = y0; y <= y1; y++) {
    const ink = y < y1 && rowInked(y);
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) {
      const rows = y - start;
      if (start > y0 && rows >= LINE_HEIGHT[0] * height && rows <= LINE_HEIGHT[1] * height) {
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
