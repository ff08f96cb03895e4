import { verificationNumberB } from '@myna/card/verification-number.js';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import {
  type CardFrontSample,
  type CardFrontSetOptions,
  cardFrontPhoto,
  generateCardFrontSet,
} from '../../../src/card-front/card-front-set.ts';
import { randomCardFrontSpec } from '../../../src/card-front/card-front-spec.ts';
import { homography, mapPoint, type Point } from '../../../src/card-front/homography.ts';
import { CAMERAS, type PhotoConditions, photograph } from '../../../src/card-front/photograph.ts';
import { seededRandom } from '../../../src/card-front/random.ts';
import { renderCardFront } from '../../../src/card-front/render-card-front.ts';

const TODAY = '2025-06-01';

async function collect(options: Omit<CardFrontSetOptions, 'today'>): Promise<CardFrontSample[]> {
  const samples: CardFrontSample[] = [];
  for await (const sample of generateCardFrontSet({ today: TODAY, ...options })) samples.push(sample);
  return samples;
}

describe('card-front photo sets', () => {
  it('gives the same bytes and truth for the same seed, and another set for another seed', async () => {
    const a = await collect({ count: 4, seed: 'same', negatives: 0.5 });
    const b = await collect({ count: 4, seed: 'same', negatives: 0.5 });
    const c = await collect({ count: 4, seed: 'other', negatives: 0.5 });
    expect(a.map((s) => s.id)).toEqual(['0000', '0001', '0002', '0003']);
    expect(b.map((s) => s.truth)).toEqual(a.map((s) => s.truth));
    expect(b.map((s, i) => s.jpeg.equals(a[i]!.jpeg))).toEqual([true, true, true, true]);
    expect(c.map((s) => s.truth)).not.toEqual(a.map((s) => s.truth));
  });

  it('records 照合番号B of the printed dates and code on current fronts only', async () => {
    const fronts = await collect({ count: 3, seed: 5, negatives: 0 });
    for (const { truth } of fronts) {
      expect(truth.kind).toBe('front');
      expect(truth.layout).toBe('current');
      expect(truth.numberB).toBe(
        verificationNumberB(truth.birthDate!, truth.validUntil!, truth.securityCode!),
      );
      expect(truth.validUntil! >= TODAY).toBe(true);
      expect(truth.validUntil!.slice(5)).toBe(truth.birthDate!.slice(5));
    }
    const nextGen = await collect({ count: 2, seed: 5, negatives: 0, nextGenShare: 1 });
    for (const { truth } of nextGen) {
      expect(truth.layout).toBe('next-gen');
      expect(truth.birthPrinted!.era).toBeNull();
      expect(truth.numberB).toBeNull();
    }
  });

  it('makes the share of negatives asked for, of the negative kinds, without card facts', async () => {
    const set = await collect({ count: 12, seed: 3, negatives: 0.25, hardShare: 0 });
    const negatives = set.filter((s) => s.truth.kind !== 'front');
    expect(negatives).toHaveLength(3);
    const all = await collect({ count: 9, seed: 11, negatives: 1 });
    for (const { truth } of [...negatives, ...all]) {
      expect(['back', 'other-card', 'no-card']).toContain(truth.kind);
      expect(truth.numberB).toBeNull();
      expect(truth.securityCode).toBeNull();
      expect(truth.corners === null).toBe(truth.kind === 'no-card');
    }
    expect(new Set(all.map((s) => s.truth.kind)).size).toBe(3);
  });

  it('photographs at the camera size', async () => {
    const [sample] = await collect({ count: 1, seed: 2, cameras: [CAMERAS['1280x720']] });
    const image = await loadImage(sample!.jpeg);
    expect([image.width, image.height]).toEqual([1280, 720]);
    expect(sample!.truth.conditions.camera).toEqual({ width: 1280, height: 720 });
  });

  it("photographs a given holder's card with that holder's facts", async () => {
    const holder = {
      name: '中年　健一',
      birthDate: '1970-05-20',
      cardExpiry: '2032-05-20',
      securityCode: '1970',
      address: '大阪府大阪市北区中之島１丁目３番２０号',
      sex: '1',
    };
    const { jpeg, truth } = await cardFrontPhoto(holder);
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(truth).toMatchObject({
      kind: 'front',
      birthPrinted: { era: '昭和', year: 45, month: 5, day: 20 },
      validUntil: '2032-05-20',
      numberB: verificationNumberB('1970-05-20', '2032-05-20', '1970'),
      conditions: { difficulty: 'clean', upsideDown: false },
    });
  });
});

describe('the photograph', () => {
  it('turns an upside-down card over in the picture', () => {
    const card = renderCardFront(randomCardFrontSpec(seededRandom(9), TODAY));
    const conditions: PhotoConditions = {
      camera: CAMERAS['1280x960'],
      difficulty: 'clean',
      rotationDeg: 180,
      upsideDown: true,
      scale: 0.7,
      perspective: 0,
      background: 'tray',
      light: 0,
      glare: 0,
      blur: 0,
      noise: 0,
      jpegQuality: 90,
      hand: false,
      seed: 1,
    };
    const photo = photograph(card, conditions);
    const corners = photo.corners!;
    // The printed top-left corner lies bottom right in the frame.
    expect(corners[0]![0]).toBeGreaterThan(corners[2]![0]);
    expect(corners[0]![1]).toBeGreaterThan(corners[2]![1]);
    // The picture matches the flat card read through those corners, and not read the other way up.
    const flat = luminance(card, card.width, card.height);
    const shot = luminance(photo.canvas, photo.canvas.width, photo.canvas.height);
    const turned = [corners[2]!, corners[3]!, corners[0]!, corners[1]!];
    expect(agreement(flat, shot, card, corners)).toBeGreaterThan(0.8);
    expect(agreement(flat, shot, card, turned)).toBeLessThan(0.3);
  });
});

interface Gray {
  width: number;
  values: Float64Array;
}

function luminance(canvas: { getContext(type: '2d'): unknown }, width: number, height: number): Gray {
  const copy = createCanvas(width, height);
  const ctx = copy.getContext('2d');
  ctx.drawImage(canvas as Parameters<typeof ctx.drawImage>[0], 0, 0);
  const data = ctx.getImageData(0, 0, width, height).data;
  const values = new Float64Array(width * height);
  for (let i = 0; i < values.length; i++) values[i] = data[4 * i]! + data[4 * i + 1]! + data[4 * i + 2]!;
  return { width, values };
}

/** Correlation of the flat card and the photo over a grid of card points mapped through `corners`. */
function agreement(
  flat: Gray,
  shot: Gray,
  card: { width: number; height: number },
  corners: readonly Point[],
): number {
  const h = homography(
    [
      [0, 0],
      [card.width, 0],
      [card.width, card.height],
      [0, card.height],
    ],
    corners,
  );
  const a: number[] = [];
  const b: number[] = [];
  for (let y = 40; y < card.height - 40; y += 6) {
    for (let x = 40; x < card.width - 40; x += 6) {
      const [px, py] = mapPoint(h, [x, y]);
      a.push(flat.values[y * flat.width + x]!);
      b.push(shot.values[Math.round(py) * shot.width + Math.round(px)]!);
    }
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [sab, saa, sbb] = [0, 0, 0];
  a.forEach((x, i) => {
    sab += (x - ma) * (b[i]! - mb);
    saa += (x - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}
