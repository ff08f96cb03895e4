import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidMyNumber, myNumberCheckDigit } from '../../src/my-number.ts';

describe('My Number check digit', () => {
  it('accepts a number whose last digit is the check digit', () => {
    // 12345678901 → weights 6,5,4,3,2,7,6,5,4,3,2 from the left: Σ = 212, 212 mod 11 = 3 → 11 - 3 = 8.
    expect(myNumberCheckDigit('12345678901')).toBe(8);
    expect(isValidMyNumber('123456789018')).toBe(true);
    expect(isValidMyNumber('123456789013')).toBe(false);
    expect(isValidMyNumber('12345678901')).toBe(false);
    expect(isValidMyNumber('12345678901x')).toBe(false);
  });

  it('catches every single-digit change (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{11}$/),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 9 }),
        (body, pos, delta) => {
          const valid = body + String(myNumberCheckDigit(body));
          expect(isValidMyNumber(valid)).toBe(true);
          const digits = valid.split('');
          digits[pos] = String((Number(digits[pos]) + delta) % 10);
          const changed = digits.join('');
          // A weight-w change of d is caught unless w·d ≡ 0 (mod 11), impossible for w, d in 1..9,
          // but remainders 0 and 1 both give check digit 0.
          const first = myNumberCheckDigit(changed.slice(0, 11));
          expect(isValidMyNumber(changed)).toBe(first === Number(changed[11]));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
