/**
 * Drawing shared by the synthetic card faces: the ID-1 card shape at 1024×646 (85.6 × 54 mm), its
 * pale security pattern, the photo's stand-in silhouette and the fonts.
 */
import { type Canvas, createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { CardFont } from './card-front-spec.ts';
import type { Random } from './random.ts';

export const CARD_WIDTH = 1024;
export const CARD_HEIGHT = 646;
/** The ID-1 corner radius, 3.18 mm. */
const CARD_RADIUS = 38;

const FAMILIES: Record<CardFont, string> = { sans: 'Noto Sans CJK JP', serif: 'Noto Serif CJK JP' };

/** A CSS font for the card's text; fails plainly where the font is missing instead of drawing boxes. */
export function cardFont(font: CardFont, px: number, weight: 'normal' | 'bold' = 'normal'): string {
  const family = FAMILIES[font];
  if (!GlobalFonts.has(family)) throw new Error(`font "${family}" is not installed (fonts-noto-cjk)`);
  return `${weight} ${px.toFixed(1)}px "${family}"`;
}

/** A transparent 1024×646 canvas clipped to the card's rounded outline, filled with `paper`. */
export function blankCard(paper: string): { canvas: Canvas; ctx: SKRSContext2D } {
  const canvas = createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.beginPath();
  ctx.roundRect(0, 0, CARD_WIDTH, CARD_HEIGHT, CARD_RADIUS);
  ctx.clip();
  ctx.fillStyle = paper;
  ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
  return { canvas, ctx };
}

/** Fine wavy lines in two pale colours, as on printed security documents. */
export function securityPattern(
  ctx: SKRSContext2D,
  random: Random,
  colours: readonly [string, string],
): void {
  ctx.save();
  ctx.lineWidth = 1;
  const period = random.range(90, 160);
  const amplitude = random.range(6, 14);
  for (let row = -2; row < CARD_HEIGHT / 9 + 2; row++) {
    ctx.strokeStyle = colours[row % 2 === 0 ? 0 : 1];
    ctx.beginPath();
    for (let x = 0; x <= CARD_WIDTH; x += 16) {
      const y = row * 9 + amplitude * Math.sin((2 * Math.PI * x) / period + row * 0.35);
      if (x === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  // A large faint rosette in the middle.
  ctx.globalAlpha = 0.35;
  ctx.strokeStyle = colours[0];
  const cx = CARD_WIDTH * random.range(0.4, 0.55);
  const cy = CARD_HEIGHT * random.range(0.4, 0.6);
  for (let i = 0; i < 24; i++) {
    ctx.beginPath();
    ctx.ellipse(cx, cy, 180, 70, (i * Math.PI) / 24, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

/** An abstract head and shoulders in the photo area: a stand-in, never a face. */
export function silhouette(
  ctx: SKRSContext2D,
  random: Random,
  x: number,
  y: number,
  w: number,
  h: number,
): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  const backdrop = ctx.createLinearGradient(x, y, x, y + h);
  backdrop.addColorStop(0, random.pick(['#c9d6e3', '#d8dde2', '#bfcfdc', '#e0e4e8']));
  backdrop.addColorStop(1, random.pick(['#aebfcf', '#c2c8ce', '#a9b9c9']));
  ctx.fillStyle = backdrop;
  ctx.fillRect(x, y, w, h);
  const cx = x + w * random.range(0.46, 0.54);
  const clothes = random.pick(['#2d3440', '#3b3b3b', '#4a3f35', '#23303d', '#5a5f66']);
  ctx.fillStyle = clothes;
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 1.02, w * random.range(0.5, 0.6), h * 0.32, 0, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = random.pick(['#d9b89c', '#c89f7f', '#e3c4a8', '#b88a66']);
  ctx.fillRect(cx - w * 0.09, y + h * 0.52, w * 0.18, h * 0.2);
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 0.42, w * 0.22, h * 0.2, 0, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = random.pick(['#1e1a18', '#3a2c22', '#6b6b6b', '#2a2a2a']);
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 0.35, w * 0.235, h * 0.15, 0, Math.PI, 2 * Math.PI);
  ctx.fill();
  ctx.restore();
}
