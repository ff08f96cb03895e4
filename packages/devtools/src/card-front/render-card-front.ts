/**
 * The flat front of a synthetic My Number card at 1024×646, laid out as the real card is publicly
 * described: 氏名 and the name top left, the birth date top right, 住所, 性別, the validity in a
 * bordered box, the title bottom left, the photo on the right with the 4-digit security code under
 * it. Deterministic: the same spec draws the same pixels.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { blankCard, CARD_WIDTH, cardFont, securityPattern, silhouette } from './card-canvas.ts';
import { birthText, type CardFrontSpec, validityText } from './card-front-spec.ts';
import { type Random, seededRandom, seedOf } from './random.ts';

const TITLES = { current: '個人番号カード', 'next-gen': 'マイナンバーカード' } as const;
const PAPERS = { current: '#f7f3ec', 'next-gen': '#f1f5f8' } as const;
const PATTERNS = {
  current: ['#f0dfe2', '#dfe7ee'],
  'next-gen': ['#d9e6f0', '#e4ecf2'],
} as const;

/** Where the photo sits, in card pixels. */
export const PHOTO_AREA = { x: 752, y: 132, width: 220, height: 276 } as const;

export function renderCardFront(spec: CardFrontSpec): Canvas {
  const decor = seededRandom(seedOf('decor', spec.name, spec.birthDate, spec.securityCode));
  const { canvas, ctx } = blankCard(PAPERS[spec.layout]);
  securityPattern(ctx, decor, PATTERNS[spec.layout]);
  const jitter = spec.jitterSeed === null ? null : seededRandom(spec.jitterSeed);
  // Each element moves a few pixels and changes size by a few per cent, as print runs and card
  // generations differ.
  const place = (x: number, y: number, px: number) =>
    jitter
      ? { x: x + jitter.range(-6, 6), y: y + jitter.range(-5, 5), px: px * jitter.range(0.95, 1.05) }
      : { x, y, px };
  const text = (s: string, at: { x: number; y: number; px: number }, options: TextOptions = {}) =>
    drawText(ctx, s, at, spec, options);

  text('氏名', place(44, 76, 19));
  text(spec.name, place(108, 80, 42), { maxWidth: 440 });
  const birth = place(CARD_WIDTH - 50, 80, 30);
  text(birthText(spec), birth, { align: 'right' });

  text('住所', place(44, 150, 19));
  const addressLine = place(108, 152, 29);
  spec.address.slice(0, 2).forEach((line, i) => {
    text(line, { ...addressLine, y: addressLine.y + i * addressLine.px * 1.45 }, { maxWidth: 610 });
  });

  if (spec.sex) {
    const sex = place(44, 268, 19);
    text('性別', sex);
    text(spec.sex, { x: sex.x + 64, y: sex.y + 2, px: 29 });
  }

  const validity = place(44, 352, 28);
  const validityWidth = measure(ctx, validityText(spec), validity.px, spec);
  ctx.strokeStyle = spec.ink;
  ctx.lineWidth = 2.5;
  ctx.strokeRect(validity.x, validity.y - validity.px * 1.35, validityWidth + 36, validity.px * 1.9);
  text(validityText(spec), { ...validity, x: validity.x + 18 });

  spec.extraLines.forEach((line, i) => {
    text(line, place(44, 430 + i * 26, 17));
  });

  const photo = jitter
    ? { ...PHOTO_AREA, x: PHOTO_AREA.x + jitter.range(-6, 6), y: PHOTO_AREA.y + jitter.range(-4, 4) }
    : PHOTO_AREA;
  silhouette(ctx, decor, photo.x, photo.y, photo.width, photo.height);
  const code = place(photo.x + photo.width / 2, photo.y + photo.height + 40, 27);
  text(spec.securityCode, code, { align: 'center' });
  text(spec.issuer, place(photo.x + photo.width / 2, 590, 22), { align: 'center' });

  text(TITLES[spec.layout], place(44, 598, 46), { weight: 'bold', colour: titleColour(decor) });
  return canvas;
}

interface TextOptions {
  align?: 'left' | 'right' | 'center';
  weight?: 'normal' | 'bold';
  maxWidth?: number;
  colour?: string;
}

function drawText(
  ctx: SKRSContext2D,
  s: string,
  at: { x: number; y: number; px: number },
  spec: Pick<CardFrontSpec, 'font' | 'ink'>,
  options: TextOptions,
): void {
  ctx.font = cardFont(spec.font, at.px, options.weight);
  ctx.fillStyle = options.colour ?? spec.ink;
  ctx.textAlign = options.align ?? 'left';
  ctx.textBaseline = 'alphabetic';
  if (options.maxWidth === undefined) ctx.fillText(s, at.x, at.y);
  else ctx.fillText(s, at.x, at.y, options.maxWidth);
}

function measure(ctx: SKRSContext2D, s: string, px: number, spec: Pick<CardFrontSpec, 'font'>): number {
  ctx.font = cardFont(spec.font, px);
  return ctx.measureText(s).width;
}

function titleColour(decor: Random): string {
  return decor.pick(['#1d2a4a', '#2b2b2b', '#3a2a50']);
}
