import { PNG } from 'pngjs';
import { DATE_WORD_PROTOTYPES } from '../../../src/card-front/date-word-prototype-data.ts';
import { DIGIT_PROTOTYPES } from '../../../src/card-front/digit-prototype-data.ts';
import { GLYPH_COLUMNS, GLYPH_ROWS, type GlyphPrototypes } from '../../../src/card-front/glyph-shapes.ts';
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
  [...text].forEach((digit, k) => {
    stamp(plane, DIGIT_PROTOTYPES, digit, { ...at, x: at.x + k * at.step });
  });
}

/**
 * A date's characters printed the same way, kanji `height` tall and digits a fifth shorter on the
 * same baseline, as type sets them, a space leaving a digit's room, each character `gap` pixels
 * after the last.
 */
export function drawDate(
  plane: GreyPlane,
  text: string,
  at: { x: number; y: number; height: number; gap: number },
): void {
  const width = Math.round((GLYPH_COLUMNS * at.height) / GLYPH_ROWS);
  let x = at.x;
  for (const ch of text) {
    const digit = /\d/.test(ch);
    const height = digit ? Math.round(0.8 * at.height) : at.height;
    const y = at.y + at.height - height;
    if (ch !== ' ') stamp(plane, digit ? DIGIT_PROTOTYPES : DATE_WORD_PROTOTYPES, ch, { x, y, height });
    // A digit's prototype is centred in its cells with paper either side; a kanji's fills them.
    x += (/[\d ]/.test(ch) ? Math.round(0.7 * width) : width) + at.gap;
  }
}

function stamp(
  plane: GreyPlane,
  prototypes: GlyphPrototypes,
  label: string,
  at: { x: number; y: number; height: number },
): void {
  const scale = at.height / GLYPH_ROWS;
  const index = prototypes.labels.indexOf(label);
  if (index < 0) throw new Error(`no prototype of ${label}`);
  const offset = index * GLYPH_COLUMNS * GLYPH_ROWS;
  for (let y = 0; y < at.height; y++)
    for (let x = 0; x < Math.round(GLYPH_COLUMNS * scale); x++) {
      const darkness =
        prototypes.shapes[offset + Math.floor(y / scale) * GLYPH_COLUMNS + Math.floor(x / scale)]! / 255;
      const i = (at.y + y) * plane.width + at.x + x;
      plane.data[i] = Math.min(plane.data[i]!, Math.round(225 - 185 * darkness));
    }
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
