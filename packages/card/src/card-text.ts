import { MalformedDataError } from './errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text fields on the card are UTF-8; a name may hold characters outside the BMP and variation selectors. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new MalformedDataError(`${what} is not valid UTF-8`);
  }
}

/** A YYYYMMDD date as stored on the card, returned as YYYY-MM-DD after checking it is a real date. */
export function decodeCardDate(bytes: Uint8Array, what: string): string {
  const text = Buffer.from(bytes).toString('latin1');
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(text);
  if (!m) throw new MalformedDataError(`${what} is not a YYYYMMDD date`);
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    throw new MalformedDataError(`${what} is not a calendar date`);
  }
  return iso;
}

export type Sex = 'male' | 'female' | 'not-applicable' | 'unknown';

const SEX_CODES: Record<string, Sex> = { '1': 'male', '2': 'female', '9': 'not-applicable', '0': 'unknown' };

export function decodeSex(bytes: Uint8Array): Sex {
  const sex = SEX_CODES[Buffer.from(bytes).toString('latin1')];
  if (!sex) throw new MalformedDataError('sex code is not one of 1, 2, 9, 0');
  return sex;
}
