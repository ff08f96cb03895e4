import { InvalidInputError } from '@myna/card/errors.js';
import { japaneseEraYear, verificationNumberB } from '@myna/card/verification-number.js';
import { describe, expect, it } from 'vitest';

describe('verificationNumberB', () => {
  it.each([
    ['spec example, 昭和55', '1980-02-17', '2035-02-17', '2285', '55021720352285'],
    ['平成', '1998-07-14', '2033-07-14', '4821', '10071420334821'],
    ['令和, card form YYYYMMDD', '20210311', '20310311', '0001', '03031120310001'],
    ['first day of 令和', '2019-05-01', '2029-05-01', '0501', '01050120290501'],
    ['last day of 平成', '2019-04-30', '2029-04-30', '1111', '31043020291111'],
    ['first day of 平成', '1989-01-08', '2034-01-08', '0731', '01010820340731'],
    ['last day of 昭和', '1989-01-07', '2034-01-07', '0731', '64010720340731'],
  ])('%s', (_, birth, expiry, code, expected) => {
    expect(verificationNumberB(birth, expiry, code)).toBe(expected);
  });

  it('rejects bad parts without echoing them', () => {
    expect(() => verificationNumberB('1980-02-30', '2035-01-01', '1234')).toThrow(InvalidInputError);
    expect(() => verificationNumberB('1980-02-17', '2035', '1234')).toThrow(InvalidInputError);
    expect(() => verificationNumberB('1980-02-17', '2035-01-01', '12a4')).toThrow(
      'security code must be 4 digits',
    );
  });
});

describe('japaneseEraYear', () => {
  it.each([
    ['1868-10-23', '明治', 1],
    ['1912-07-29', '明治', 45],
    ['1912-07-30', '大正', 1],
    ['1926-12-24', '大正', 15],
    ['1926-12-25', '昭和', 1],
    ['1989-01-07', '昭和', 64],
    ['1989-01-08', '平成', 1],
    ['2019-04-30', '平成', 31],
    ['2019-05-01', '令和', 1],
    ['2026-11-24', '令和', 8],
  ])('%s → %s %i', (date, era, year) => {
    expect(japaneseEraYear(date)).toEqual({ era, year });
  });

  it('has no era before 明治', () => {
    expect(() => japaneseEraYear('1868-10-22')).toThrow(InvalidInputError);
  });
});
