/**
 * One photograph of the card tray → the card front's three printed facts, or why not: decode, find
 * the card, make it flat (either way up), read its text, pick the fields. Every image buffer is
 * zeroed before the call returns: a card front shows a face and the facts of 照合番号B.
 */

import type { CalendarDay, CardFrontRead, PrintedBirthDate } from '@myna/card/card-front-read.js';
import { decodeImage, ImageDecodeError } from '../face/image/decode.ts';
import { type Frame, wipeFrame } from '../face/image/frame.ts';
import { lumaPlane } from '../face/image/ops.ts';
import { clearRules } from './clear-rules.ts';
import { digitShapes, readDigits } from './code-digits.ts';
import { type DateByShapes, readDateByShapes } from './date-glyphs.ts';
import { DIGIT_PROTOTYPES } from './digit-prototype-data.ts';
import { birthLineBox, codeLineBox, fieldsOnly, titleLineBox, validityLineBox } from './field-lines.ts';
import {
  CODE_ALPHABET,
  DATE_ALPHABET,
  doubtfulLines,
  type FrontField,
  type FrontTextProblem,
  fieldOfLine,
  frontClues,
  joinFragments,
  leadOfLine,
  readFrontText,
  sameValue,
  TITLE_ALPHABET,
} from './front-text.ts';
import { inkAgainst } from './ink.ts';
import { type LocateProblem, locateCard } from './locate-card.ts';
import { type GreyPlane, halfTurn, polygonArea, type Quad, warpToRect } from './perspective.ts';
import { type Box, type TextLine, type TextRecogniser, tesseractRecogniser } from './text-recogniser.ts';

/** `no-camera-frame`: the card camera gave no still (see card-front-source.ts). */
export type CardFrontProblem =
  | 'not-an-image'
  | 'no-camera-frame'
  | 'glare'
  | LocateProblem
  | FrontTextProblem;

export interface CardFrontTimings {
  decode: number;
  locate: number;
  rectify: number;
  ocr: number;
  parse: number;
  total: number;
}

export type CardFrontOutcome = (
  | { ok: true; read: CardFrontRead }
  | { ok: false; problem: CardFrontProblem }
) & {
  /** The card lay upside down (read after half a turn). */
  upsideDown: boolean;
  timings: CardFrontTimings;
};

export interface CardFrontReader {
  read(image: Uint8Array): Promise<CardFrontOutcome>;
  close(): Promise<void>;
}

/** The flat card, ID-1's 85.6 × 54 mm at about 11 px/mm: digits some 25 px high, as Tesseract likes. */
export const FLAT_WIDTH = 960;
export const FLAT_HEIGHT = 606;

/** A whole image this shape is taken for the card itself (a scan, a crop) when no card is found in it. */
const CARD_ASPECT = [1.5, 1.7] as const;

export async function cardFrontReader(recogniser?: TextRecogniser): Promise<CardFrontReader> {
  const engine = recogniser ?? (await tesseractRecogniser());
  return {
    read: (image) => readImage(engine, image),
    close: () => engine.close(),
  };
}

async function readImage(engine: TextRecogniser, image: Uint8Array): Promise<CardFrontOutcome> {
  const clock = stopwatch();
  let frame: Frame;
  try {
    frame = decodeImage(image);
  } catch (error) {
    if (!(error instanceof ImageDecodeError)) throw error;
    return { ok: false, problem: 'not-an-image', upsideDown: false, timings: clock.done() };
  }
  clock.lap('decode');
  const planes: GreyPlane[] = [];
  try {
    const quad = cardQuad(frame);
    clock.lap('locate');
    if ('problem' in quad)
      return { ok: false, problem: quad.problem, upsideDown: false, timings: clock.done() };
    const grey = lumaPlane(frame);
    planes.push(grey);
    const seen = warpToRect(grey, quad.quad, FLAT_WIDTH, FLAT_HEIGHT);
    const warped = clearRules(seen);
    planes.push(seen, warped);
    // Try first the way up the photo suggests: it is printed on the right of the front.
    const photoLeft = photoOnLeft(warped);
    const upright = photoLeft ? halfTurn(warped) : warped;
    planes.push(upright);
    let turned: GreyPlane | undefined;
    const turn = () => {
      if (!turned) {
        turned = halfTurn(upright);
        planes.push(turned);
      }
      return turned;
    };
    clock.lap('rectify');
    // The fields' lines alone first, the title among them; a photo that shows no title so is read
    // whole, as its other print tells a back or another card.
    const fieldLines: PageView = { view: fieldsOnly, front: (lines) => frontClues(lines).title };
    let page = await pageRead(engine, upright, turn, fieldLines, planes, clock);
    if (!page.front) page = await pageRead(engine, upright, turn, WHOLE, planes, clock);
    let { lines } = page;
    const upsideDown = photoLeft !== page.turned;
    const flat = page.turned ? turn() : upright;
    let text = readFrontText(lines, FLAT_WIDTH);
    clock.lap('parse');
    if (!text.ok && FIELD_UNREAD.has(text.problem)) {
      lines = await closerLines(engine, flat, lines);
      text = readFrontText(lines, FLAT_WIDTH);
      clock.lap('ocr');
    }
    // The title, which the page may read as one line with the card's edge below it, read alone.
    const titleBox = !text.ok && text.problem === 'other-card' && titleLineBox(flat);
    if (titleBox) {
      const title = await engine.line(flat, around(titleBox), TITLE_ALPHABET);
      const withTitle = title && [...lines.filter((line) => !overlapping(line.box, titleBox)), title];
      if (withTitle && frontClues(withTitle).title) {
        lines = withTitle;
        text = readFrontText(lines, FLAT_WIDTH);
      }
      clock.lap('ocr');
    }
    // A field still unread, looked for by its ink where it prints (in the order the fields are
    // read: each found may leave the next one unread).
    for (const { problem, find, alphabet, field } of BY_LAYOUT) {
      if (text.ok || text.problem !== problem) continue;
      const box = find(flat);
      if (!box) continue;
      // Only print the page saw nothing of: where it saw something, that was read closer already,
      // and a line two cuts read differently is not read again into agreement.
      const found =
        !lines.some((line) => overlapping(line.box, box)) && (await agreedLine(engine, flat, box, alphabet));
      if (found) {
        lines = [...lines, found];
        text = readFrontText(lines, FLAT_WIDTH);
      }
      // A date the engine could not make out may still be clear by its characters' shapes, which
      // see the print otherwise: what the engine made of that place goes.
      const alone = !text.ok && text.problem === problem && field && dateLineByShapes(flat, box, field);
      if (alone) {
        lines = [...lines.filter((line) => !overlapping(line.box, box)), alone];
        text = readFrontText(lines, FLAT_WIDTH);
      }
      clock.lap('ocr');
    }
    if (text.ok) text = { ...text, read: await secondReading(engine, flat, text.read, text.lines) };
    clock.lap('ocr');
    const timings = clock.done();
    if (text.ok) return { ok: true, read: text.read, upsideDown, timings };
    // Light thrown back off the card hides print the way a hand does, but wants another remedy.
    const problem = UNREAD.has(text.problem) && glared(seen) ? 'glare' : text.problem;
    return { ok: false, problem, upsideDown, timings };
  } finally {
    wipeFrame(frame);
    for (const plane of planes) plane.data.fill(0);
  }
}

function cardQuad(frame: Frame): { quad: Quad } | { problem: LocateProblem } {
  const located = locateCard(frame);
  const { width: w, height: h } = frame;
  const aspect = w / h;
  // A scan or a crop of the card has no tray around it: what was found inside is a part of the card.
  if (
    aspect >= CARD_ASPECT[0] &&
    aspect <= CARD_ASPECT[1] &&
    (!located.ok || polygonArea(located.quad) < 0.5 * w * h)
  ) {
    return {
      quad: [
        { x: 0, y: 0 },
        { x: w, y: 0 },
        { x: w, y: h },
        { x: 0, y: h },
      ],
    };
  }
  return located.ok ? { quad: located.quad } : { problem: located.problem };
}

const BY_LAYOUT: readonly {
  problem: FrontTextProblem;
  find: (flat: GreyPlane) => Box | null;
  alphabet: string;
  field: 'birth' | 'validUntil' | null;
}[] = [
  { problem: 'valid-until-unread', find: validityLineBox, alphabet: DATE_ALPHABET, field: 'validUntil' },
  { problem: 'birth-unread', find: birthLineBox, alphabet: DATE_ALPHABET, field: 'birth' },
  { problem: 'security-code-unread', find: codeLineBox, alphabet: CODE_ALPHABET, field: null },
];

const FIELD_UNREAD: ReadonlySet<FrontTextProblem> = new Set([
  'other-card',
  'birth-unread',
  'valid-until-unread',
  'security-code-unread',
]);

/**
 * Each field this sure or more stands on the first reading; below, its line is read again. Above
 * the gate's 0.9: a serif 45 read as a 35 came at 0.90, and its second reading said otherwise.
 */
const SURE = 0.95;

const ALPHABETS: Record<FrontField, string> = {
  birth: DATE_ALPHABET,
  validUntil: DATE_ALPHABET,
  securityCode: CODE_ALPHABET,
};

/**
 * The lines with each doubtful one read again on its own, with only its field's characters allowed:
 * the whole printed line along the ink (the engine's pieces of a line do not always join), once.
 */
async function closerLines(engine: TextRecogniser, flat: GreyPlane, lines: TextLine[]): Promise<TextLine[]> {
  const doubtful = doubtfulLines(lines, FLAT_WIDTH);
  const kept = joinFragments(lines).filter((line) => !doubtful.some((d) => d.line === line));
  const done: TextLine['box'][] = [];
  for (const { line, alphabet } of doubtful) {
    const box = alongInk(flat, line.box);
    if (done.some((b) => overlapping(b, box))) continue;
    done.push(box);
    kept.push((await agreedLine(engine, flat, box, alphabet)) ?? line);
  }
  return kept;
}

/**
 * A line the page's reading could not make out, read closer twice, cut with a narrow and a wide
 * margin: the engine, given only digits, turns what it cannot see into some digit with confidence
 * (「34095」 on the page became 「3095」), so a rescued line counts only if both cuts read it alike,
 * or, for the code, one cut reads it as its digits' shapes clearly do.
 */
async function agreedLine(
  engine: TextRecogniser,
  flat: GreyPlane,
  box: TextLine['box'],
  alphabet: string,
): Promise<TextLine | null> {
  const read = await engine.line(flat, around(box), alphabet);
  if (!read) return null;
  // The line's own box, not the cut's: a later closer look adds its own margin.
  const first = { ...read, box };
  const second = await engine.line(flat, around(box, 0.8), alphabet);
  if (second?.text !== first.text) {
    // The code's digits' shapes may say which cut was right (「419」 and 「5419」 for 5419).
    const settled =
      alphabet === CODE_ALPHABET &&
      [first, second].find(
        (cut) => cut && fieldOfLine('securityCode', cut) && codeShapes(flat, box, cut.text) === 'alike',
      );
    if (settled) {
      const line = {
        ...settled,
        box,
        symbols: settled.symbols.map((s) => ({ ...s, confidence: together(s.confidence, SHAPES_ALIKE) })),
      };
      settledByShapes.add(line);
      return line;
    }
    const doubted = { ...first, symbols: first.symbols.map((s) => ({ ...s, confidence: 0 })) };
    disputed.set(doubted, { first, second });
    return doubted;
  }
  const symbols =
    second.symbols.length === first.symbols.length
      ? first.symbols.map((s, i) => ({
          ...s,
          confidence: together(s.confidence, second.symbols[i]!.confidence),
        }))
      : first.symbols;
  const agreed = { ...first, symbols };
  readTwice.add(agreed);
  return agreed;
}

/**
 * Lines two cuts already read alike, their confidences joined: a field on one is not read a third
 * time, since that cut would be the second's again and count the same evidence twice.
 */
const readTwice = new WeakSet<TextLine>();

/** Code lines two cuts read differently, one of them as the digits' shapes read it: read twice already. */
const settledByShapes = new WeakSet<TextLine>();

/**
 * Lines two cuts read differently (counted at confidence 0), with both cuts as read: the engine's
 * second cut of a line often drops a digit (「令和5年11月25日生」 as 「令和5年月25日生」), and what
 * else the card shows may still settle that the first was right (see secondReading).
 */
const disputed = new WeakMap<TextLine, { first: TextLine; second: TextLine | null }>();

/**
 * A piece of a line widened to the whole printed line: along the piece's rows, left and right as
 * far as ink goes on with no gap wider than two characters.
 */
function alongInk(flat: GreyPlane, box: TextLine['box']): TextLine['box'] {
  const y0 = Math.max(0, Math.floor(box.y0));
  const y1 = Math.min(flat.height, Math.ceil(box.y1));
  const height = Math.max(1, y1 - y0);
  const ink = inkAgainst(flat, { x0: 0, y0, x1: flat.width, y1 });
  const inked = (x: number) => {
    for (let y = y0; y < y1; y++) if (ink(x, y)) return true;
    return false;
  };
  const reach = 2 * height;
  const widen = (from: number, step: -1 | 1) => {
    let last = from;
    for (let x = from, blank = 0; x >= 0 && x < flat.width && blank <= reach; x += step) {
      if (inked(x)) {
        last = x;
        blank = 0;
      } else blank++;
    }
    return last;
  };
  return {
    x0: Math.min(box.x0, widen(Math.max(0, Math.floor(box.x0)), -1)),
    y0: box.y0,
    x1: Math.max(box.x1, widen(Math.min(flat.width - 1, Math.ceil(box.x1) - 1), 1) + 1),
    y1: box.y1,
  };
}

function overlapping(a: TextLine['box'], b: TextLine['box']): boolean {
  const across = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const down = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return across > 0 && down > 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0);
}

/**
 * Every field is read again by its characters' shapes, a clear other value refusing it whatever
 * the engine said; a field the shapes leave unsure and read unsure (the code always) is read
 * again by the engine from its line alone. Two readings that agree make the field surer than
 * either; two that differ leave it at confidence 0, which the gate refuses, unless a date's
 * differ only past its year and its month and day are the other date's (see confirmedInPart). A
 * line two cuts read differently stands on its first cut only where that is settled the same
 * ways; a date read by its shapes alone, only where the other date confirms it (see byBirthday).
 */
async function secondReading(
  engine: TextRecogniser,
  flat: GreyPlane,
  read: CardFrontRead,
  lines: Record<FrontField, TextLine>,
): Promise<CardFrontRead> {
  const confidence = { ...read.confidence };
  let { securityCode } = read;
  // Dates whose second reading differed, settled last: against the other date as finally read.
  const differing: { field: 'birth' | 'validUntil'; first: number; second: TextLine }[] = [];
  const alone: ('birth' | 'validUntil')[] = [];
  for (const field of ['birth', 'validUntil', 'securityCode'] as const) {
    const shapes = (box: Box) =>
      field === 'securityCode'
        ? codeShapes(flat, box, read.securityCode)
        : dateShapes(flat, box, read[field]);
    if (settledByShapes.has(lines[field])) continue;
    if (field !== 'securityCode' && byShapesAlone.has(lines[field])) {
      alone.push(field);
      continue;
    }
    const cuts = disputed.get(lines[field]);
    if (cuts) {
      confidence[field] = 0;
      const first = fieldOfLine(field, cuts.first);
      if (!first || !sameValue(first.value, read[field])) continue;
      if (shapes(cuts.first.box) === 'alike') confidence[field] = together(first.confidence, SHAPES_ALIKE);
      else if (field !== 'securityCode' && cuts.second)
        differing.push({ field, first: first.confidence, second: cuts.second });
      continue;
    }
    const seen = shapes(lines[field].box);
    if (seen === 'other' && field === 'securityCode') {
      // The page often misreads the code's first digit (「3880」 for 4880): where the shapes
      // clearly read another number, a closer look that reads that number too makes its two readings.
      const own = await codeSeenAgain(engine, flat, lines[field].box, read.securityCode.length);
      if (own) securityCode = own.code;
      confidence[field] = own?.confidence ?? 0;
      continue;
    }
    if (seen !== 'unsure') {
      confidence[field] = seen === 'alike' ? together(confidence[field], SHAPES_ALIKE) : 0;
      continue;
    }
    // The dates check each other and the calendar; nothing checks the code's digits but a second look.
    if (confidence[field] >= SURE && field !== 'securityCode') continue;
    // Zero: two closer readings already disagreed on this line; nothing can make it sure now.
    if (confidence[field] === 0 || readTwice.has(lines[field])) continue;
    const again = await engine.line(flat, around(lines[field].box, 0.8), ALPHABETS[field]);
    const reread = again && fieldOfLine(field, again);
    if (reread && sameValue(reread.value, read[field])) {
      confidence[field] = together(confidence[field], reread.confidence);
      continue;
    }
    if (again && field !== 'securityCode') differing.push({ field, first: confidence[field], second: again });
    confidence[field] = 0;
  }
  for (const { field, first, second } of differing)
    confidence[field] = confirmedInPart(field, read, { ...confidence, [field]: first }, second) ?? 0;
  for (const field of alone) confidence[field] = byBirthday(field, read, confidence) ?? 0;
  return { ...read, securityCode, confidence };
}

/**
 * The code as its `count` digits' shapes clearly read it, when the engine's closer look at its line
 * reads the same (the page's reading said otherwise): its confidence is theirs together. Else null.
 */
async function codeSeenAgain(
  engine: TextRecogniser,
  flat: GreyPlane,
  box: Box,
  count: number,
): Promise<{ code: string; confidence: number } | null> {
  const own = codeByShapes(flat, box, count);
  const again = own && (await engine.line(flat, around(box, 0.8), CODE_ALPHABET));
  const reread = again && fieldOfLine('securityCode', again);
  if (!reread || reread.value !== own) return null;
  return { code: own, confidence: together(reread.confidence, SHAPES_ALIKE) };
}

/**
 * A date read by its characters' shapes alone (the engine made nothing of its line) stands when
 * the other date, read sure by two readings, confirms its month and day (see byTheOtherDate). Its
 * confidence then, else null.
 */
function byBirthday(
  field: 'birth' | 'validUntil',
  read: CardFrontRead,
  confidence: CardFrontRead['confidence'],
): number | null {
  if (!byTheOtherDate(field, read, confidence)) return null;
  return Math.min(confidence[otherDate(field)], SHAPES_ALIKE);
}

/**
 * A date whose second reading agrees up to its year (a birth date's era and year, the validity's
 * year) where it drops or misreads a digit further on (「令和5年11月25日生」 read 「令和5年月25日生」),
 * when the other date confirms its month and day (see byTheOtherDate). Its confidence then, else
 * null.
 */
function confirmedInPart(
  field: 'birth' | 'validUntil',
  read: CardFrontRead,
  confidence: CardFrontRead['confidence'],
  again: TextLine,
): number | null {
  if (!byTheOtherDate(field, read, confidence)) return null;
  const lead = leadOfLine(field, again);
  const year = read[field].year;
  const expected = field === 'birth' ? eraYear(read.birth.era, year) : String(year);
  if (lead?.text !== expected) return null;
  return Math.min(confidence[otherDate(field)], together(confidence[field], lead.confidence));
}

/**
 * Whether the other date, read sure, has this date's month and day: a card of a Japanese
 * national (an era birth date) is valid until a birthday.
 */
function byTheOtherDate(
  field: 'birth' | 'validUntil',
  read: CardFrontRead,
  confidence: CardFrontRead['confidence'],
): boolean {
  const other = otherDate(field);
  return (
    read.birth.era !== null &&
    confidence[other] >= SURE &&
    read[field].month === read[other].month &&
    read[field].day === read[other].day
  );
}

function otherDate(field: 'birth' | 'validUntil'): 'birth' | 'validUntil' {
  return field === 'birth' ? 'validUntil' : 'birth';
}

/** A year as printed: 「令和元」, 「平成15」, or Gregorian 「2035」. */
function eraYear(era: PrintedBirthDate['era'], year: number): string {
  return era === null ? String(year) : `${era}${year === 1 ? '元' : year}`;
}

/**
 * Every digit's shape nearer its own prototypes than any other digit's by this share: over 95
 * bench fronts no misread digit of the code was clearer than 0.09.
 */
const DIGITS_CLEAR = 0.2;
/** What a clear reading by the shapes counts for, as a reading's confidence. */
const SHAPES_ALIKE = 0.9;

/**
 * What the shapes of the code's digits say of the engine's reading of it: the same digits,
 * clearly; another number, clearly; or nothing clear (ink that would not cut into four digits, a
 * digit near two prototypes).
 */
function codeShapes(flat: GreyPlane, box: TextLine['box'], code: string): 'alike' | 'other' | 'unsure' {
  const own = codeByShapes(flat, box, code.length);
  if (own === null) return 'unsure';
  return own === code ? 'alike' : 'other';
}

/** The code's `count` digits as their shapes read them, or null where any is not clear. */
function codeByShapes(flat: GreyPlane, box: TextLine['box'], count: number): string | null {
  const shapes = digitShapes(flat, box, count);
  const reading = shapes && readDigits(shapes, DIGIT_PROTOTYPES);
  return reading?.confidence.every((c) => c >= DIGITS_CLEAR) ? reading.text : null;
}

/**
 * What the shapes of a date's characters say of the engine's reading of it (see codeShapes). The
 * line is widened along its ink first: the engine's box may hold a piece of it.
 */
function dateShapes(
  flat: GreyPlane,
  box: Box,
  date: CalendarDay | PrintedBirthDate,
): 'alike' | 'other' | 'unsure' {
  const era = 'era' in date ? date.era : null;
  const reading = readDateByShapes(flat, alongInk(flat, box), era === null ? 'gregorian' : 'era');
  if (!reading || reading.confidence < DIGITS_CLEAR) return 'unsure';
  const same =
    reading.era === era &&
    reading.year === date.year &&
    reading.month === date.month &&
    reading.day === date.day;
  return same ? 'alike' : 'other';
}

/**
 * A date line the engine made nothing of, read by its characters' shapes, as a line of the
 * printed date with the shapes' confidence (see byBirthday), or null where they are unsure.
 */
function dateLineByShapes(flat: GreyPlane, box: Box, field: 'birth' | 'validUntil'): TextLine | null {
  const forms = field === 'birth' ? (['era', 'gregorian'] as const) : (['gregorian'] as const);
  for (const form of forms) {
    const reading = readDateByShapes(flat, box, form);
    if (!reading || reading.confidence < DIGITS_CLEAR) continue;
    const text = printedDate(reading, field);
    const line = {
      text,
      box,
      symbols: [...text].map((ch) => ({ text: ch, confidence: SHAPES_ALIKE })),
    };
    byShapesAlone.add(line);
    return line;
  }
  return null;
}

/** 「令和元年5月6日生」, 「2035年3月17日まで有効」 */
function printedDate(date: DateByShapes, field: 'birth' | 'validUntil'): string {
  return `${eraYear(date.era, date.year)}年${date.month}月${date.day}日${field === 'birth' ? '生' : 'まで有効'}`;
}

/** Date lines read by their characters' shapes alone. */
const byShapesAlone = new WeakSet<TextLine>();

/**
 * Two readings that agree, made differently (the page's layout, the line alone with only its
 * characters): each one's doubt is that it is wrong, and both wrong alike is the two doubts
 * together. Over 1,100 bench photos no field read alike twice was wrong, down to 0.5 each.
 */
function together(a: number, b: number): number {
  return Math.round((1 - (1 - a) * (1 - b)) * 100) / 100;
}

/** A line's box with a margin (a share of its height): the engine reads a line cut tight to its ink poorly. */
function around(box: TextLine['box'], share = 0.4): TextLine['box'] {
  const margin = (box.y1 - box.y0) * share;
  return { x0: box.x0 - margin, y0: box.y0 - margin, x1: box.x1 + margin, y1: box.y1 + margin };
}

const UNREAD: ReadonlySet<FrontTextProblem> = new Set([
  'no-text',
  'other-card',
  'birth-unread',
  'valid-until-unread',
  'security-code-unread',
]);

/** Share of the card burnt out to white (a reflection) above which glare is the likelier reason. */
const GLARE_SHARE = 0.03;

function glared(flat: GreyPlane): boolean {
  let white = 0;
  for (const v of flat.data) if (v >= 252) white += 1;
  return white > GLARE_SHARE * flat.data.length;
}

/** The photo is the largest dark area of a front: the side whose outer third is darker holds it. */
function photoOnLeft(flat: GreyPlane): boolean {
  const third = Math.floor(flat.width / 3);
  let left = 0;
  let right = 0;
  for (let y = Math.floor(flat.height * 0.25); y < Math.floor(flat.height * 0.9); y++) {
    const row = y * flat.width;
    for (let x = 0; x < third; x++) {
      left += flat.data[row + x]!;
      right += flat.data[row + flat.width - 1 - x]!;
    }
  }
  return left < right;
}

/** How the page is shown to the engine, and what of its reading shows a front. */
interface PageView {
  view: (flat: GreyPlane) => GreyPlane;
  front: (lines: TextLine[]) => boolean;
}

const WHOLE: PageView = { view: (flat) => flat, front: (lines) => lineScore(lines) > 0 };

/**
 * The page's lines the way up the photo suggests, or the other way up where this one shows nothing
 * of a front and the other shows more.
 */
async function pageRead(
  engine: TextRecogniser,
  upright: GreyPlane,
  turn: () => GreyPlane,
  { view, front }: PageView,
  planes: GreyPlane[],
  clock: ReturnType<typeof stopwatch>,
): Promise<{ lines: TextLine[]; turned: boolean; front: boolean }> {
  const read = async (flat: GreyPlane) => {
    const seen = view(flat);
    if (seen !== flat) planes.push(seen);
    clock.lap('rectify');
    const lines = await engine.lines(seen);
    clock.lap('ocr');
    return lines;
  };
  const lines = await read(upright);
  if (front(lines)) return { lines, turned: false, front: true };
  const turnedLines = await read(turn());
  return lineScore(turnedLines) > lineScore(lines)
    ? { lines: turnedLines, turned: true, front: front(turnedLines) }
    : { lines, turned: false, front: false };
}

/**
 * How many clues of a card's side (a front's, or a back's number) the lines show: the way up that
 * shows more is the card's. Where neither way shows any, the photo's side stands: what the engine
 * reads confidently of print upside down is no guide.
 */
function lineScore(lines: TextLine[]): number {
  const clues = frontClues(lines);
  return Number(clues.title) + Number(clues.birth) + Number(clues.validUntil) + Number(clues.back);
}

function stopwatch() {
  const start = performance.now();
  let last = start;
  const timings: CardFrontTimings = { decode: 0, locate: 0, rectify: 0, ocr: 0, parse: 0, total: 0 };
  return {
    lap(stage: Exclude<keyof CardFrontTimings, 'total'>) {
      const now = performance.now();
      timings[stage] += now - last;
      last = now;
    },
    done(): CardFrontTimings {
      timings.total = performance.now() - start;
      return { ...timings };
    },
  };
}
