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
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) {
    throw new InvalidInputError(`${what} is not a calendar date`);
  }
  return iso;
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
