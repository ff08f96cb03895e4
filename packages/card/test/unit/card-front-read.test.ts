import {
  type CardFrontRead,
  exactRead,
  numberBFromRead,
  type ReadRefusal,
} from '@myna/card/card-front-read.js';
import { InvalidInputError } from '@myna/card/errors.js';
import type { EraName } from '@myna/card/verification-number.js';
import { describe, expect, it } from 'vitest';

const TODAY = '2026-12-07';

function read(
  era: EraName | null,
  [year, month, day]: [number, number, number],
  validUntil: [number, number, number],
  securityCode = '2285',
): CardFrontRead {
  return {
    birth: { era, year, month, day },
    validUntil: { year: validUntil[0], month: validUntil[1], day: validUntil[2] },
    securityCode,
    confidence: { birth: 1, validUntil: 1, securityCode: 1 },
  };
}

const refusal = (r: CardFrontRead, today = TODAY) => {
  const result = numberBFromRead(r, today);
  return result.ok ? `number ${result.numberB}` : result.reason;
};

describe('numberBFromRead: era birth dates', () => {
  it.each<[string, EraName, [number, number, number], [number, number, number], string]>([
    ['the spec example, 昭和55年', '昭和', [55, 2, 17], [2035, 2, 17], '55021720352285'],
    ['平成31年4月30日, the last day of 平成', '平成', [31, 4, 30], [2029, 4, 30], '31043020292285'],
    ['令和元年5月1日, the first day of 令和', '令和', [1, 5, 1], [2029, 5, 1], '01050120292285'],
    ['昭和64年1月7日, the last day of 昭和', '昭和', [64, 1, 7], [2034, 1, 7], '64010720342285'],
    ['平成元年1月8日, the first day of 平成', '平成', [1, 1, 8], [2034, 1, 8], '01010820342285'],
    ['大正15年12月24日, the last day of 大正', '大正', [15, 12, 24], [2031, 12, 24], '15122420312285'],
    ['昭和元年12月25日, the first day of 昭和', '昭和', [1, 12, 25], [2031, 12, 25], '01122520312285'],
    ['a 29 February in a leap year (平成4年 = 1992)', '平成', [4, 2, 29], [2032, 2, 29], '04022920322285'],
  ])('%s', (_, era, birth, until, expected) => {
    expect(numberBFromRead(read(era, birth, until), TODAY)).toEqual({ ok: true, numberB: expected });
  });

  it.each<[string, EraName, [number, number, number], ReadRefusal]>([
    ['平成31年5月1日 is 令和元年', '平成', [31, 5, 1], 'birth-outside-era'],
    ['令和元年4月30日 is still 平成', '令和', [1, 4, 30], 'birth-outside-era'],
    ['昭和64年1月8日 is 平成元年', '昭和', [64, 1, 8], 'birth-outside-era'],
    ['大正15年12月25日 is 昭和元年', '大正', [15, 12, 25], 'birth-outside-era'],
    ['昭和元年12月24日 is still 大正', '昭和', [1, 12, 24], 'birth-outside-era'],
    ['平成99年 does not exist', '平成', [99, 1, 1], 'birth-outside-era'],
    ['year 0', '昭和', [0, 5, 5], 'birth-not-a-date'],
    ['2月30日', '昭和', [55, 2, 30], 'birth-not-a-date'],
    ['29 February in a common year (平成5年 = 1993)', '平成', [5, 2, 29], 'birth-not-a-date'],
    ['month 13', '昭和', [55, 13, 1], 'birth-not-a-date'],
    ['a fractional year from a bad parse', '昭和', [55.5, 2, 17], 'birth-not-a-date'],
    ['a birth after today', '令和', [9, 1, 1], 'birth-in-future'],
  ])('refuses %s', (_, era, birth, reason) => {
    expect(refusal(read(era, birth, [2035, birth[1], birth[2]]))).toBe(reason);
  });
});

describe('numberBFromRead: validity within the card rules', () => {
  it.each<[string, [number, number, number], [number, number, number], ReadRefusal]>([
    ['not a date', [55, 2, 17], [2035, 2, 31], 'valid-until-not-a-date'],
    ['before the birth', [55, 2, 17], [1979, 2, 17], 'valid-until-before-birth'],
    ['already past', [55, 2, 17], [2025, 2, 17], 'card-expired'],
    ['not on the birthday', [55, 2, 17], [2035, 2, 18], 'valid-until-not-birthday'],
    ['more than 10 years ahead', [55, 2, 17], [2037, 2, 17], 'valid-until-too-far'],
    // 平成20年 = 2008: a card ending at 25–27 fits neither term.
    ['ending at an age no term gives', [20, 3, 3], [2034, 3, 3], 'valid-until-impossible-age'],
  ])('refuses a validity date %s', (_, birth, until, reason) => {
    expect(refusal(read(birth[0] === 20 ? '平成' : '昭和', birth, until))).toBe(reason);
  });

  it('gives a child (5-year card) at most 5 years from today', () => {
    // 令和元年5月1日 = 2019-05-01: at 10 in 2029 (within 5 years) but not at 12 in 2031+.
    expect(refusal(read('令和', [1, 5, 1], [2029, 5, 1]))).toBe('number 01050120292285');
    expect(refusal(read('令和', [1, 5, 1], [2031, 5, 1]), '2026-04-30')).toBe('valid-until-too-far');
    expect(refusal(read('令和', [1, 5, 1], [2031, 5, 1]), '2026-05-01')).toBe('number 01050120312285');
  });

  it('takes a validity date of today, the last valid day', () => {
    expect(refusal(read('昭和', [55, 2, 17], [2035, 2, 17]), '2035-02-17')).toBe('number 55021720352285');
  });

  it('accepts either neighbour of 29 February as the end of a leap-day holder’s card', () => {
    expect(refusal(read('平成', [4, 2, 29], [2031, 2, 28]))).toBe('number 04022920312285');
    expect(refusal(read('平成', [4, 2, 29], [2031, 3, 1]))).toBe('number 04022920312285');
    expect(refusal(read('平成', [4, 2, 29], [2031, 3, 2]))).toBe('valid-until-not-birthday');
  });
});

describe('numberBFromRead: the security code and the Gregorian card', () => {
  it.each(['228', '22855', '22a5', '２２８５', ' 2285', '٢٢٨٥'])('refuses the security code %j', (code) => {
    expect(refusal(read('昭和', [55, 2, 17], [2035, 2, 17], code))).toBe('security-code-not-digits');
  });

  it('checks a Gregorian (next-generation) read but never guesses its 照合番号B', () => {
    expect(refusal(read(null, [1980, 2, 17], [2035, 2, 17]))).toBe('gregorian-birth-unconfirmed');
    expect(refusal(read(null, [1980, 2, 30], [2035, 2, 17]))).toBe('birth-not-a-date');
    // A foreign resident's card ends with the residence status, not on a birthday.
    expect(refusal(read(null, [1980, 2, 17], [2027, 9, 1]))).toBe('gregorian-birth-unconfirmed');
  });

  it('wants today as YYYY-MM-DD', () => {
    expect(() => numberBFromRead(read('昭和', [55, 2, 17], [2035, 2, 17]), '2026-2-1')).toThrow(
      InvalidInputError,
    );
  });
});

describe('exactRead', () => {
  it('prints the birth date in its era, with full confidence', () => {
    const r = exactRead('2019-05-01', '2029-05-01', '0501');
    expect(r).toEqual({
      birth: { era: '令和', year: 1, month: 5, day: 1 },
      validUntil: { year: 2029, month: 5, day: 1 },
      securityCode: '0501',
      confidence: { birth: 1, validUntil: 1, securityCode: 1 },
    });
    expect(numberBFromRead(r, TODAY)).toEqual({ ok: true, numberB: '01050120290501' });
  });
});
