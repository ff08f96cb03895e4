/**
 * Prototypes for the kiosk's own reading of the card's printed digits and dates (code-digits.ts,
 * date-glyphs.ts). The ten digits: four-digit lines drawn in several typefaces at the code's size
 * on the flat card, sharp and blurred, cut into digits by the kiosk's own cutting, and each
 * digit's shapes averaged per typeface and blur. Typefaces beyond the ones the synthetic cards
 * use, so that a card printed in another face is not simply unknown to it. A date's other
 * characters likewise, each drawn alone, in the faces that have kanji.
 */

import { digitShapes } from '@myna/kiosk/card-front/code-digits.js';
import { DATE_WORDS } from '@myna/kiosk/card-front/date-glyphs.js';
import {
  GLYPH_COLUMNS,
  GLYPH_ROWS,
  type GlyphPrototypes,
  inkedLine,
} from '@myna/kiosk/card-front/glyph-shapes.js';
import type { GreyPlane } from '@myna/kiosk/card-front/perspective.js';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

export interface Typeface {
  family: string;
  weight: 'normal' | 'bold';
}

export const TYPEFACES: readonly Typeface[] = [
  { family: 'Noto Sans CJK JP', weight: 'normal' },
  { family: 'Noto Sans CJK JP', weight: 'bold' },
  { family: 'Noto Serif CJK JP', weight: 'normal' },
  { family: 'DejaVu Sans', weight: 'normal' },
  { family: 'DejaVu Serif', weight: 'normal' },
  { family: 'DejaVu Sans Mono', weight: 'normal' },
];

/** Each digit twice, in every position of the line and beside most others. */
const LINES = ['0123', '4567', '8901', '2345', '6789'];
/** The code's height on the 960-wide flat card, give or take a print run. */
const SIZES = [23, 25.5, 28];
const BLURS = [0, 0.8, 1.5];
const OFFSETS = [0, 0.33, 0.66];
const PAPER = 235;
const INK = 45;

export function digitPrototypes(typefaces: readonly Typeface[] = TYPEFACES): GlyphPrototypes {
  const size = GLYPH_COLUMNS * GLYPH_ROWS;
  let labels = '';
  const shapes: number[] = [];
  for (const face of typefaces) {
    if (!GlobalFonts.has(face.family)) throw new Error(`font "${face.family}" is not installed`);
    for (const blur of BLURS) {
      const sums = new Map<string, { sum: Float64Array; n: number }>();
      for (const px of SIZES)
        for (const offset of OFFSETS)
          for (const line of LINES) {
            const { plane, box } = drawLine(line, face, px, offset, blur);
            const found = digitShapes(plane, box, line.length);
            if (!found)
              throw new Error(`${face.family} ${px}px blur ${blur}: "${line}" did not cut into digits`);
            found.forEach((shape, i) => {
              const entry = sums.get(line[i]!) ?? { sum: new Float64Array(size), n: 0 };
              for (let k = 0; k < size; k++) entry.sum[k]! += shape[k]!;
              entry.n += 1;
              sums.set(line[i]!, entry);
            });
          }
      for (const digit of '0123456789') {
        const { sum, n } = sums.get(digit)!;
        labels += digit;
        for (const value of sum) shapes.push(Math.round((value / n) * 255));
      }
    }
  }
  return { labels, shapes: Uint8Array.from(shapes) };
}

/** The CJK faces of TYPEFACES: the others have no kanji. */
export const WORD_TYPEFACES: readonly Typeface[] = [
  ...TYPEFACES.filter((face) => face.family.includes('CJK')),
  { family: 'Noto Serif CJK JP', weight: 'bold' },
];
/** A date's size on the flat card, give or take a print run: a little larger than the code's. */
const WORD_SIZES = [25, 27.5, 30];

/**
 * Prototypes of the characters of a printed date other than its digits (the era, 元, 年, 月, 日),
 * each drawn alone, its whole ink taken as one shape however many pieces it has (和 is two).
 */
export function wordPrototypes(
  characters: string,
  typefaces: readonly Typeface[] = WORD_TYPEFACES,
): GlyphPrototypes {
  const size = GLYPH_COLUMNS * GLYPH_ROWS;
  let labels = '';
  const shapes: number[] = [];
  for (const face of typefaces) {
    if (!GlobalFonts.has(face.family)) throw new Error(`font "${face.family}" is not installed`);
    for (const blur of BLURS)
      for (const character of characters) {
        const sum = new Float64Array(size);
        let n = 0;
        for (const px of WORD_SIZES)
          for (const offset of OFFSETS) {
            const { plane, box } = drawLine(character, face, px, offset, blur);
            const line = inkedLine(plane, box);
            if (!line) throw new Error(`${face.family} ${px}px blur ${blur}: "${character}" has no ink`);
            const shape = line.shapeOf({ from: line.runs[0]!.from, to: line.runs.at(-1)!.to });
            for (let k = 0; k < size; k++) sum[k]! += shape[k]!;
            n += 1;
          }
        labels += character;
        for (const value of sum) shapes.push(Math.round((value / n) * 255));
      }
  }
  return { labels, shapes: Uint8Array.from(shapes) };
}

/** A line of digits on plain paper as a grey plane, with the box of its ink. */
function drawLine(
  text: string,
  face: Typeface,
  px: number,
  offset: number,
  blur: number,
): { plane: GreyPlane; box: { x0: number; y0: number; x1: number; y1: number } } {
  const width = Math.ceil(px * text.length + 40);
  const height = Math.ceil(px * 2);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = `rgb(${PAPER},${PAPER},${PAPER})`;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = `rgb(${INK},${INK},${INK})`;
  ctx.font = `${face.weight} ${px}px "${face.family}"`;
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(text, 20 + offset, px * 1.4);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const sharp = Uint8Array.from({ length: width * height }, (_, i) => rgba[i * 4]!);
  const data = blur > 0 ? gaussianBlur(sharp, width, height, blur) : sharp;
  const plane = { width, height, data };
  return { plane, box: inkBox(plane) };
}

/** The bounds of what is darker than halfway from the paper to the darkest pixel, as a text engine would box it. */
function inkBox(plane: GreyPlane) {
  const cut = (PAPER + Math.min(...plane.data)) / 2;
  let x0 = plane.width;
  let y0 = plane.height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < plane.height; y++)
    for (let x = 0; x < plane.width; x++)
      if (plane.data[y * plane.width + x]! < cut) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
  return { x0, y0, x1, y1 };
}

function gaussianBlur(data: Uint8Array, width: number, height: number, sigma: number): Uint8Array {
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma ** 2)),
  );
  const total = kernel.reduce((a, b) => a + b, 0);
  const pass = (source: Float64Array, along: (i: number, k: number) => number) => {
    const out = new Float64Array(source.length);
    for (let i = 0; i < source.length; i++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += source[along(i, k)]! * kernel[k + radius]!;
      out[i] = sum / total;
    }
    return out;
  };
  const clampX = (i: number, k: number) => {
    const x = Math.min(width - 1, Math.max(0, (i % width) + k));
    return i - (i % width) + x;
  };
  const clampY = (i: number, k: number) => {
    const y = Math.min(height - 1, Math.max(0, Math.floor(i / width) + k));
    return y * width + (i % width);
  };
  const blurred = pass(pass(Float64Array.from(data), clampX), clampY);
  return Uint8Array.from(blurred, (v) => Math.round(v));
}

/** What each data module of the kiosk holds, and what it is called there. */
export const PROTOTYPE_MODULES = {
  digits: {
    file: 'digit-prototype-data.ts',
    name: 'DIGIT_PROTOTYPES',
    what: 'The digit prototypes of code-digits.ts and date-glyphs.ts',
    typefaces: TYPEFACES,
  },
  words: {
    file: 'date-word-prototype-data.ts',
    name: 'DATE_WORD_PROTOTYPES',
    what: 'The prototypes of the era, 元, 年, 月 and 日 for date-glyphs.ts',
    typefaces: WORD_TYPEFACES,
  },
} as const;

/** Both sets of prototypes, as the kiosk's data modules hold them. */
export function glyphPrototypes(): Record<keyof typeof PROTOTYPE_MODULES, GlyphPrototypes> {
  return { digits: digitPrototypes(), words: wordPrototypes(DATE_WORDS) };
}

/** The prototypes as the TypeScript module the kiosk loads. */
export function prototypeModule(kind: keyof typeof PROTOTYPE_MODULES, prototypes: GlyphPrototypes): string {
  const { name, what, typefaces } = PROTOTYPE_MODULES[kind];
  const base64 = Buffer.from(prototypes.shapes).toString('base64');
  const chunks = base64.match(/.{1,96}/g) ?? [];
  return [
    '/**',
    ` * ${what},`,
    ' * made by `kiosk-dev card glyph-prototypes` from the typefaces',
    ` * ${[...new Set(typefaces.map((face) => face.family))].join(', ')}.`,
    ' * Generated: do not edit.',
    ' */',
    "import type { GlyphPrototypes } from './glyph-shapes.ts';",
    '',
    `export const ${name}: GlyphPrototypes = {`,
    `  labels: ${labelsSource(prototypes.labels)},`,
    '  shapes: Buffer.from(',
    '    [',
    ...chunks.map((chunk) => `      '${chunk}',`),
    "    ].join(''),",
    "    'base64',",
    '  ),',
    '};',
    '',
  ].join('\n');
}

/** The labels as a short expression where they are the ten digits over and over, as drawn. */
function labelsSource(labels: string): string {
  for (const unit of ['0123456789', DATE_WORDS]) {
    const times = labels.length / unit.length;
    if (labels === unit.repeat(times)) return `'${unit}'.repeat(${times})`;
  }
  return `'${labels}'`;
}
