import { digitShapes, readDigits } from '@myna/kiosk/card-front/code-digits.js';
import { readDateByShapes } from '@myna/kiosk/card-front/date-glyphs.js';
import { DATE_WORD_PROTOTYPES } from '@myna/kiosk/card-front/date-word-prototype-data.js';
import { DIGIT_PROTOTYPES } from '@myna/kiosk/card-front/digit-prototype-data.js';
import type { GreyPlane } from '@myna/kiosk/card-front/perspective.js';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { glyphPrototypes } from '../../../src/card-front/glyph-prototypes.ts';

/** Text in a typeface on card-like paper, as a grey plane. */
function printed(text: string, font: string, blur: number, width: number): GreyPlane {
  const canvas = createCanvas(width, 60);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ece8e0';
  ctx.fillRect(0, 0, width, 60);
  ctx.filter = blur > 0 ? `blur(${blur}px)` : 'none';
  ctx.fillStyle = '#2a2a2a';
  ctx.font = font;
  ctx.fillText(text, 30, 40);
  const rgba = ctx.getImageData(0, 0, width, 60).data;
  return { width, height: 60, data: Uint8Array.from({ length: width * 60 }, (_, i) => rgba[i * 4]!) };
}

describe('the glyph prototypes the kiosk reads the security code and the dates with', () => {
  it('are the ones the generator draws (the modules are not edited by hand)', () => {
    const drawn = glyphPrototypes();
    for (const [made, kept] of [
      [drawn.digits, DIGIT_PROTOTYPES],
      [drawn.words, DATE_WORD_PROTOTYPES],
    ] as const) {
      expect(made.labels).toBe(kept.labels);
      // A font package's next build may move an edge by a shade, not a character's shape.
      let furthest = 0;
      made.shapes.forEach((v, i) => {
        furthest = Math.max(furthest, Math.abs(v - kept.shapes[i]!));
      });
      expect(furthest).toBeLessThanOrEqual(8);
    }
  });

  it('read codes printed in a typeface they were not drawn from, sharp and blurred', () => {
    const codes = ['0123', '4567', '8901', '7450', '3756', '1118'];
    for (const blur of [0, 1]) {
      for (const code of codes) {
        const plane = printed(code, '26px "Noto Sans Mono CJK JP"', blur, 180);
        const shapes = digitShapes(plane, { x0: 28, y0: 18, x1: 122, y1: 43 }, 4);
        expect(shapes && readDigits(shapes, DIGIT_PROTOTYPES).text).toBe(code);
      }
    }
  });

  it('read dates printed in a typeface whose digits they were not drawn from, sharp and blurred', () => {
    const dates = [
      { text: '昭和58年 2月 8日生', form: 'era', read: { era: '昭和', year: 58, month: 2, day: 8 } },
      { text: '令和元年11月30日生', form: 'era', read: { era: '令和', year: 1, month: 11, day: 30 } },
      {
        text: '2034年10月17日まで有効',
        form: 'gregorian',
        read: { era: null, year: 2034, month: 10, day: 17 },
      },
    ] as const;
    for (const blur of [0, 1]) {
      for (const { text, form, read } of dates) {
        const plane = printed(text, '28px "Noto Sans Mono CJK JP"', blur, 420);
        const reading = readDateByShapes(plane, { x0: 28, y0: 14, x1: 330, y1: 44 }, form);
        expect(reading).toMatchObject(read);
      }
    }
  });
});
