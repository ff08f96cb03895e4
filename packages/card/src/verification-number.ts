/**
 * 照合番号B (verification number B) of the card-face application: birth date as YYMMDD in the
 * Japanese era year, then the card's expiry year (Gregorian YYYY), then the 4-digit security code
 * printed under the photo. The kiosk reads the parts optically; the virtual card derives its own.
 */
import { InvalidInputError } from './errors.ts';

/** Era start dates (first day of year 1), newest first. */
const ERAS = [
  { name: '令和', start: '2019-05-01' },
  { name: '平成', start: '1989-01-08' },
  { name: '昭和', start: '1926-12-25' },
  { name: '大正', start: '1912-07-30' },
  { name: '明治', start: '1868-10-23' },
] as const;

export type EraName = (typeof ERAS)[number]['name'];

export interface EraYear {
  readonly era: EraName;
  readonly year: number;
}

/** Accepts YYYY-MM-DD or YYYYMMDD (the card's own form); returns YYYY-MM-DD. */
function normaliseDate(date: string, what: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date);
  if (!m) throw new InvalidInputError(`${what} must be YYYY-MM-DD or YYYYMMDD`);
  const iso = calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!iso) throw new InvalidInputError(`${what} is not a calendar date`);
  return iso;
}

/**
 * The Gregorian date of an era date, or why there is none: no such day in the calendar (year 0,
 * 2月30日), or a real day outside the era (平成31年5月1日 is 令和元年). Year 1 is 元年.
 */
export function fromJapaneseEra(
  era: EraName,
  year: number,
  month: number,
  day: number,
): { iso: string } | { problem: 'not-a-date' | 'outside-era' } {
  const index = ERAS.findIndex((e) => e.name === era);
  const start = ERAS[index]!.start;
  if (!Number.isInteger(year) || year < 1) return { problem: 'not-a-date' };
  const iso = calendarDate(Number(start.slice(0, 4)) + year - 1, month, day);
  if (!iso) return { problem: 'not-a-date' };
  const next = ERAS[index - 1]?.start;
  if (iso < start || (next !== undefined && iso >= next)) return { problem: 'outside-era' };
  return { iso };
}

/** YYYY-MM-DD of a day that exists in the Gregorian calendar; null for one that does not. */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (![year, month, day].every(Number.isInteger) || year < 1 || year > 9999) return null;
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso ? null : iso;
}

export function japaneseEraYear(date: string): EraYear {
  const iso = normaliseDate(date, 'date');
  // ISO dates compare correctly as strings.
  const era = ERAS.find((e) => iso >= e.start);
  if (!era) throw new InvalidInputError('date is before the Meiji era (1868-10-23)');
  return { era: era.name, year: Number(iso.slice(0, 4)) - Number(era.start.slice(0, 4)) + 1 };
}

export function verificationNumberB(birthDate: string, expiry: string, securityCode: string): string {
  const birth = normaliseDate(birthDate, 'birth date');
  const expiryYear = normaliseDate(expiry, 'expiry date').slice(0, 4);
  if (!/^\d{4}$/.test(securityCode)) throw new InvalidInputError('security code must be 4 digits');
  const { year } = japaneseEraYear(birth);
  return `${String(year).padStart(2, '0')}${birth.slice(5, 7)}${birth.slice(8, 10)}${expiryYear}${securityCode}`;
}
