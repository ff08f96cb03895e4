/**
 * What a synthetic card front prints, and the rules that make it a card that could exist: the
 * birth date in its era (元年 for year 1), the validity ending on the holder's birthday one term
 * after issue, not expired on the day the set is made for.
 */
import type { PrintedBirthDate } from '@myna/card/card-front-read.js';
import { type EraName, japaneseEraYear } from '@myna/card/verification-number.js';
import { inventedAddress, inventedName } from './invented-people.ts';
import type { Random } from './random.ts';

/** `current`: 個人番号カード with an era birth date; `next-gen`: マイナンバーカード, Gregorian birth date. */
export type CardLayout = 'current' | 'next-gen';
export type CardFont = 'sans' | 'serif';

export interface CardFrontSpec {
  /** Family and given name separated by U+3000. */
  readonly name: string;
  /** The birth date as printed: era year, or Gregorian (`era: null`) on the next-generation card. */
  readonly birth: PrintedBirthDate;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  /** YYYY-MM-DD: 「YYYY年 M月 D日まで有効」 */
  readonly validUntil: string;
  readonly securityCode: string;
  /** One or two printed lines. */
  readonly address: readonly string[];
  readonly sex: '男' | '女' | null;
  readonly layout: CardLayout;
  readonly font: CardFont;
  /** The space that pads a one-digit month or day (or era year) to two columns. */
  readonly padding: 'half' | 'full';
  /** Text colour (CSS). */
  readonly ink: string;
  /** Seed of the small jitter of positions and sizes; null: the canonical layout. */
  readonly jitterSeed: number | null;
  /** Small lines such as 臓器提供意思; may be empty. */
  readonly extraLines: readonly string[];
  /** 「○○市長」, the issuing mayor printed near the photo. */
  readonly issuer: string;
}

/** The holder of a given card (packages/card-sim person files have these fields). */
export interface CardHolder {
  readonly name: string;
  readonly birthDate: string;
  readonly cardExpiry: string;
  readonly securityCode: string;
  readonly address?: string;
  /** Person-file code: 1 male, 2 female, others print no sex. */
  readonly sex?: string;
}

const INKS = ['#1b1b1b', '#232a35', '#2a2220', '#141d24', '#303030'];
const EXTRA_LINES = ['臓器提供意思表示欄は裏面', '備考', '追記欄あり', '通称 なし'];
const ISSUERS = ['千代田区長', '横浜市長', '大阪市長', '札幌市長', '那覇市長', '京都市長', '仙台市長'];
/** Weights of the holders' birth eras (大正 holders are over 98 years old). */
const ERA_WEIGHTS: readonly [EraName, number][] = [
  ['大正', 0.03],
  ['昭和', 0.47],
  ['平成', 0.36],
  ['令和', 0.14],
];
const ERA_SPANS: Record<string, { start: string; end: string }> = {
  大正: { start: '1912-07-30', end: '1926-12-24' },
  昭和: { start: '1926-12-25', end: '1989-01-07' },
  平成: { start: '1989-01-08', end: '2019-04-30' },
  令和: { start: '2019-05-01', end: '9999-12-31' },
};
/** The first cards were issued in January 2016. */
const FIRST_ISSUE = '2016-01-01';
/** The age of majority, and with it the 10-year card, went from 20 to 18 on this day. */
const MAJORITY_18_FROM = '2022-04-01';

export function printedBirth(birthDate: string, layout: CardLayout): PrintedBirthDate {
  const [year, month, day] = isoParts(birthDate);
  return layout === 'next-gen'
    ? { era: null, year, month, day }
    : { ...japaneseEraYear(birthDate), month, day };
}

/** 「昭和55年 2月17日生」, 「平成元年 1月 8日生」, or Gregorian 「1980年 2月17日生」. */
export function birthText(spec: Pick<CardFrontSpec, 'birth' | 'padding'>): string {
  const { era, year, month, day } = spec.birth;
  const pad = padder(spec.padding);
  const printedYear = era === null ? String(year) : `${era}${year === 1 ? '元' : pad(year)}`;
  return `${printedYear}年${pad(month)}月${pad(day)}日生`;
}

/** 「2035年 2月17日まで有効」 */
export function validityText(spec: Pick<CardFrontSpec, 'validUntil' | 'padding'>): string {
  const [year, month, day] = isoParts(spec.validUntil);
  const pad = padder(spec.padding);
  return `${year}年${pad(month)}月${pad(day)}日まで有効`;
}

/**
 * The last valid day of a card issued on `issued` (番号法施行令): the 10th birthday after issue,
 * or the 5th for a holder under the age of majority (20, and 18 from 2022-04-01). Births on 29
 * February are not handled: which day ends such a card in a common year is unconfirmed.
 */
export function cardValidUntil(birthDate: string, issued: string): string {
  const [issueYear] = isoParts(issued);
  const birthday = birthDate.slice(4);
  const age = issueYear - Number(birthDate.slice(0, 4)) - (issued.slice(4) < birthday ? 1 : 0);
  const majority = issued < MAJORITY_18_FROM ? 20 : 18;
  const term = age < majority ? 5 : 10;
  // The birthday on the day of issue is not "after" it.
  const firstBirthdayYear = birthday > issued.slice(4) ? issueYear : issueYear + 1;
  return `${String(firstBirthdayYear + term - 1).padStart(4, '0')}${birthday}`;
}

/** A random invented holder's card front, valid on `today` (YYYY-MM-DD). */
export function randomCardFrontSpec(
  random: Random,
  today: string,
  layout: CardLayout = 'current',
): CardFrontSpec {
  const birthDate = randomBirthDate(random, today);
  let validUntil = '';
  // A minor's 5-year card issued long ago has expired: issue again until the card is valid today.
  do {
    const earliest = maxIso(FIRST_ISSUE, addDays(birthDate, 1), addYears(today, -10));
    validUntil = cardValidUntil(birthDate, randomDay(random, earliest, today));
  } while (validUntil < today);
  return {
    name: inventedName(random),
    birth: printedBirth(birthDate, layout),
    birthDate,
    validUntil,
    securityCode: String(random.int(0, 9999)).padStart(4, '0'),
    address: inventedAddress(random),
    sex: random.pick(['男', '女'] as const),
    layout,
    ...randomStyle(random),
    extraLines: random.chance(0.3) ? [random.pick(EXTRA_LINES)] : [],
    issuer: random.pick(ISSUERS),
  };
}

/** The card of a given holder (a test person), drawn in a random style. */
export function cardFrontSpecOf(
  holder: CardHolder,
  random: Random,
  layout: CardLayout = 'current',
): CardFrontSpec {
  return {
    name: holder.name,
    birth: printedBirth(holder.birthDate, layout),
    birthDate: holder.birthDate,
    validUntil: holder.cardExpiry,
    securityCode: holder.securityCode,
    address: holder.address ? [holder.address] : [],
    sex: holder.sex === '1' ? '男' : holder.sex === '2' ? '女' : null,
    layout,
    ...randomStyle(random),
    extraLines: [],
    issuer: random.pick(ISSUERS),
  };
}

function randomStyle(random: Random): Pick<CardFrontSpec, 'font' | 'padding' | 'ink' | 'jitterSeed'> {
  return {
    font: random.chance(0.7) ? 'sans' : 'serif',
    padding: random.chance(0.6) ? 'half' : 'full',
    ink: random.pick(INKS),
    jitterSeed: random.chance(0.85) ? random.seed() : null,
  };
}

/** A birth date before `today`, era by ERA_WEIGHTS; one in ten in the era's first year (元年). */
function randomBirthDate(random: Random, today: string): string {
  const eligible = ERA_WEIGHTS.filter(([era]) => ERA_SPANS[era]!.start < today);
  let pick = random.next() * eligible.reduce((sum, [, weight]) => sum + weight, 0);
  let era = eligible.at(-1)![0];
  for (const [name, weight] of eligible) {
    pick -= weight;
    if (pick < 0) {
      era = name;
      break;
    }
  }
  const span = ERA_SPANS[era]!;
  const end = minIso(span.end, addDays(today, -1));
  const firstYearEnd = `${span.start.slice(0, 4)}-12-31`;
  const date = randomDay(random, span.start, random.chance(0.1) ? minIso(end, firstYearEnd) : end);
  // Keeps cardValidUntil away from 29 February (see there).
  return date.endsWith('-02-29') ? `${date.slice(0, 4)}-02-28` : date;
}

function padder(padding: 'half' | 'full'): (n: number) => string {
  const space = padding === 'half' ? ' ' : '\u3000';
  return (n) => (n < 10 ? `${space}${n}` : String(n));
}

function isoParts(iso: string): [number, number, number] {
  return [Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
}

const DAY_MS = 86_400_000;
const toMs = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const fromMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const addDays = (iso: string, days: number): string => fromMs(toMs(iso) + days * DAY_MS);
const addYears = (iso: string, years: number): string =>
  addDays(`${Number(iso.slice(0, 4)) + years}${iso.slice(4, 8)}01`, Number(iso.slice(8)) - 1);
const maxIso = (...dates: string[]): string => [...dates].sort().at(-1)!;
const minIso = (a: string, b: string): string => (a < b ? a : b);

function randomDay(random: Random, from: string, to: string): string {
  return fromMs(toMs(from) + random.int(0, Math.round((toMs(to) - toMs(from)) / DAY_MS)) * DAY_MS);
}
