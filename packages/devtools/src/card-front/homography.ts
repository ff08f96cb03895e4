/**
 * The kiosk's perspective maps (card-front/perspective.ts) in the generator's terms: points as
 * [x, y] pairs, as the truth files carry the card's corners.
 */
import {
  homography as between,
  type Homography,
  mapPoint as map,
} from '@myna/kiosk/card-front/perspective.js';

export type { Homography };
export type Point = readonly [number, number];

const xy = ([x, y]: Point) => ({ x, y });

/** The homography that maps each of the four `from` points onto the matching `to` point. */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  return between(from.map(xy), to.map(xy));
}

export function mapPoint(h: Homography, point: Point): Point {
  const { x, y } = map(h, xy(point));
  return [x, y];
}
