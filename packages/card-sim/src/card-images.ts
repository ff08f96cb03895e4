/**
 * The card's printed-text images. Digits are drawn with a 5×7 font, so the My Number image (72×12)
 * and the security-code image (24×12) are legible; names and addresses cannot be drawn without a
 * kanji font, so they become a per-character block pattern whose width follows the text length.
 */
import { encodeBitmapPng } from './png.ts';

const DIGITS_5X7 = [
  ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
] as const;

const CELL_WIDTH = 6;
const HEIGHT = 12;
const TOP = 2;

export function digitsImage(digits: string): Uint8Array {
  return encodeBitmapPng(digits.length * CELL_WIDTH, HEIGHT, (x, y) => {
    const glyph = DIGITS_5X7[Number(digits[Math.floor(x / CELL_WIDTH)])];
    const row = glyph?.[y - TOP];
    return row?.[x % CELL_WIDTH] === '1';
  });
}

const CHAR_CELL = 12;

export function textPatternImage(text: string): Uint8Array {
  const codePoints = Array.from(text, (c) => c.codePointAt(0)!);
  return encodeBitmapPng(Math.max(1, codePoints.length) * CHAR_CELL, CHAR_CELL, (x, y) => {
    const cp = codePoints[Math.floor(x / CHAR_CELL)] ?? 0;
    const cx = x % CHAR_CELL;
    if (cx < 2 || cx >= 10 || y < 2 || y >= 10) return false;
    // One bit of the code point per 2×2 block: distinct characters give distinct patterns.
    const bit = ((y - 2) >> 1) * 4 + ((cx - 2) >> 1);
    return ((cp >> bit) & 1) === 1;
  });
}
