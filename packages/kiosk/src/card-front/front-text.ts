/**
 * From the text lines of a flat card front to the three printed facts 照合番号B is made of, each with
 * how sure the engine was of it, or why the image is not a readable card front. Pure. Nothing here
 * keeps what else the card says (name, address; on the back, the My Number): only the three fields
 * leave this function.
 */
import type { CalendarDay, CardFrontRead, PrintedBirthDate } from '@myna/card/card-front-read.js';
import type { EraName } from '@myna/card/verification-number.js';
import type { TextLine } from './text-recogniser.ts';

export type FrontTextProblem =
  | 'no-text'
  | 'card-back'
  | 'other-card'
  | 'birth-unread'
  | 'valid-until-unread'
  | 'security-code-unread'
  | 'security-code-ambiguous';

export type FrontField = 'birth' | 'validUntil' | 'securityCode';

export type FrontText =
  | {
      ok: true;
      read: CardFrontRead;
      /** The line each field was read from, for a closer second reading. */
      lines: Record<FrontField, TextLine>;
    }
  | { ok: false; problem: FrontTextProblem };

/**
 * How much of the card the text lines show: enough to tell a front at all, and which way up a
 * card reads (a back shows its number only the right way up).
 */
export interface FrontClues {
  title: boolean;
  birth: boolean;
  validUntil: boolean;
  back: boolean;
}

/** Characters as read, with what the engine is sure of each; full-width digits made ASCII. */
interface Reading {
  text: string;
  confidence: number[];

  centreX: number;
  line: TextLine;
}

/**
 * The current card's title 個人番号カード, the next generation's マイナンバーカード, printed large:
 * 「カード」 (its bar read as any dash) and most of the words before it. Another card's カード (a
 * health insurance card, a point card) is not preceded by these.
 */
const CARD_WORD = /カ[ー一ｰ\-―－]ド/g;
const TITLE_WORDS = ['個人番号', 'マイナンバー'];

function hasTitle(text: string): boolean {
  for (const m of text.matchAll(CARD_WORD)) {
    for (const word of TITLE_WORDS) {
      const before = text.slice(Math.max(0, m.index - word.length), m.index).padStart(word.length, ' ');
      const alike = [...word].filter((ch, i) => before[i] === ch).length;
      if (alike >= word.length - 1) return true;
    }
  }
  return false;
}
/**
 * 年・月・日 themselves may be misread (a box line beside 日 reads 晶; serif 年 reads 人年): any one
 * or two non-digits separate the numbers, but not a Latin letter (a digit read as 「S」 or 「O」 is
 * no separator); only the era and the digits count towards the field's confidence.
 */
const BIRTH_ERA = /(大正|昭和|平成|令和)(元|\d{1,2})[^\dA-Z]{1,2}(\d{1,2})[^\dA-Z]{1,2}(\d{1,2})\D?/i;
const BIRTH_GREGORIAN = /(\d{4})[^\dA-Z]{1,2}(\d{1,2})[^\dA-Z]{1,2}(\d{1,2})\D{1,2}生/i;
const VALID_UNTIL = /(\d{4})[^\dA-Z]{1,2}(\d{1,2})[^\dA-Z]{1,2}(\d{1,2})\D{1,2}(?:まで|ま.|.で)/i;
const SECURITY_CODE = /^\d{4}$/;
/**
 * The back: the twelve digits of the My Number (printed in groups of four), which no front shows.
 * A driving licence's twelve-digit number is printed 「第…号」: that is another card, not a back.
 */
const BACK = /(?:^|[^\d第])\d{12}(?:[^\d号]|$)/;

export function frontClues(lines: readonly TextLine[]): FrontClues {
  const texts = joinFragments(lines).map((line) => normalise(line).text);
  return {
    title: texts.some(hasTitle),
    birth: texts.some((t) => BIRTH_ERA.test(t) || BIRTH_GREGORIAN.test(t)),
    validUntil: texts.some((t) => VALID_UNTIL.test(t)),
    back: texts.some((t) => BACK.test(t)),
  };
}

/** Every character a date line of the front may hold. */
export const DATE_ALPHABET = '0123456789年月日生まで有効大正昭和平成令元';

const DATE_WORDS = /[年月日生]|まで|有効/;

/** Every character the security code may hold. */
export const CODE_ALPHABET = '0123456789';

/** Every character of the two cards' titles. */
export const TITLE_ALPHABET = '個人番号カードマイナンバ';

/** At least this many of a title's characters, in a line that is not one: worth a closer reading. */
const TITLE_LIKE = 2;

/**
 * Lines that may be one of the fields, or the title, but did not read as one, each with the
 * characters a second, closer reading may allow: a line with some of the title's characters; on
 * the right half, a short line of mostly digits (the code under the photo); else any line with a
 * digit or a date word (a piece of a date line).
 */
export function doubtfulLines(
  lines: readonly TextLine[],
  width: number,
): { line: TextLine; alphabet: string }[] {
  const doubtful: { line: TextLine; alphabet: string }[] = [];
  for (const reading of joinFragments(lines).map(normalise)) {
    const { text } = reading;
    if (
      BIRTH_ERA.test(text) ||
      BIRTH_GREGORIAN.test(text) ||
      VALID_UNTIL.test(text) ||
      SECURITY_CODE.test(text)
    )
      continue;
    if (!hasTitle(text) && [...text].filter((ch) => TITLE_ALPHABET.includes(ch)).length >= TITLE_LIKE) {
      doubtful.push({ line: reading.line, alphabet: TITLE_ALPHABET });
      continue;
    }
    const digits = text.replace(/\D/g, '').length;
    if (reading.centreX > width / 2 && text.length <= 6 && digits >= 2) {
      doubtful.push({ line: reading.line, alphabet: CODE_ALPHABET });
    } else if (digits > 0 || DATE_WORDS.test(text)) {
      doubtful.push({ line: reading.line, alphabet: DATE_ALPHABET });
    }
  }
  return doubtful;
}

/** `width` is the flat card's width in pixels: the security code is printed on its right, under the photo. */
export function readFrontText(lines: readonly TextLine[], width: number): FrontText {
  const readings = joinFragments(lines)
    .map(normalise)
    .filter((r) => r.text !== '');
  if (readings.length === 0) return { ok: false, problem: 'no-text' };
  if (readings.some((r) => BACK.test(r.text))) return { ok: false, problem: 'card-back' };
  if (!readings.some((r) => hasTitle(r.text))) return { ok: false, problem: 'other-card' };
  const validUntil = findValidUntil(readings);
  if (!validUntil) return { ok: false, problem: 'valid-until-unread' };
  const birth = findBirth(readings);
  if (!birth) return { ok: false, problem: 'birth-unread' };
  const code = findSecurityCode(readings, width);
  if ('problem' in code) return { ok: false, problem: code.problem };
  return {
    ok: true,
    read: {
      birth: birth.value,
      validUntil: validUntil.value,
      securityCode: code.value,
      confidence: {
        birth: birth.confidence,
        validUntil: validUntil.confidence,
        securityCode: code.confidence,
      },
    },
    lines: { birth: birth.line, validUntil: validUntil.line, securityCode: code.line },
  };
}

/**
 * One field read again from its line alone: the same value, and how sure the engine was this
 * time, or null when the line does not read as that field.
 */
export function fieldOfLine(
  field: FrontField,
  line: TextLine,
): { value: CalendarDay | PrintedBirthDate | string; confidence: number } | null {
  const reading = normalise(line);
  if (field === 'securityCode') {
    return SECURITY_CODE.test(reading.text)
      ? { value: reading.text, confidence: factConfidence(reading, 0, reading.text.length) }
      : null;
  }
  return (field === 'birth' ? findBirth : findValidUntil)([reading]);
}

/**
 * The part of a date line before its month, which a second reading may show right where it drops
 * a digit further on: a birth date's era and year (「令和5」), the validity's year (「2028」).
 */
export function leadOfLine(
  field: 'birth' | 'validUntil',
  line: TextLine,
): { text: string; confidence: number } | null {
  const reading = normalise(line);
  const m = (field === 'birth' ? BIRTH_LEAD : VALID_LEAD).exec(reading.text);
  return m ? { text: m[0], confidence: spanConfidence(reading, m) } : null;
}

const BIRTH_LEAD = /(?:大正|昭和|平成|令和)(?:元|\d{1,2})(?!\d)/;
const VALID_LEAD = /(?<!\d)\d{4}(?!\d)/;

/** Whether two reads of a field say the same. */
export function sameValue(
  a: CalendarDay | PrintedBirthDate | string,
  b: CalendarDay | PrintedBirthDate | string,
): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Pieces of one printed line, as the engine returns them where a wide space (「昭和58年　2月」)
 * splits a line, joined left to right: pieces that share most of their height and stand closer
 * than a few characters' width.
 */
export function joinFragments(lines: readonly TextLine[]): TextLine[] {
  const pieces = [...lines].sort((a, b) => a.box.x0 - b.box.x0);
  const joined: TextLine[] = [];
  for (const piece of pieces) {
    const height = piece.box.y1 - piece.box.y0;
    const line = joined.find((l) => {
      const overlap = Math.min(l.box.y1, piece.box.y1) - Math.max(l.box.y0, piece.box.y0);
      const shorter = Math.min(height, l.box.y1 - l.box.y0);
      const gap = piece.box.x0 - l.box.x1;
      return overlap >= 0.5 * shorter && gap <= 3 * Math.max(height, l.box.y1 - l.box.y0);
    });
    if (!line) {
      joined.push(piece);
      continue;
    }
    joined[joined.indexOf(line)] = {
      text: line.text + piece.text,
      symbols: [...line.symbols, ...piece.symbols],
      box: {
        x0: Math.min(line.box.x0, piece.box.x0),
        y0: Math.min(line.box.y0, piece.box.y0),
        x1: Math.max(line.box.x1, piece.box.x1),
        y1: Math.max(line.box.y1, piece.box.y1),
      },
    };
  }
  return joined.sort((a, b) => a.box.y0 - b.box.y0);
}

function normalise(line: TextLine): Reading {
  let text = '';
  const confidence: number[] = [];
  for (const symbol of line.symbols) {
    for (const ch of symbol.text.normalize('NFKC').replace(/\s/g, '')) {
      text += ch;
      confidence.push(symbol.confidence);
    }
  }
  return { text, confidence, centreX: (line.box.x0 + line.box.x1) / 2, line };
}

interface Found<T> {
  value: T;
  confidence: number;
  line: TextLine;
}

/** The least sure digit or era character of the match: one doubtful digit makes the field doubtful. */
function spanConfidence(reading: Reading, match: RegExpExecArray): number {
  return factConfidence(reading, match.index, match.index + match[0].length);
}

function factConfidence(reading: Reading, from: number, to: number): number {
  let least = 1;
  for (let i = from; i < to; i++) {
    const ch = reading.text[i]!;
    if (!FACT.test(ch)) continue;
    least = Math.min(least, reading.confidence[i]!);
  }
  return least;
}

const FACT = /[0-9大正昭和平成令元]/;

function findValidUntil(readings: Reading[]): Found<CalendarDay> | null {
  for (const reading of readings) {
    const m = VALID_UNTIL.exec(reading.text);
    if (!m) continue;
    return {
      value: { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) },
      confidence: spanConfidence(reading, m),
      line: reading.line,
    };
  }
  return null;
}

function findBirth(readings: Reading[]): Found<PrintedBirthDate> | null {
  for (const reading of readings) {
    const m = BIRTH_ERA.exec(reading.text);
    // The card prints the first year of an era 元年, never 1年: a 「1」 there is a misread (「11」).
    if (!m || m[2] === '1') continue;
    return {
      value: {
        era: m[1] as EraName,
        year: m[2] === '元' ? 1 : Number(m[2]),
        month: Number(m[3]),
        day: Number(m[4]),
      },
      confidence: spanConfidence(reading, m),
      line: reading.line,
    };
  }
  for (const reading of readings) {
    const m = BIRTH_GREGORIAN.exec(reading.text);
    // The validity line is Gregorian too, but ends まで有効, not 生.
    if (!m || VALID_UNTIL.test(reading.text)) continue;
    return {
      value: { era: null, year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) },
      confidence: spanConfidence(reading, m),
      line: reading.line,
    };
  }
  return null;
}

/**
 * A line that is four digits and nothing else, on the right half (under the photo). Two such lines
 * there would make the choice a guess, and a guess costs a try.
 */
function findSecurityCode(
  readings: Reading[],
  width: number,
): Found<string> | { problem: 'security-code-unread' | 'security-code-ambiguous' } {
  const candidates = readings.filter((r) => SECURITY_CODE.test(r.text) && r.centreX > width / 2);
  if (candidates.length === 0) return { problem: 'security-code-unread' };
  if (candidates.length > 1) return { problem: 'security-code-ambiguous' };
  const [only] = candidates as [Reading];
  return { value: only.text, confidence: factConfidence(only, 0, only.text.length), line: only.line };
}
