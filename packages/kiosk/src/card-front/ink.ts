/**
 * Print told from paper within one area of the flat card, whose paper is not evenly lit: the
 * paper is the area's light (its 90th percentile), and ink is well darker than that.
 */
import type { GreyPlane } from './perspective.ts';
import type { Box } from './text-recogniser.ts';

const INK_BELOW_PAPER = 60;
/** The share of an area's pixels at least as dark as its paper. */
export const PAPER_SHARE = 0.9;

/** Whether a pixel is ink, against the paper of `area` (whole pixels inside the plane). */
export function inkAgainst(plane: GreyPlane, area: Box): (x: number, y: number) => boolean {
  const { width, data } = plane;
  const paper = greyLevels(plane, area)(PAPER_SHARE) ?? 255;
  return (x, y) => data[y * width + x]! < paper - INK_BELOW_PAPER;
}

/**
 * The grey levels of `area` (whole pixels inside the plane), in order: the level below which that
 * share of its pixels lie, or undefined for an empty area.
 */
export function greyLevels(plane: GreyPlane, area: Box): (share: number) => number | undefined {
  // Counted, not sorted: the same levels, in time linear in the area.
  const counts = new Uint32Array(256);
  for (let y = area.y0; y < area.y1; y++)
    for (let x = area.x0; x < area.x1; x++) counts[plane.data[y * plane.width + x]!]!++;
  const total = Math.max(0, area.x1 - area.x0) * Math.max(0, area.y1 - area.y0);
  return (share) => {
    const rank = Math.floor(total * share);
    if (rank >= total) return undefined;
    let seen = 0;
    for (let level = 0; level < 256; level++) {
      seen += counts[level]!;
      if (seen > rank) return level;
    }
    return undefined;
  };
}
