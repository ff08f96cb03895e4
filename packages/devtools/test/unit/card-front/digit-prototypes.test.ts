import { digitShapes, readDigits } from '@myna/kiosk/card-front/code-digits.js';
import { DIGIT_PROTOTYPES } from '@myna/kiosk/card-front/digit-prototype-data.js';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { digitPrototypes } from '../../../src/card-front/digit-prototypes.ts';

describe('the digit prototypes the kiosk reads the security code with', () => {
  it('are the ones the generator draws (the module is not edited by hand)', () => {
    const drawn = digitPrototypes();
    expect(drawn.labels).toBe(DIGIT_PROTOTYPES.labels);
    // A font package's next build may move an edge by a shade, not a digit's shape.
    let furthest = 0;
    drawn.shapes.forEach((v, i) => {
      furthest = Math.max(furthest, Math.abs(v - DIGIT_PROTOTYPES.shapes[i]!));
    });
    expect(furthest).toBeLessThanOrEqual(8);
  });

  it('read codes printed in a typeface they were not drawn from, sharp and blurred', () => {
    const codes = ['0123', '4567', '8901', '7450', '3756', '1118'];
    for (const blur of [0, 1]) {
      for (const code of codes) {
        const canvas = createCanvas(180, 60);
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#ece8e0';
        ctx.fillRect(0, 0, 180, 60);
        ctx.filter = blur > 0 ? `blur(${blur}px)` : 'none';
        ctx.fillStyle = '#2a2a2a';
        ctx.font = '26px "Noto Sans Mono CJK JP"';
        ctx.fillText(code, 30, 40);
        const rgba = ctx.getImageData(0, 0, 180, 60).data;
        const plane = {
          width: 180,
          height: 60,
          data: Uint8Array.from({ length: 180 * 60 }, (_, i) => rgba[i * 4]!),
        };
        const shapes = digitShapes(plane, { x0: 28, y0: 18, x1: 122, y1: 43 }, 4);
        expect(shapes && readDigits(shapes, DIGIT_PROTOTYPES).text).toBe(code);
      }
    }
  });
});
