/**
 * Sets of synthetic card photos with their truth, for building and measuring the kiosk's
 * card-front reader: mostly fronts of the current card, a share of hard photos, next-generation
 * fronts, and hard negatives (the card's back, another card, an empty tray). Every holder, number
 * and date is invented, so the truth files may carry 照合番号B. Item `i` of a seed depends on
 * nothing else: the same seed gives the same bytes, in any order or part of the set.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrintedBirthDate } from '@myna/card/card-front-read.js';
import { verificationNumberB } from '@myna/card/verification-number.js';
import {
  birthText,
  type CardFrontSpec,
  type CardHolder,
  type CardLayout,
  cardFrontSpecOf,
  randomCardFrontSpec,
  validityText,
} from './card-front-spec.ts';
import type { Point } from './homography.ts';
import {
  type Background,
  CAMERAS,
  type CameraSize,
  type Difficulty,
  encodeJpeg,
  type Photo,
  type PhotoConditions,
  photograph,
  randomConditions,
} from './photograph.ts';
import { seededRandom, seedOf } from './random.ts';
import { renderCardFront } from './render-card-front.ts';
import { renderCardBack, renderOtherCard } from './render-negatives.ts';

export type PhotoKind = 'front' | 'back' | 'other-card' | 'no-card';

export interface CardFrontTruth {
  readonly kind: PhotoKind;
  /** Fronts only; null for the negatives. */
  readonly layout: CardLayout | null;
  readonly birthPrinted: PrintedBirthDate | null;
  /** YYYY-MM-DD */
  readonly birthDate: string | null;
  /** YYYY-MM-DD */
  readonly validUntil: string | null;
  readonly securityCode: string | null;
  /** 照合番号B of a current-layout front; null elsewhere (the next-gen card's form is unconfirmed). */
  readonly numberB: string | null;
  /** The two date lines exactly as printed (padding spaces included). */
  readonly printed: { readonly birth: string; readonly validUntil: string } | null;
  /** The card's corners in the photo: its printed top-left, top-right, bottom-right, bottom-left. */
  readonly corners: readonly Point[] | null;
  readonly conditions: TruthConditions;
}

export interface TruthConditions {
  readonly difficulty: Difficulty;
  readonly camera: CameraSize;
  /** Null where there is no card. */
  readonly rotationDeg: number | null;
  readonly upsideDown: boolean | null;
  readonly scale: number | null;
  readonly perspective: number | null;
  readonly blur: number;
  readonly noise: number;
  readonly glare: number;
  readonly light: number;
  readonly jpegQuality: number;
  readonly background: Background;
  readonly font: CardFrontSpec['font'] | null;
}

export interface CardFrontSample {
  /** NNNN, the item's index in its set. */
  readonly id: string;
  readonly jpeg: Buffer;
  readonly truth: CardFrontTruth;
}

export interface CardFrontSetOptions {
  readonly count: number;
  readonly seed?: number | string;
  /** YYYY-MM-DD: every card is valid on this day. */
  readonly today: string;
  /** Share of hard negatives, 0..1 (default 0.15), spread evenly through the set. */
  readonly negatives?: number;
  /** Share of hard photos among the rest, 0..1 (default 0.2). */
  readonly hardShare?: number;
  /** Share of next-generation fronts among the fronts, 0..1 (default 0.05). */
  readonly nextGenShare?: number;
  /** Camera sizes, one picked per photo (default 1280×960). */
  readonly cameras?: readonly CameraSize[];
}

const NEGATIVE_KINDS = ['back', 'other-card', 'no-card'] as const;

/** The photos of a set in order; each JPEG is compressed on a worker thread while the next is drawn. */
export async function* generateCardFrontSet(options: CardFrontSetOptions): AsyncGenerator<CardFrontSample> {
  let pending: Promise<CardFrontSample> | null = null;
  for (let index = 0; index < options.count; index++) {
    const { photo, truth } = drawSample(index, options);
    const next = encodeJpeg(photo, truth.conditions.jpegQuality).then((jpeg) => ({
      id: sampleId(index),
      jpeg,
      truth,
    }));
    // Awaited below or on the next turn; this keeps a failure meanwhile from counting as unhandled.
    next.catch(() => {});
    if (pending) yield await pending;
    pending = next;
  }
  if (pending) yield await pending;
}

/** Writes NNNN.jpg and NNNN.json for each photo of the set into `dir` (created if missing). */
export async function writeCardFrontSet(
  dir: string,
  options: CardFrontSetOptions,
): Promise<{ dir: string; count: number; kinds: Record<PhotoKind, number> }> {
  await mkdir(dir, { recursive: true });
  const kinds: Record<PhotoKind, number> = { front: 0, back: 0, 'other-card': 0, 'no-card': 0 };
  for await (const sample of generateCardFrontSet(options)) {
    await writeFile(join(dir, `${sample.id}.jpg`), sample.jpeg);
    await writeFile(join(dir, `${sample.id}.json`), `${JSON.stringify(sample.truth, null, 2)}\n`);
    kinds[sample.truth.kind]++;
  }
  return { dir, count: options.count, kinds };
}

export interface CardFrontPhotoOptions {
  readonly seed?: number | string;
  readonly camera?: CameraSize;
  /** Default `clean`: upright, well lit, sharp. */
  readonly difficulty?: Difficulty;
  readonly layout?: CardLayout;
}

/** One photo of a given holder's card (a test person), as printed from the person's own data. */
export async function cardFrontPhoto(
  holder: CardHolder,
  options: CardFrontPhotoOptions = {},
): Promise<{ jpeg: Buffer; truth: CardFrontTruth }> {
  const random = seededRandom(seedOf('holder', options.seed ?? 0, holder.name, holder.birthDate));
  const spec = cardFrontSpecOf(holder, random, options.layout);
  const conditions = randomConditions(random, options.difficulty ?? 'clean', options.camera);
  const photo = photograph(renderCardFront(spec), conditions);
  return {
    jpeg: await encodeJpeg(photo, conditions.jpegQuality),
    truth: frontTruth(spec, photo, conditions),
  };
}

function sampleId(index: number): string {
  return String(index).padStart(4, '0');
}

function drawSample(index: number, options: CardFrontSetOptions): { photo: Photo; truth: CardFrontTruth } {
  const random = seededRandom(seedOf('card-front-set', options.seed ?? 0, index));
  const negatives = options.negatives ?? 0.15;
  // Item i is a negative when the running count of negatives steps up there: exactly the share, evenly spread.
  const negative = Math.floor((index + 1) * negatives) > Math.floor(index * negatives);
  const difficulty: Difficulty = random.chance(options.hardShare ?? 0.2) ? 'hard' : 'normal';
  const camera = random.pick(options.cameras ?? [CAMERAS['1280x960']]);
  const layout: CardLayout = random.chance(options.nextGenShare ?? 0.05) ? 'next-gen' : 'current';
  const spec = randomCardFrontSpec(random, options.today, negative ? 'current' : layout);
  const conditions = randomConditions(random, difficulty, camera);
  if (!negative) {
    const photo = photograph(renderCardFront(spec), conditions);
    return { photo, truth: frontTruth(spec, photo, conditions) };
  }
  const kind = random.pick(NEGATIVE_KINDS);
  if (kind === 'no-card') {
    const photo = photograph(null, { ...conditions, hand: random.chance(0.5) });
    return { photo, truth: negativeTruth(kind, photo, conditions, null) };
  }
  const card = kind === 'back' ? renderCardBack(spec, random) : renderOtherCard(spec, random);
  const photo = photograph(card, conditions);
  return { photo, truth: negativeTruth(kind, photo, conditions, spec) };
}

function frontTruth(spec: CardFrontSpec, photo: Photo, conditions: PhotoConditions): CardFrontTruth {
  return {
    kind: 'front',
    layout: spec.layout,
    birthPrinted: spec.birth,
    birthDate: spec.birthDate,
    validUntil: spec.validUntil,
    securityCode: spec.securityCode,
    numberB:
      spec.layout === 'current'
        ? verificationNumberB(spec.birthDate, spec.validUntil, spec.securityCode)
        : null,
    printed: { birth: birthText(spec), validUntil: validityText(spec) },
    corners: truthCorners(photo),
    conditions: truthConditions(photo, conditions, spec),
  };
}

function negativeTruth(
  kind: PhotoKind,
  photo: Photo,
  conditions: PhotoConditions,
  spec: CardFrontSpec | null,
): CardFrontTruth {
  return {
    kind,
    layout: null,
    birthPrinted: null,
    birthDate: null,
    validUntil: null,
    securityCode: null,
    numberB: null,
    printed: null,
    corners: truthCorners(photo),
    conditions: truthConditions(photo, conditions, spec),
  };
}

function truthConditions(photo: Photo, c: PhotoConditions, spec: CardFrontSpec | null): TruthConditions {
  const card = photo.corners !== null;
  return {
    difficulty: c.difficulty,
    camera: c.camera,
    rotationDeg: card ? round(c.rotationDeg, 2) : null,
    upsideDown: card ? c.upsideDown : null,
    scale: photo.scale === null ? null : round(photo.scale, 3),
    perspective: card ? round(c.perspective, 3) : null,
    // Blur and glare fall on the card only.
    blur: card ? round(c.blur, 2) : 0,
    noise: round(c.noise, 2),
    glare: card ? round(c.glare, 2) : 0,
    light: round(c.light, 2),
    jpegQuality: c.jpegQuality,
    background: c.background,
    font: card && spec ? spec.font : null,
  };
}

function truthCorners(photo: Photo): Point[] | null {
  return photo.corners?.map(([x, y]) => [round(x, 2), round(y, 2)] as const) ?? null;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
