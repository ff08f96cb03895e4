/**
 * Hard negatives for the card-front reader: things on the tray that are not a card front but
 * carry dates, digits and a photo. The back of a My Number card (its 12-digit number, invented and
 * with a wrong check digit, so that it can be no one's), and an invented insurance- or
 * licence-like card without the 個人番号カード title.
 */

import { myNumberCheckDigit } from '@myna/card/my-number.js';
import type { Canvas } from '@napi-rs/canvas';
import { blankCard, CARD_HEIGHT, CARD_WIDTH, cardFont, securityPattern, silhouette } from './card-canvas.ts';
import { birthText, type CardFrontSpec, validityText } from './card-front-spec.ts';
import type { Random } from './random.ts';

/** 11 random digits and a check digit that is not theirs: never a real individual number. */
export function inventedMyNumber(random: Random): string {
  const first11 = Array.from({ length: 11 }, () => random.int(0, 9)).join('');
  const wrong = (myNumberCheckDigit(first11) + random.int(1, 9)) % 10;
  return `${first11}${wrong}`;
}

/** The back of the card of `spec`'s holder: 個人番号 in three groups of four, 氏名, 生年月日, a QR-like block. */
export function renderCardBack(spec: CardFrontSpec, random: Random): Canvas {
  const { canvas, ctx } = blankCard('#f5f6f3');
  securityPattern(ctx, random, ['#e2e9e4', '#ece4ea']);
  const font = spec.font;
  // The IC chip.
  ctx.fillStyle = '#c9a750';
  ctx.beginPath();
  ctx.roundRect(60, 230, 120, 96, 14);
  ctx.fill();
  ctx.strokeStyle = '#8a6d25';
  ctx.lineWidth = 2;
  ctx.strokeRect(90, 250, 60, 56);
  ctx.fillStyle = spec.ink;
  ctx.font = cardFont(font, 22);
  ctx.fillText('個人番号', 60, 90);
  const number = inventedMyNumber(random);
  ctx.font = cardFont(font, 52, 'bold');
  ctx.fillText(`${number.slice(0, 4)} ${number.slice(4, 8)} ${number.slice(8)}`, 60, 160);
  ctx.font = cardFont(font, 20);
  ctx.fillText('氏名', 230, 270);
  ctx.fillText('生年月日', 230, 340);
  ctx.font = cardFont(font, 32);
  ctx.fillText(spec.name, 330, 272, 380);
  ctx.fillText(birthText(spec), 330, 342);
  // A QR-like block of random modules with the three finder squares.
  const size = 25;
  const cell = 7;
  const x0 = CARD_WIDTH - 60 - size * cell;
  const y0 = CARD_HEIGHT - 60 - size * cell;
  ctx.fillStyle = '#fff';
  ctx.fillRect(x0 - 14, y0 - 14, size * cell + 28, size * cell + 28);
  ctx.fillStyle = '#111';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++)
      if (random.chance(0.5)) ctx.fillRect(x0 + x * cell, y0 + y * cell, cell, cell);
  }
  for (const [fx, fy] of [
    [0, 0],
    [size - 7, 0],
    [0, size - 7],
  ] as const) {
    ctx.fillStyle = '#111';
    ctx.fillRect(x0 + fx * cell, y0 + fy * cell, 7 * cell, 7 * cell);
    ctx.fillStyle = '#fff';
    ctx.fillRect(x0 + (fx + 1) * cell, y0 + (fy + 1) * cell, 5 * cell, 5 * cell);
    ctx.fillStyle = '#111';
    ctx.fillRect(x0 + (fx + 2) * cell, y0 + (fy + 2) * cell, 3 * cell, 3 * cell);
  }
  ctx.fillStyle = spec.ink;
  ctx.font = cardFont(font, 16);
  ctx.fillText('この個人番号は、法令に基づく場合を除き、取り扱ってはいけません。', 60, 600, 620);
  return canvas;
}

/** An invented card of another kind: insurance-like or licence-like, with dates, numbers and a photo. */
export function renderOtherCard(spec: CardFrontSpec, random: Random): Canvas {
  const licence = random.chance(0.5);
  const { canvas, ctx } = blankCard(licence ? '#eef3e6' : '#fbf7ee');
  securityPattern(ctx, random, licence ? ['#d5e6c8', '#e6efd9'] : ['#f1e4c8', '#eadfce']);
  const font = spec.font;
  ctx.fillStyle = spec.ink;
  const digits = (n: number) => Array.from({ length: n }, () => random.int(0, 9)).join('');
  if (licence) {
    ctx.font = cardFont(font, 22);
    ctx.fillText('氏名', 40, 70);
    ctx.font = cardFont(font, 36);
    ctx.fillText(spec.name, 110, 74, 400);
    ctx.font = cardFont(font, 26);
    ctx.fillText(birthText(spec), 560, 74);
    ctx.fillText(`住所 ${spec.address[0] ?? ''}`, 40, 140, 900);
    ctx.fillText(
      `交付 令和${random.int(2, 7)}年${random.int(1, 12)}月${random.int(1, 28)}日 ${digits(5)}`,
      40,
      200,
    );
    ctx.fillStyle = '#2f7d3a';
    ctx.fillRect(40, 230, 560, 62);
    ctx.fillStyle = '#fff';
    ctx.font = cardFont(font, 32, 'bold');
    ctx.fillText(`${validityText(spec)}`, 60, 274);
    ctx.fillStyle = spec.ink;
    ctx.font = cardFont(font, 26);
    ctx.fillText(`番号 第 ${digits(12)} 号`, 40, 360);
    ctx.font = cardFont(font, 40, 'bold');
    ctx.fillText('運転資格証明書', 40, 590);
  } else {
    ctx.font = cardFont(font, 40, 'bold');
    ctx.fillText('健康保険 被保険者証', 40, 80);
    ctx.font = cardFont(font, 24);
    ctx.fillText(`記号 ${digits(4)}  番号 ${digits(5)}  (枝番) ${digits(2)}`, 40, 150);
    ctx.fillText(`氏名  ${spec.name}`, 40, 210, 650);
    ctx.fillText(`生年月日  ${birthText(spec)}`, 40, 265);
    ctx.fillText(`資格取得年月日  平成${random.int(2, 30)}年${random.int(1, 12)}月 1日`, 40, 320);
    ctx.fillText(
      `交付年月日  令和${random.int(2, 7)}年${random.int(1, 12)}月${random.int(1, 28)}日`,
      40,
      375,
    );
    ctx.fillText(`保険者番号  ${digits(8)}`, 40, 430);
    ctx.fillText('保険者名称  架空健康保険組合', 40, 485);
  }
  if (licence || random.chance(0.5)) silhouette(ctx, random, 760, 160, 210, 260);
  return canvas;
}
