/**
 * A flat card as the kiosk's tray camera photographs it: placed on a tray background under a
 * homography (rotation either way up or sideways, scale, corner jitter for the perspective), with
 * a drop shadow, uneven tinted light, glare, blur, sensor noise and JPEG compression. The
 * conditions are drawn from a difficulty; the photo is a pure function of card and conditions.
 */
import { type Canvas, createCanvas, ImageData, type SKRSContext2D } from '@napi-rs/canvas';
import { type Homography, homography, mapPoint, type Point } from './homography.ts';
import { type Random, seededRandom, seedOf } from './random.ts';

export interface CameraSize {
  readonly width: number;
  readonly height: number;
}

export const CAMERAS = {
  '1280x960': { width: 1280, height: 960 },
  '1280x720': { width: 1280, height: 720 },
} as const satisfies Record<string, CameraSize>;

/** `clean`: a well placed card in good light; `normal`: what most patients do; `hard`: the rest. */
export type Difficulty = 'clean' | 'normal' | 'hard';

export const BACKGROUNDS = ['tray', 'wood', 'cloth', 'gradient', 'blotches'] as const;
export type Background = (typeof BACKGROUNDS)[number];

export interface PhotoConditions {
  readonly camera: CameraSize;
  readonly difficulty: Difficulty;
  /** The card's turn in the photo, clockwise, in (-180, 180]: near 0 upright, near ±180 upside down. */
  readonly rotationDeg: number;
  readonly upsideDown: boolean;
  /** The card's long side as a fraction of the frame width (before the corner jitter). */
  readonly scale: number;
  /** Random shift of each corner, as a fraction of the card's long side: the perspective. */
  readonly perspective: number;
  readonly background: Background;
  /** How much darker the dim side of the frame is than the bright side, 0..1. */
  readonly light: number;
  /** Strength of a bright specular ellipse on the card, 0 (none)..1. */
  readonly glare: number;
  /** Gaussian blur sigma in frame pixels, of the card (the tray's textures are soft already). */
  readonly blur: number;
  /** Sensor noise, standard deviation in 0..255 units. */
  readonly noise: number;
  readonly jpegQuality: number;
  /** A hand-coloured blob at the frame's edge. */
  readonly hand: boolean;
  /** Seeds placement, textures and noise, so the conditions alone fix the photo. */
  readonly seed: number;
}

interface Ranges {
  tilt: number;
  scale: [number, number];
  perspective: [number, number];
  light: [number, number];
  glare: [number, number, number];
  blur: [number, number];
  noise: [number, number];
  jpeg: [number, number];
  turns: [number, number, number];
}

// turns: the share of cards upright, upside down and sideways; glare: [chance, min, max].
const RANGES: Record<Difficulty, Ranges> = {
  clean: {
    tilt: 2,
    scale: [0.6, 0.75],
    perspective: [0, 0.01],
    light: [0, 0.1],
    glare: [0, 0, 0],
    blur: [0, 0.5],
    noise: [0.5, 2],
    jpeg: [88, 95],
    turns: [1, 0, 0],
  },
  normal: {
    tilt: 8,
    scale: [0.5, 0.8],
    perspective: [0.005, 0.04],
    light: [0.05, 0.3],
    glare: [0.25, 0.15, 0.45],
    blur: [0.3, 1.4],
    noise: [1.5, 6],
    jpeg: [70, 95],
    turns: [0.72, 0.2, 0.08],
  },
  hard: {
    tilt: 25,
    scale: [0.4, 0.85],
    perspective: [0.03, 0.09],
    light: [0.2, 0.55],
    glare: [0.6, 0.35, 0.8],
    blur: [0.8, 2.4],
    noise: [5, 14],
    jpeg: [50, 80],
    turns: [0.5, 0.3, 0.2],
  },
};

export function randomConditions(
  random: Random,
  difficulty: Difficulty,
  camera: CameraSize = CAMERAS['1280x960'],
): PhotoConditions {
  const r = RANGES[difficulty];
  const [upright, upsideDown] = r.turns;
  const turn = random.next();
  const base = turn < upright ? 0 : turn < upright + upsideDown ? 180 : random.pick([90, -90]);
  const rotationDeg = normaliseDegrees(base + random.gauss(0, r.tilt / 2.5));
  const [glareChance, glareMin, glareMax] = r.glare;
  return {
    camera,
    difficulty,
    rotationDeg,
    upsideDown: base === 180,
    scale: random.range(...r.scale),
    perspective: random.range(...r.perspective),
    background: random.pick(BACKGROUNDS),
    light: random.range(...r.light),
    glare: random.chance(glareChance) ? random.range(glareMin, glareMax) : 0,
    blur: random.range(...r.blur),
    noise: random.range(...r.noise),
    jpegQuality: Math.round(random.range(...r.jpeg)),
    hand: false,
    seed: random.seed(),
  };
}

export interface Photo {
  readonly canvas: Canvas;
  /** The card's corners in the photo (its top-left, top-right, bottom-right, bottom-left as printed); null: no card. */
  readonly corners: readonly Point[] | null;
  /** The card's long side as a fraction of the frame width, after fitting it into the frame. */
  readonly scale: number | null;
}

/** Photographs `card` (a flat face, transparent outside its outline), or the bare tray when null. */
export function photograph(card: Canvas | null, conditions: PhotoConditions): Photo {
  const { width, height } = conditions.camera;
  const random = seededRandom(conditions.seed);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  drawBackground(ctx, random, conditions.background, width, height);
  const corners = card ? placeCard(random, conditions, card.width / card.height) : null;
  if (card && corners) {
    drawShadow(ctx, random, corners);
    warpInto(ctx, card, corners, conditions.blur);
    if (conditions.glare > 0) drawGlare(ctx, random, corners, conditions.glare);
  }
  if (conditions.hand) drawHand(ctx, random, width, height);
  drawLight(ctx, random, conditions.light, width, height);
  addNoise(ctx, random, conditions.noise, width, height);
  return { canvas, corners, scale: corners ? longSide(corners) / width : null };
}

export function encodeJpeg(photo: Photo, quality: number): Promise<Buffer> {
  // encode() compresses on a worker thread, so the next photo can be drawn meanwhile.
  return photo.canvas.encode('jpeg', quality);
}

/** The corners in the frame: turned, scaled, each corner jittered, then fitted inside the frame. */
function placeCard(random: Random, c: PhotoConditions, aspect: number): Point[] {
  const { width, height } = c.camera;
  const long = c.scale * width;
  const short = long / aspect;
  const theta = (c.rotationDeg * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const offsets: Point[] = [
    [-long / 2, -short / 2],
    [long / 2, -short / 2],
    [long / 2, short / 2],
    [-long / 2, short / 2],
  ];
  let corners: Point[] = offsets.map(([x, y]) => [
    x * cos - y * sin + random.range(-1, 1) * c.perspective * long,
    x * sin + y * cos + random.range(-1, 1) * c.perspective * long,
  ]);
  // Shrinks a card that would not fit, keeping a margin, then moves it somewhere inside.
  const margin = 0.02 * width;
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  const fit = Math.min(1, (width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  corners = corners.map(([x, y]) => [x * fit, y * fit]);
  const left = Math.min(...xs) * fit;
  const top = Math.min(...ys) * fit;
  const dx = random.range(margin - left, width - margin - (left + spanX * fit));
  const dy = random.range(margin - top, height - margin - (top + spanY * fit));
  return corners.map(([x, y]) => [x + dx, y + dy]);
}

function longSide(corners: readonly Point[]): number {
  const edge = (a: Point, b: Point) => Math.hypot(b[0] - a[0], b[1] - a[1]);
  return (edge(corners[0]!, corners[1]!) + edge(corners[3]!, corners[2]!)) / 2;
}

/**
 * Inverse-maps each frame pixel in the card's bounding box through the homography and samples the
 * card bilinearly (premultiplied, so the transparent rounded corners blend into the tray). The
 * card is first resized to about its size in the frame, so that a far card does not alias.
 */
function warpInto(ctx: SKRSContext2D, card: Canvas, corners: readonly Point[], blur: number): void {
  const { width: frameW, height: frameH } = ctx.canvas;
  const sw = Math.max(8, Math.round(longSide(corners) * 1.1));
  const sh = Math.max(8, Math.round((sw * card.height) / card.width));
  const small = createCanvas(sw, sh);
  const sctx = small.getContext('2d');
  sctx.imageSmoothingQuality = 'high';
  if (blur > 0.05) sctx.filter = `blur(${((blur * sw) / longSide(corners)).toFixed(2)}px)`;
  sctx.drawImage(card, 0, 0, sw, sh);
  const src = sctx.getImageData(0, 0, sw, sh).data;
  const h: Homography = homography(corners, [
    [0, 0],
    [sw, 0],
    [sw, sh],
    [0, sh],
  ]);
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map(([x]) => x))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map(([, y]) => y))));
  const x1 = Math.min(frameW, Math.ceil(Math.max(...corners.map(([x]) => x))));
  const y1 = Math.min(frameH, Math.ceil(Math.max(...corners.map(([, y]) => y))));
  const bw = x1 - x0;
  const bh = y1 - y0;
  if (bw <= 0 || bh <= 0) return;
  const out = new Uint8ClampedArray(bw * bh * 4);
  const [h0, h1, h2, h3, h4, h5, h6, h7] = h as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const row = sw * 4;
  for (let y = 0; y < bh; y++) {
    const py = y0 + y + 0.5;
    // Numerators and denominator at the row's first pixel, then stepped along x.
    let nu = h0 * (x0 + 0.5) + h1 * py + h2;
    let nv = h3 * (x0 + 0.5) + h4 * py + h5;
    let d = h6 * (x0 + 0.5) + h7 * py + 1;
    for (let x = 0, o = y * bw * 4; x < bw; x++, o += 4, nu += h0, nv += h3, d += h6) {
      const fx = nu / d - 0.5;
      const fy = nv / d - 0.5;
      if (fx <= -1 || fy <= -1 || fx >= sw || fy >= sh) continue;
      const ix = Math.floor(fx);
      const iy = Math.floor(fy);
      const ax = fx - ix;
      const ay = fy - iy;
      const i = iy * row + ix * 4;
      const j = i + row;
      if (ix >= 0 && iy >= 0 && ix + 1 < sw && iy + 1 < sh) {
        const w00 = (1 - ax) * (1 - ay) * src[i + 3]!;
        const w01 = ax * (1 - ay) * src[i + 7]!;
        const w10 = (1 - ax) * ay * src[j + 3]!;
        const w11 = ax * ay * src[j + 7]!;
        const a = w00 + w01 + w10 + w11;
        if (a <= 0) continue;
        out[o] = (w00 * src[i]! + w01 * src[i + 4]! + w10 * src[j]! + w11 * src[j + 4]!) / a;
        out[o + 1] = (w00 * src[i + 1]! + w01 * src[i + 5]! + w10 * src[j + 1]! + w11 * src[j + 5]!) / a;
        out[o + 2] = (w00 * src[i + 2]! + w01 * src[i + 6]! + w10 * src[j + 2]! + w11 * src[j + 6]!) / a;
        out[o + 3] = a;
      } else {
        // On the image's border: the nearest pixel inside, faded by how far out the sample lies.
        const sx = Math.min(sw - 1, Math.max(0, Math.round(fx)));
        const sy = Math.min(sh - 1, Math.max(0, Math.round(fy)));
        const k = (sy * sw + sx) * 4;
        const inside = Math.min(1, fx + 1, fy + 1, sw - fx, sh - fy);
        out[o] = src[k]!;
        out[o + 1] = src[k + 1]!;
        out[o + 2] = src[k + 2]!;
        out[o + 3] = src[k + 3]! * inside;
      }
    }
  }
  // putImageData replaces pixels; drawing a layer composites its alpha over the tray.
  const layer = createCanvas(bw, bh);
  layer.getContext('2d').putImageData(new ImageData(out, bw, bh), 0, 0);
  ctx.drawImage(layer, x0, y0);
}

function drawShadow(ctx: SKRSContext2D, random: Random, corners: readonly Point[]): void {
  // The quad itself is drawn off the frame and only its shadow falls on it: the card's rounded
  // corners must show the tray, not the quad.
  const away = 100_000;
  ctx.save();
  ctx.shadowColor = `rgba(0, 0, 0, ${random.range(0.25, 0.55).toFixed(2)})`;
  ctx.shadowBlur = random.range(6, 22);
  ctx.shadowOffsetX = away + random.range(-6, 8);
  ctx.shadowOffsetY = random.range(-4, 10);
  ctx.fillStyle = '#000';
  ctx.beginPath();
  for (const [x, y] of corners) ctx.lineTo(x - away, y);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

function drawBackground(ctx: SKRSContext2D, random: Random, kind: Background, w: number, h: number): void {
  const tone = (base: readonly [number, number, number], spread: number) =>
    `rgb(${base.map((c) => Math.round(Math.min(255, Math.max(0, c + random.range(-spread, spread))))).join(',')})`;
  const trays = [
    [40, 42, 46],
    [90, 92, 96],
    [200, 200, 196],
    [30, 50, 80],
    [215, 205, 185],
    [20, 20, 22],
  ] as const;
  switch (kind) {
    case 'tray': {
      const colour = random.pick(trays);
      const fill = ctx.createLinearGradient(0, 0, w * random.next(), h);
      fill.addColorStop(0, tone(colour, 6));
      fill.addColorStop(1, tone(colour, 14));
      ctx.fillStyle = fill;
      ctx.fillRect(0, 0, w, h);
      return;
    }
    case 'gradient': {
      const fill = ctx.createRadialGradient(w * random.next(), h * random.next(), 10, w / 2, h / 2, w);
      fill.addColorStop(0, tone(random.pick(trays), 30));
      fill.addColorStop(1, tone(random.pick(trays), 30));
      ctx.fillStyle = fill;
      ctx.fillRect(0, 0, w, h);
      return;
    }
    case 'wood': {
      // Hundreds of grain strokes cost more than the rest of the photo: a few grains, drawn once.
      const variant = random.int(0, WOOD_VARIANTS - 1);
      const key = `${variant}:${w}x${h}`;
      let wood = woodCache.get(key);
      if (!wood) {
        wood = createCanvas(w, h);
        drawWood(wood.getContext('2d'), seededRandom(seedOf('wood', variant)), w, h);
        woodCache.set(key, wood);
      }
      ctx.drawImage(wood, 0, 0);
      return;
    }
    case 'cloth': {
      const tile = createCanvas(8, 8);
      const tctx = tile.getContext('2d');
      const colour = random.pick([
        [60, 70, 110],
        [120, 40, 45],
        [70, 90, 70],
        [180, 175, 165],
      ] as const);
      tctx.fillStyle = tone(colour, 10);
      tctx.fillRect(0, 0, 8, 8);
      tctx.fillStyle = 'rgba(255,255,255,0.12)';
      tctx.fillRect(0, 0, 8, 2);
      tctx.fillRect(0, 4, 8, 1);
      tctx.fillStyle = 'rgba(0,0,0,0.15)';
      tctx.fillRect(0, 0, 2, 8);
      tctx.fillRect(5, 0, 1, 8);
      ctx.save();
      ctx.rotate(random.range(-0.3, 0.3));
      ctx.fillStyle = ctx.createPattern(tile, 'repeat')!;
      ctx.fillRect(-w, -h, 3 * w, 3 * h);
      ctx.restore();
      return;
    }
    case 'blotches': {
      // A few random colours smoothly enlarged: a patterned surface out of focus.
      const small = createCanvas(8, 6);
      const sctx = small.getContext('2d');
      const base = random.pick(trays);
      for (let y = 0; y < 6; y++) {
        for (let x = 0; x < 8; x++) {
          sctx.fillStyle = tone(base, 45);
          sctx.fillRect(x, y, 1, 1);
        }
      }
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(small, 0, 0, w, h);
      return;
    }
  }
}

const WOOD_VARIANTS = 4;
const woodCache = new Map<string, Canvas>();

function drawWood(ctx: SKRSContext2D, random: Random, w: number, h: number): void {
  const [r, g, b] = random.pick([
    [150, 105, 65],
    [190, 150, 105],
    [95, 60, 35],
  ] as const);
  ctx.fillStyle = `rgb(${r},${g},${b})`;
  ctx.fillRect(0, 0, w, h);
  ctx.lineWidth = 2;
  const period = random.range(200, 500);
  for (let line = 0; line < h / 5; line++) {
    ctx.strokeStyle = `rgba(${random.chance(0.5) ? '60,35,15' : '230,200,160'}, ${random.range(0.05, 0.25).toFixed(2)})`;
    const y0 = line * 5 + random.range(-2, 2);
    const amp = random.range(2, 10);
    ctx.beginPath();
    for (let x = 0; x <= w; x += 32) {
      const y = y0 + amp * Math.sin((2 * Math.PI * x) / period + line * 0.07);
      if (x === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
}

function drawGlare(ctx: SKRSContext2D, random: Random, corners: readonly Point[], strength: number): void {
  const [cx, cy] = [random.range(0.15, 0.85), random.range(0.15, 0.85)];
  const [x, y] = mapPoint(
    homography(
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
      corners,
    ),
    [cx, cy],
  );
  const radius = longSide(corners) * random.range(0.08, 0.3);
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(random.range(0, Math.PI));
  ctx.scale(1, random.range(0.3, 0.9));
  const glow = ctx.createRadialGradient(0, 0, 0, 0, 0, radius);
  glow.addColorStop(0, `rgba(255,255,252,${strength.toFixed(3)})`);
  glow.addColorStop(0.45, `rgba(255,255,250,${(strength * 0.7).toFixed(3)})`);
  glow.addColorStop(1, 'rgba(255,255,250,0)');
  ctx.fillStyle = glow;
  ctx.fillRect(-radius, -radius, 2 * radius, 2 * radius);
  ctx.restore();
}

/** A skin-coloured palm and fingers reaching in from one edge. */
function drawHand(ctx: SKRSContext2D, random: Random, w: number, h: number): void {
  ctx.save();
  ctx.translate(random.pick([0, w]), h * random.range(0.2, 0.8));
  ctx.rotate(random.range(-0.6, 0.6));
  ctx.fillStyle = random.pick(['#e0b896', '#c99a76', '#f0cfb2', '#a87654']);
  const palm = h * random.range(0.18, 0.3);
  ctx.beginPath();
  ctx.ellipse(0, 0, palm * 1.2, palm, 0, 0, 2 * Math.PI);
  ctx.fill();
  for (let finger = 0; finger < 4; finger++) {
    ctx.beginPath();
    ctx.ellipse(palm * 1.4, (finger - 1.5) * palm * 0.42, palm * 0.6, palm * 0.18, 0, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}

/** Uneven light: a tinted linear falloff multiplied over the frame, and a slight vignette. */
function drawLight(ctx: SKRSContext2D, random: Random, light: number, w: number, h: number): void {
  const angle = random.range(0, 2 * Math.PI);
  const [dx, dy] = [(Math.cos(angle) * w) / 2, (Math.sin(angle) * h) / 2];
  const tint = random.pick([
    [255, 250, 240],
    [255, 255, 255],
    [245, 250, 255],
    [255, 244, 225],
  ] as const);
  const dim = (k: number) => `rgb(${tint.map((c) => Math.round(c * k)).join(',')})`;
  const fall = ctx.createLinearGradient(w / 2 - dx, h / 2 - dy, w / 2 + dx, h / 2 + dy);
  fall.addColorStop(0, dim(1));
  fall.addColorStop(1, dim(1 - light));
  ctx.save();
  ctx.globalCompositeOperation = 'multiply';
  ctx.fillStyle = fall;
  ctx.fillRect(0, 0, w, h);
  const vignette = ctx.createRadialGradient(w / 2, h / 2, h * 0.45, w / 2, h / 2, w * 0.75);
  vignette.addColorStop(0, 'rgb(255,255,255)');
  vignette.addColorStop(1, dim(random.range(0.75, 0.95)));
  ctx.fillStyle = vignette;
  ctx.fillRect(0, 0, w, h);
  ctx.restore();
}

const NOISE_TILE = 512;
/** Half-normal noise at sd 64, its positive and negative halves as two tiles, made once. */
let noiseTiles: { plus: Canvas; minus: Canvas } | null = null;

/**
 * Additive gaussian noise without touching the pixels in JavaScript: the positive half is added
 * ('lighter') and the negative half subtracted ('difference') at `sd / 64` alpha, from a random
 * offset into fixed tiles.
 */
function addNoise(ctx: SKRSContext2D, random: Random, sd: number, w: number, h: number): void {
  if (sd <= 0) return;
  noiseTiles ??= makeNoiseTiles();
  const [ox, oy] = [random.int(0, NOISE_TILE - 1), random.int(0, NOISE_TILE - 1)];
  ctx.save();
  ctx.globalAlpha = Math.min(1, sd / 64);
  for (const [tile, operation] of [
    [noiseTiles.plus, 'lighter'],
    [noiseTiles.minus, 'difference'],
  ] as const) {
    ctx.globalCompositeOperation = operation;
    ctx.fillStyle = ctx.createPattern(tile, 'repeat')!;
    ctx.translate(-ox, -oy);
    ctx.fillRect(ox, oy, w, h);
    ctx.translate(ox, oy);
  }
  ctx.restore();
}

function makeNoiseTiles(): { plus: Canvas; minus: Canvas } {
  const random = seededRandom(0x6e6f6973);
  const plus = new Uint8ClampedArray(NOISE_TILE * NOISE_TILE * 4);
  const minus = new Uint8ClampedArray(NOISE_TILE * NOISE_TILE * 4);
  for (let i = 0; i < plus.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const n = random.gauss(0, 64);
      plus[i + c] = Math.max(n, 0);
      minus[i + c] = Math.max(-n, 0);
    }
    plus[i + 3] = 255;
    minus[i + 3] = 255;
  }
  const tile = (data: Uint8ClampedArray) => {
    const canvas = createCanvas(NOISE_TILE, NOISE_TILE);
    canvas.getContext('2d').putImageData(new ImageData(data, NOISE_TILE, NOISE_TILE), 0, 0);
    return canvas;
  };
  return { plus: tile(plus), minus: tile(minus) };
}

function normaliseDegrees(deg: number): number {
  const d = ((deg % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
}
