import { numberBFromRead } from '@myna/card/card-front-read.js';
import { japaneseEraYear, verificationNumberB } from '@myna/card/verification-number.js';
import { describe, expect, it } from 'vitest';
import {
  birthText,
  cardValidUntil,
  printedBirth,
  randomCardFrontSpec,
  validityText,
} from '../../../src/card-front/card-front-spec.ts';
import { seededRandom } from '../../../src/card-front/random.ts';

const TODAY = '2025-06-01';

describe('card validity', () => {
  it('ends on the 10th birthday after issue for an adult, the 5th for a minor', () => {
    expect(cardValidUntil('1980-02-17', '2020-03-01')).toBe('2030-02-17');
    expect(cardValidUntil('1980-02-17', '2020-01-10')).toBe('2029-02-17');
    // Issued on the birthday: that birthday is not after the issue.
    expect(cardValidUntil('1980-02-17', '2020-02-17')).toBe('2030-02-17');
    expect(cardValidUntil('2010-05-05', '2021-06-01')).toBe('2026-05-05');
    // 19 before 2022-04-01 was a minor; 18 after it is an adult.
    expect(cardValidUntil('2002-01-15', '2021-06-01')).toBe('2026-01-15');
    expect(cardValidUntil('2005-01-15', '2023-06-01')).toBe('2033-01-15');
  });

  it('makes random cards that the reader accepts: on the birthday, not expired, within their term', () => {
    const eras = new Set<string>();
    let gannen = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const spec = randomCardFrontSpec(seededRandom(seed), TODAY);
      expect(spec.validUntil >= TODAY).toBe(true);
      expect(spec.validUntil.slice(5)).toBe(spec.birthDate.slice(5));
      expect(spec.birth.era).toBe(japaneseEraYear(spec.birthDate).era);
      const [year, month, day] = spec.validUntil.split('-').map(Number) as [number, number, number];
      const read = numberBFromRead(
        {
          birth: spec.birth,
          validUntil: { year, month, day },
          securityCode: spec.securityCode,
          confidence: { birth: 1, validUntil: 1, securityCode: 1 },
        },
        TODAY,
      );
      expect(read).toEqual({
        ok: true,
        numberB: verificationNumberB(spec.birthDate, spec.validUntil, spec.securityCode),
      });
      eras.add(spec.birth.era!);
      if (spec.birth.year === 1) gannen++;
    }
    expect([...eras].sort()).toEqual(['令和', '大正', '平成', '昭和'].sort());
    expect(gannen).toBeGreaterThan(0);
  });

  it('prints the next-generation card with a Gregorian birth date', () => {
    const spec = randomCardFrontSpec(seededRandom(7), TODAY, 'next-gen');
    expect(spec.birth.era).toBeNull();
    expect(birthText(spec)).toMatch(/^\d{4}年[ \d]\d月[ \d]\d日生$/);
  });
});

describe('printed dates', () => {
  it('pads month and day to two columns with a half- or full-width space, and prints year 1 as 元年', () => {
    expect(birthText({ birth: printedBirth('1980-02-17', 'current'), padding: 'half' })).toBe(
      '昭和55年 2月17日生',
    );
    expect(birthText({ birth: printedBirth('1989-01-08', 'current'), padding: 'full' })).toBe(
      '平成元年\u30001月\u30008日生',
    );
    expect(birthText({ birth: printedBirth('1993-11-03', 'current'), padding: 'half' })).toBe(
      '平成 5年11月 3日生',
    );
    expect(birthText({ birth: printedBirth('1980-02-17', 'next-gen'), padding: 'half' })).toBe(
      '1980年 2月17日生',
    );
    expect(validityText({ validUntil: '2035-02-17', padding: 'half' })).toBe('2035年 2月17日まで有効');
  });
});
