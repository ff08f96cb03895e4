/**
 * What an optical read of the card front yields, and the checks that turn it into 照合番号B or a
 * refusal. Every wrong 照合番号B costs one of the card's few tries, so a read that cannot be a real
 * card is refused here, before anything goes near the card. Pure: no OCR, no card, no clock.
 */
import { InvalidInputError } from './errors.ts';
import {
  calendarDate,
  type EraName,
  fromJapaneseEra,
  japaneseEraYear,
  verificationNumberB,
} from './verification-number.ts';

export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The birth date as printed: an era date (year 1 = 元年), or Gregorian (`era: null`, the next-generation card). */
export interface PrintedBirthDate extends CalendarDay {
  readonly era: EraName | null;
}

export interface CardFrontRead {
  readonly birth: PrintedBirthDate;
  /** 「YYYY年M月D日まで有効」, Gregorian on every card. */
  readonly validUntil: CalendarDay;
  /** The 4 characters printed under the photo, as read: checked here, not trusted. */
  readonly securityCode: string;
  /** How sure the reader is of each field, 0..1. */
  readonly confidence: { readonly birth: number; readonly validUntil: number; readonly securityCode: number };
}

export const READ_REFUSALS = [
  'birth-not-a-date',
  'birth-outside-era',
  'birth-in-future',
  'valid-until-not-a-date',
  'valid-until-before-birth',
  'card-expired',
  'valid-until-not-birthday',
  'valid-until-impossible-age',
  'valid-until-too-far',
  'security-code-not-digits',
  'gregorian-birth-unconfirmed',
] as const;
export type ReadRefusal = (typeof READ_REFUSALS)[number];

export type NumberBFromRead = { ok: true; numberB: string } | { ok: false; reason: ReadRefusal };

/**
 * The card's validity rules (番号法施行令): a card issued at 18 or older (20 before 2022-04-01) is
 * valid to the 10th birthday after issue, a younger holder's to the 5th. A card of a Japanese
 * national therefore ends on a birthday, at an age of 5–24 (5-year card) or 28 and over (10-year
 * card), never further ahead than its term. Foreign residents' cards end with their residence
 * status instead; they print Gregorian dates. One table, so that a real card can correct it.
 */
export const CARD_VALIDITY = {
  adultTermYears: 10,
  minorTermYears: 5,
  /** Issued in the first year of life: the 5th birthday after issue. */
  minAgeAtExpiry: 5,
  /** Issued at 19 under the age of majority of 20, plus 5 years. */
  minorMaxAgeAtExpiry: 24,
  /** Issued at 18, the age of majority since 2022-04-01, plus 10 years. */
  adultMinAgeAtExpiry: 28,
  /** Born on 29 February: which day ends the card in a common year is **unconfirmed**; both are accepted. */
  leapDayBirthdays: ['02-28', '03-01'],
} as const;

const SECURITY_CODE = /^[0-9]{4}$/;

const refuse = (reason: ReadRefusal): NumberBFromRead => ({ ok: false, reason });

/**
 * 照合番号B of a read, or the first reason it cannot be a real card: the birth date a real day of
 * its era, not after `today` (YYYY-MM-DD); the validity after the birth, not past, within the
 * card's rules; the security code exactly four ASCII digits.
 */
export function numberBFromRead(read: CardFrontRead, today: string): NumberBFromRead {
  if (!calendarDate(...isoParts(today))) throw new InvalidInputError('today must be YYYY-MM-DD');
  const birth = birthIso(read.birth);
  if ('reason' in birth) return refuse(birth.reason);
  if (birth.iso > today) return refuse('birth-in-future');
  const { year, month, day } = read.validUntil;
  const until = calendarDate(year, month, day);
  if (!until) return refuse('valid-until-not-a-date');
  if (until <= birth.iso) return refuse('valid-until-before-birth');
  if (until < today) return refuse('card-expired');
  // Only a Japanese national's card (era dates) ends on a birthday after a set term.
  if (read.birth.era !== null) {
    const problem = termProblem(birth.iso, until, today);
    if (problem) return refuse(problem);
  }
  if (!SECURITY_CODE.test(read.securityCode)) return refuse('security-code-not-digits');
  // How a Gregorian birth date enters 照合番号B is unconfirmed: a guess would cost a try.
  if (read.birth.era === null) return refuse('gregorian-birth-unconfirmed');
  return { ok: true, numberB: verificationNumberB(birth.iso, until, read.securityCode) };
}

/** A perfect read of a card whose printed facts are these (dates YYYY-MM-DD, birth shown in its era). */
export function exactRead(birthDate: string, validUntil: string, securityCode: string): CardFrontRead {
  const [, month, day] = isoParts(birthDate);
  const [vy, vm, vd] = isoParts(validUntil);
  return {
    birth: { ...japaneseEraYear(birthDate), month, day },
    validUntil: { year: vy, month: vm, day: vd },
    securityCode,
    confidence: { birth: 1, validUntil: 1, securityCode: 1 },
  };
}

function isoParts(iso: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [Number.NaN, Number.NaN, Number.NaN];
}

function birthIso(birth: PrintedBirthDate): { iso: string } | { reason: ReadRefusal } {
  if (birth.era === null) {
    const iso = calendarDate(birth.year, birth.month, birth.day);
    return iso ? { iso } : { reason: 'birth-not-a-date' };
  }
  const date = fromJapaneseEra(birth.era, birth.year, birth.month, birth.day);
  if ('iso' in date) return date;
  return { reason: date.problem === 'not-a-date' ? 'birth-not-a-date' : 'birth-outside-era' };
}

function termProblem(birth: string, until: string, today: string): ReadRefusal | null {
  const birthday = birth.slice(5);
  const endDay = until.slice(5);
  const onBirthday =
    birthday === '02-29'
      ? endDay === birthday || (CARD_VALIDITY.leapDayBirthdays as readonly string[]).includes(endDay)
      : endDay === birthday;
  if (!onBirthday) return 'valid-until-not-birthday';
  // On the birthday itself the age is whole years; a leap-day birth ending 02-28 is a day short.
  const age = Number(until.slice(0, 4)) - Number(birth.slice(0, 4)) - (endDay < birthday ? 1 : 0);
  const minor = age <= CARD_VALIDITY.minorMaxAgeAtExpiry;
  if (age < CARD_VALIDITY.minAgeAtExpiry || (!minor && age < CARD_VALIDITY.adultMinAgeAtExpiry)) {
    return 'valid-until-impossible-age';
  }
  const term = minor ? CARD_VALIDITY.minorTermYears : CARD_VALIDITY.adultTermYears;
  // Issued no later than today, so it ends at most one term from today (string order is date order).
  const latest = `${String(Number(today.slice(0, 4)) + term).padStart(4, '0')}${today.slice(4)}`;
  return until > latest ? 'valid-until-too-far' : null;
}
