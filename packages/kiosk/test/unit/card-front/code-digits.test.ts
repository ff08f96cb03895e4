import { describe, expect, it } from 'vitest';
import { digitShapes, readDigits } from '../../../src/card-front/code-digits.ts';
import { DIGIT_PROTOTYPES } from '../../../src/card-front/digit-prototype-data.ts';
import { drawDigits, paper } from './drawn-digits.ts';

const read = (plane: ReturnType<typeof paper>, box: { x0: number; y0: number; x1: number; y1: number }) => {
  const shapes = digitShapes(plane, box, 4);
  return shapes && readDigits(shapes, DIGIT_PROTOTYPES);
};

describe('the security code read by its digits’ shapes', () => {
  it('reads every digit, clearly, wherever the engine put the line’s box around it', () => {
    for (const code of ['0123', '4567', '8901', '7450', '4756']) {
      const plane = paper(200, 80);
      drawDigits(plane, code, { x: 40, y: 28, height: 24, step: 21 });
      for (const box of [
        { x0: 40, y0: 28, x1: 121, y1: 52 },
        { x0: 36, y0: 25, x1: 126, y1: 55 },
      ]) {
        const reading = read(plane, box);
        expect(reading?.text).toBe(code);
        expect(Math.min(...(reading?.confidence ?? [0]))).toBeGreaterThan(0.3);
      }
    }
  });

  it('cuts apart digits that touch, and finds the line under the edge of something darker above', () => {
    const plane = paper(200, 80);
    plane.data.fill(40, 0, 200 * 14); // the foot of the photo, inside the cut
    drawDigits(plane, '3808', { x: 40, y: 28, height: 24, step: 15 });
    expect(read(plane, { x0: 40, y0: 20, x1: 115, y1: 52 })?.text).toBe('3808');
  });

  it('reads nothing from blank paper, faint marks or a line of another length', () => {
    expect(read(paper(200, 80), { x0: 40, y0: 28, x1: 121, y1: 52 })).toBeNull();
    const faint = paper(200, 80);
    faint.data.fill(205, 30 * 200, 50 * 200);
    expect(read(faint, { x0: 40, y0: 28, x1: 121, y1: 52 })).toBeNull();
    const longer = paper(260, 80);
    drawDigits(longer, '123456', { x: 20, y: 28, height: 24, step: 21 });
    expect(read(longer, { x0: 20, y0: 28, x1: 144, y1: 52 })).toBeNull();
  });
});
