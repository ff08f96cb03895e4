import { CARD_FACE, JPKI, TEXT_INFO } from '@myna/card/spec.js';
import { describe, expect, it } from 'vitest';
import { card, selectApp, selectEf, sw, verify } from './card-helpers.ts';

function atAuthPin(person = 'middle-aged') {
  const c = card(person);
  sw(c, selectApp('jpki'));
  sw(c, selectEf(JPKI.ef.authPin));
  return c;
}

describe('VERIFY', () => {
  it('wrong, wrong, right resets the counter to 3', () => {
    const c = atAuthPin();
    expect(sw(c, '00200080')).toBe('63C3');
    expect(sw(c, verify('0000'))).toBe('63C2');
    expect(sw(c, verify('0001'))).toBe('63C1');
    expect(sw(c, verify('4321'))).toBe('9000');
    expect(c.triesLeft['jpki.authPin']).toBe(3);
    expect(sw(c, '00200080')).toBe('9000');
  });

  it('three wrong: 63C2, 63C1, 63C0, then 6984 for any try, right or wrong, and for the query', () => {
    const c = atAuthPin();
    expect(sw(c, verify('0000'))).toBe('63C2');
    expect(sw(c, verify('0000'))).toBe('63C1');
    expect(sw(c, verify('0000'))).toBe('63C0');
    expect(sw(c, verify('4321'))).toBe('6984');
    expect(sw(c, verify('0000'))).toBe('6984');
    expect(sw(c, '00200080')).toBe('6984');
    expect(c.triesLeft['jpki.authPin']).toBe(0);
  });

  it('a wrong try drops an earlier verification', () => {
    const c = atAuthPin();
    expect(sw(c, verify('4321'))).toBe('9000');
    expect(sw(c, verify('9999'))).toBe('63C2');
    expect(sw(c, '00200080')).toBe('63C2');
  });

  it('a card whose PIN is already blocked answers 6984', () => {
    const c = atAuthPin('pin-blocked');
    expect(sw(c, '00200080')).toBe('6984');
    expect(sw(c, verify('9999'))).toBe('6984');
  });

  it('the signing password has 5 tries and its own counter', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.signPassword));
    expect(sw(c, '00200080')).toBe('63C5');
    expect(sw(c, verify('WRONG1'))).toBe('63C4');
    expect(c.triesLeft).toMatchObject({ 'jpki.signPassword': 4, 'jpki.authPin': 3 });
  });

  it('short-EF form P2 = 80 | SFI, without selecting the PIN EF first', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    const p2 = (0x80 | JPKI.ef.authPin).toString(16).toUpperCase();
    expect(sw(c, `002000${p2}`)).toBe('63C3');
    expect(sw(c, `002000${p2}0430303030`)).toBe('63C2');
  });

  it('refuses a non-PIN EF, no current EF, and bad P1 / P2', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    expect(sw(c, verify('4321'))).toBe('6985');
    sw(c, selectEf(JPKI.ef.authCertificate));
    expect(sw(c, verify('4321'))).toBe('6985');
    expect(sw(c, '00200180')).toBe('6A86');
    expect(sw(c, '00200001')).toBe('6A86');
  });

  it('verification numbers use configurable tries, per EF', () => {
    const c = card('middle-aged', { verificationTries: 2 });
    sw(c, selectApp('cardFace'));
    sw(c, selectEf(CARD_FACE.ef.verificationB));
    expect(sw(c, '00200080')).toBe('63C2');
    expect(sw(c, verify('00000000000000'))).toBe('63C1');
    expect(sw(c, verify('00000000000000'))).toBe('63C0');
    expect(sw(c, verify('45052020321970'))).toBe('6984');
    sw(c, selectEf(CARD_FACE.ef.verificationA));
    expect(sw(c, '00200080')).toBe('63C2');
    sw(c, selectApp('textInfo'));
    sw(c, selectEf(TEXT_INFO.ef.verificationB));
    expect(sw(c, verify('45052020321970'))).toBe('9000');
    expect(c.triesLeft).toMatchObject({ 'cardFace.verificationB': 0, 'textInfo.verificationB': 2 });
  });

  it('the input-support PIN is its own counter with default tries from spec.ts', () => {
    const c = card();
    sw(c, selectApp('textInfo'));
    sw(c, selectEf(TEXT_INFO.ef.pin));
    expect(sw(c, '00200080')).toBe(`63C${TEXT_INFO.pinTries}`);
    sw(c, selectEf(TEXT_INFO.ef.verificationA));
    expect(sw(c, '00200080')).toBe('63CA');
  });
});

describe('verification tries option', () => {
  it('must fit the one hex digit of 63Cx', () => {
    expect(() => card('middle-aged', { verificationTries: 16 })).toThrow(RangeError);
    expect(() => card('middle-aged', { verificationTries: 0 })).toThrow(RangeError);
  });
});
