import { describe, expect, it } from 'vitest';
import { clearRules } from '../../../src/card-front/clear-rules.ts';
import type { GreyPlane } from '../../../src/card-front/perspective.ts';

const WIDTH = 960;
const HEIGHT = 606;
const PAPER = 200;

function paper(): GreyPlane {
  return { width: WIDTH, height: HEIGHT, data: new Uint8Array(WIDTH * HEIGHT).fill(PAPER) };
}

function fill(plane: GreyPlane, x0: number, y0: number, x1: number, y1: number, value: number): void {
  for (let y = y0; y < y1; y++) plane.data.fill(value, y * WIDTH + x0, y * WIDTH + x1);
}

/** A rule as a camera sees it: a dark core and lighter, blurred edges either side. */
function blurredBox(plane: GreyPlane, x0: number, y0: number, x1: number, y1: number): void {
  fill(plane, x0 - 2, y0 - 2, x1 + 2, y0 + 2, 150);
  fill(plane, x0 - 2, y1 - 2, x1 + 2, y1 + 2, 150);
  fill(plane, x0 - 2, y0 - 2, x0 + 2, y1 + 2, 150);
  fill(plane, x1 - 2, y0 - 2, x1 + 2, y1 + 2, 150);
  fill(plane, x0 - 1, y0 - 1, x1 + 1, y0 + 1, 60);
  fill(plane, x0 - 1, y1 - 1, x1 + 1, y1 + 1, 60);
  fill(plane, x0 - 1, y0 - 1, x0 + 1, y1 + 1, 60);
  fill(plane, x1 - 1, y0 - 1, x1 + 1, y1 + 1, 60);
}

const darkest = (plane: GreyPlane, x0: number, y0: number, x1: number, y1: number) => {
  let least = 255;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) least = Math.min(least, plane.data[y * WIDTH + x]!);
  return least;
};

describe('rules taken off the flat card', () => {
  // The validity box: some 40 px high on the flat card, shorter than a rule down has to be.
  const card = paper();
  blurredBox(card, 60, 300, 380, 340);
  // Characters inside it, close to its left side; a photo on the right.
  for (let x = 68; x < 360; x += 20) fill(card, x, 310, x + 12, 330, 50);
  fill(card, 700, 100, 900, 380, 40);
  const cleared = clearRules(card);

  it('takes the box off with its blurred edges, which would read as two faint rules', () => {
    expect(darkest(cleared, 100, 296, 340, 304)).toBeGreaterThan(185);
    expect(darkest(cleared, 100, 336, 340, 344)).toBeGreaterThan(185);
  });

  it('takes off a box side shorter than a rule down, since it meets the rules across', () => {
    expect(darkest(cleared, 376, 306, 384, 334)).toBeGreaterThan(185);
    expect(darkest(cleared, 56, 306, 64, 334)).toBeGreaterThan(185);
  });

  it('keeps the characters and the photo', () => {
    expect(darkest(cleared, 68, 312, 80, 328)).toBe(50);
    expect(darkest(cleared, 720, 120, 880, 360)).toBe(40);
  });

  it('keeps a short stroke that meets no rule', () => {
    const stroke = paper();
    fill(stroke, 500, 200, 503, 230, 50);
    expect(darkest(clearRules(stroke), 500, 200, 503, 230)).toBe(50);
  });
});
