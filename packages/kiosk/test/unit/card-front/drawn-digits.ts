import { PNG } from 'pngjs';
import { GLYPH_COLUMNS, GLYPH_ROWS } from '../../../src/card-front/code-digits.ts';
import { DIGIT_PROTOTYPES } from '../../../src/card-front/digit-prototype-data.ts';
import type { GreyPlane } from '../../../src/card-front/perspective.ts';

/**
 * Digits printed into a plane from the first typeface's sharp prototypes, each `height` pixels
 * tall, left edge at `x`, top at `y`, `step` pixels apart: print whose shapes the test knows.
 */
export function drawDigits(
  plane: GreyPlane,
  text: string,
  at: { x: number; y: number; height: number; step: number },
): void {
  const scale = at.height / GLYPH_ROWS;
  [...text].forEach((digit, k) => {
    const offset = DIGIT_PROTOTYPES.labels.indexOf(digit) * GLYPH_COLUMNS * GLYPH_ROWS;
    for (let y = 0; y < at.height; y++)
      for (let x = 0; x < Math.round(GLYPH_COLUMNS * scale); x++) {
        const darkness =
          DIGIT_PROTOTYPES.shapes[offset + Math.floor(y / scale) * GLYPH_COLUMNS + Math.floor(x / scale)]! /
          255;
        const i = (at.y + y) * plane.width + at.x + k * at.step + x;
        plane.data[i] = Math.min(plane.data[i]!, Math.round(225 - 185 * darkness));
      }
  });
}

export function paper(width: number, height: number): GreyPlane {
  return { width, height, data: new Uint8Array(width * height).fill(225) };
}

/** A PNG of the plane, as a scanner would hand it over. */
export function scanOf(plane: GreyPlane): Uint8Array {
  const png = new PNG({ width: plane.width, height: plane.height });
  plane.data.forEach((v, i) => {
    png.data.fill(v, i * 4, i * 4 + 3);
    png.data[i * 4 + 3] = 255;
  });
  return PNG.sync.write(png);
}
