import { describe, expect, it } from 'vitest';
import { codeLineBox } from '../../../src/card-front/code-line.ts';
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
