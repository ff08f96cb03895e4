import { describe, expect, it } from 'vitest';
import { locateCard } from '../../../src/card-front/locate-card.ts';
import {
  halfTurn,
  type Point,
  type Quad,
  rectToQuad,
  warpToRect,
} from '../../../src/card-front/perspective.ts';
import { createFrame, type Frame } from '../../../src/face/image/frame.ts';

/** A tray of one colour with a pale card drawn as the quad (corners clockwise from the card's top-left). */
function trayWithCard(width: number, height: number, quad: Quad | null, tray = [40, 60, 90]): Frame {
  const frame = createFrame(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = quad !== null && insideConvex(quad, { x: x + 0.5, y: y + 0.5 });
      const colour = inside ? [236, 232, 226] : tray;
      frame.data.set([...colour, 255], (y * width + x) * 4);
    }
  }
  return frame;
}

function insideConvex(quad: Quad, p: Point): boolean {
  const signs = quad.map((a, k) => {
    const b = quad[(k + 1) % 4]!;
    return Math.sign((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x));
  });
  return signs.every((s) => s >= 0) || signs.every((s) => s <= 0);
}

/** The card of `w`×`h` turned by `degrees` about (cx, cy), corners from its own top-left, clockwise. */
function turnedCard(cx: number, cy: number, w: number, h: number, degrees: number): Quad {
  const t = (degrees * Math.PI) / 180;
  const corner = (dx: number, dy: number) => ({
    x: cx + dx * Math.cos(t) - dy * Math.sin(t),
    y: cy + dx * Math.sin(t) + dy * Math.cos(t),
  });
  return [corner(-w / 2, -h / 2), corner(w / 2, -h / 2), corner(w / 2, h / 2), corner(-w / 2, h / 2)];
}

/** Largest distance from each expected corner to the nearest found one, in pixels. */
function cornerError(found: Quad, expected: Quad): number {
  return Math.max(...expected.map((e) => Math.min(...found.map((f) => Math.hypot(f.x - e.x, f.y - e.y)))));
}

describe('finding the card on the tray', () => {
  it('finds a card turned by a small angle to within a few pixels', () => {
    const expected = turnedCard(640, 480, 856, 540, 7);
    const located = locateCard(trayWithCard(1280, 960, expected));
    expect(located.ok).toBe(true);
    if (!located.ok) return;
    expect(cornerError(located.quad, expected)).toBeLessThan(8);
    // The first side is a long one, the upper one.
    const [a, b] = located.quad;
    expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeGreaterThan(800);
    expect((a.y + b.y) / 2).toBeLessThan(480);
  });

  it('finds a card in perspective (its far edge shorter)', () => {
    const expected: Quad = [
      { x: 330, y: 210 },
      { x: 950, y: 200 },
      { x: 1040, y: 700 },
      { x: 250, y: 720 },
    ];
    const located = locateCard(trayWithCard(1280, 960, expected));
    expect(located.ok && cornerError(located.quad, expected)).toBeLessThan(8);
  });

  it('puts the long side first for a card lying across the tray', () => {
    const located = locateCard(trayWithCard(1280, 960, turnedCard(640, 480, 800, 505, 90)));
    expect(located.ok).toBe(true);
    if (!located.ok) return;
    const [a, b, c] = located.quad;
    expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeGreaterThan(Math.hypot(c.x - b.x, c.y - b.y));
  });

  it('finds a card on a blotchy tray, beside a blotch nearly as pale as the card', () => {
    const expected = turnedCard(700, 520, 640, 404, -5);
    const blotches = [
      { x: 330, y: 330, r: 300, colour: [214, 208, 200] },
      { x: 1100, y: 850, r: 320, colour: [205, 120, 150] },
      { x: 1050, y: 120, r: 260, colour: [120, 195, 125] },
    ];
    const frame = trayWithCard(1280, 960, expected);
    for (let y = 0; y < 960; y++)
      for (let x = 0; x < 1280; x++) {
        if (insideConvex(expected, { x: x + 0.5, y: y + 0.5 })) continue;
        const colour = [150, 160, 170];
        for (const b of blotches) {
          const w = Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / b.r ** 2);
          for (let c = 0; c < 3; c++) colour[c] = colour[c]! * (1 - w) + b.colour[c]! * w;
        }
        frame.data.set([...colour, 255], (y * 1280 + x) * 4);
      }
    const located = locateCard(frame);
    expect(located.ok).toBe(true);
    if (located.ok) expect(cornerError(located.quad, expected)).toBeLessThan(12);
  });

  it('takes no round thing cut off by the picture’s edge for a card', () => {
    const frame = trayWithCard(1280, 960, null, [90, 60, 40]);
    for (let y = 0; y < 960; y++)
      for (let x = 0; x < 1280; x++)
        if (((x - 1390) / 380) ** 2 + ((y - 605) / 205) ** 2 < 1)
          frame.data.set([150, 100, 70, 255], (y * 1280 + x) * 4);
    expect(locateCard(frame).ok).toBe(false);
  });

  it('says no card for an empty tray or a scrap too small to be a card', () => {
    expect(locateCard(trayWithCard(640, 480, null))).toEqual({ ok: false, problem: 'no-card' });
    expect(locateCard(trayWithCard(640, 480, turnedCard(320, 240, 80, 50, 0)))).toEqual({
      ok: false,
      problem: 'no-card',
    });
  });

  it('says the card is cut off when it runs out of the picture', () => {
    expect(locateCard(trayWithCard(1280, 960, turnedCard(1100, 480, 856, 540, 0)))).toEqual({
      ok: false,
      problem: 'card-cut-off',
    });
  });
});

describe('making the card flat', () => {
  it('maps the rectangle corners onto the quad', () => {
    const quad: Quad = [
      { x: 10, y: 20 },
      { x: 300, y: 30 },
      { x: 320, y: 220 },
      { x: 5, y: 200 },
    ];
    const h = rectToQuad(100, 50, quad);
    const map = (x: number, y: number) => {
      const w = h[6]! * x + h[7]! * y + 1;
      return { x: (h[0]! * x + h[1]! * y + h[2]!) / w, y: (h[3]! * x + h[4]! * y + h[5]!) / w };
    };
    for (const [[x, y], corner] of [
      [[0, 0], quad[0]],
      [[100, 0], quad[1]],
      [[100, 50], quad[2]],
      [[0, 50], quad[3]],
    ] as const) {
      expect(map(x, y).x).toBeCloseTo(corner.x, 6);
      expect(map(x, y).y).toBeCloseTo(corner.y, 6);
    }
  });

  it('samples the source through the quad, and half a turn puts it back', () => {
    // A left-dark, right-light source; the quad takes its right half only.
    const source = { width: 200, height: 100, data: new Uint8Array(200 * 100) };
    for (let y = 0; y < 100; y++) for (let x = 0; x < 200; x++) source.data[y * 200 + x] = x < 100 ? 20 : 220;
    const right: Quad = [
      { x: 110, y: 0 },
      { x: 200, y: 0 },
      { x: 200, y: 100 },
      { x: 110, y: 100 },
    ];
    const flat = warpToRect(source, right, 40, 20);
    expect(flat.data.slice(0, 38).every((v) => v === 220)).toBe(true);
    const turned = halfTurn({ width: 2, height: 1, data: Uint8Array.from([1, 2]) });
    expect([...turned.data]).toEqual([2, 1]);
  });
});
