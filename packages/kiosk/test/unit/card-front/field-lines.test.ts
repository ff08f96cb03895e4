import { describe, expect, it } from 'vitest';
import {
  birthLineBox,
  codeLineBox,
  fieldsOnly,
  titleLineBox,
  validityLineBox,
} from '../../../src/card-front/field-lines.ts';
import type { GreyPlane } from '../../../src/card-front/perspective.ts';

function front(draw: (put: (x0: number, y0: number, x1: number, y1: number) => void) => void): GreyPlane {
  const plane = { width: 960, height: 606, data: new Uint8Array(960 * 606).fill(220) };
  draw((x0, y0, x1, y1) => {
    for (let y = y0; y < y1; y++) plane.data.fill(50, y * 960 + x0, y * 960 + x1);
  });
  return plane;
}

const photo = (put: (x0: number, y0: number, x1: number, y1: number) => void) => put(760, 100, 940, 380);

describe('the line the security code prints on, under the photo', () => {
  it('is the short line of ink below the photo, bounded by its ink', () => {
    const box = codeLineBox(
      front((put) => {
        photo(put);
        for (let x = 790; x < 850; x += 15) put(x, 400, x + 10, 416);
      }),
    );
    expect(box).toEqual({ x0: 790, y0: 400, x1: 845, y1: 416 });
  });

  it('is not there when nothing is printed under the photo, or when what is there is no line', () => {
    expect(codeLineBox(front(photo))).toBeNull();
    expect(
      codeLineBox(
        front((put) => {
          photo(put);
          put(780, 400, 900, 470);
        }),
      ),
    ).toBeNull();
  });
});

/** Characters of a line: blocks `height` tall, 20 px apart, from x0 to x1. */
const text = (
  put: (x0: number, y0: number, x1: number, y1: number) => void,
  x0: number,
  x1: number,
  y: number,
  height = 24,
) => {
  for (let x = x0; x + 14 <= x1; x += 20) put(x, y, x + 14, y + height);
};

describe('the lines the dates print on', () => {
  it('finds the validity line below 性別 and left of the photo, not the lines round it', () => {
    const card = front((put) => {
      photo(put);
      text(put, 40, 140, 240); // 性別 男
      text(put, 60, 340, 300); // 2031年 3月15日まで有効
      text(put, 40, 200, 400, 16); // a 追記 line
    });
    expect(validityLineBox(card)).toEqual({ x0: 60, y0: 300, x1: 334, y1: 324 });
  });

  it('finds the birth line right of the name, not the name beside it', () => {
    const card = front((put) => {
      photo(put);
      text(put, 100, 520, 40, 38); // the name, large, as long as it may be
      text(put, 640, 900, 50); // 昭和58年 2月 1日生
    });
    expect(birthLineBox(card)).toEqual({ x0: 640, y0: 50, x1: 894, y1: 74 });
  });

  it('finds no date line where nothing, or only a block too tall for a line, is printed', () => {
    expect(validityLineBox(front(photo))).toBeNull();
    expect(birthLineBox(front((put) => put(600, 40, 900, 110)))).toBeNull();
  });
});

describe('the line the title prints on', () => {
  it('is the large line at the bottom left, not the card’s edge below it', () => {
    const card = front((put) => {
      photo(put);
      text(put, 40, 200, 440, 16); // a 追記 line
      for (let x = 40; x < 330; x += 46) put(x, 522, x + 40, 564); // 個人番号カード
      put(0, 590, 960, 606); // the edge of the card and the tray beyond
    });
    expect(titleLineBox(card)).toEqual({ x0: 40, y0: 522, x1: 356, y1: 564 });
    expect(titleLineBox(front(photo))).toBeNull();
  });
});

describe('the card with its fields alone', () => {
  const card = () =>
    front((put) => {
      photo(put);
      text(put, 100, 520, 40, 38); // the name
      text(put, 640, 900, 50); // the birth date
      text(put, 40, 640, 130); // the address
      text(put, 60, 340, 300); // the validity date
      for (let x = 790; x < 850; x += 15) put(x, 400, x + 10, 416); // the code
      for (let x = 40; x < 330; x += 46) put(x, 522, x + 40, 564); // the title
    });

  it('keeps the fields’ lines as printed and paints the name, the address and the photo over with paper', () => {
    const whole = card();
    const bands = fieldsOnly(whole);
    expect(bands.data).not.toBe(whole.data);
    for (const find of [birthLineBox, validityLineBox, codeLineBox, titleLineBox])
      expect(find(bands)).toEqual(find(whole));
    const inked = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) if (bands.data[y * 960 + x]! < 100) return true;
      return false;
    };
    expect(inked(100, 40, 520, 78)).toBe(false);
    expect(inked(40, 130, 640, 154)).toBe(false);
    expect(inked(760, 140, 940, 330)).toBe(false);
    expect(whole.data[50 * 960 + 100]).toBe(50);
  });

  it('keeps room round a field’s line, not the photo’s foot above the code, and a band whose line it cannot find', () => {
    const foot = 375 * 960 + 800;
    expect(fieldsOnly(card()).data[foot]).toBe(220);
    expect(fieldsOnly(card()).data[404 * 960 + 795]).toBe(50);
    expect(fieldsOnly(front(photo)).data[foot]).toBe(50);
  });
});
