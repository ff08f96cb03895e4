import { CARD_FACE, JPKI, TEXT_INFO } from '@myna/card/spec.js';
import { describe, expect, it } from 'vitest';
import { card, readAll, selectApp, selectEf, send, sw, verify } from './card-helpers.ts';

describe('class and instruction checks', () => {
  const c = card();
  it.each([
    ['malformed', '00A4040C0BD392', '6700'],
    ['CLA 0C (secure messaging)', '0CB0000010', '6E00'],
    ['CLA FF', 'FFB0000010', '6E00'],
    ['logical channel 1', '01B0000010', '6881'],
    ['logical channel 3 on CLA 80', '832A00800100', '6881'],
    ['further interindustry channel', '40B0000010', '6881'],
    ['unknown INS', '00CA000000', '6D00'],
    ['known INS with the wrong class', '80B0000010', '6E00'],
    ['SELECT with P2 asking for FCI', '00A404000AD392F000260100000001', '6A86'],
    ['SELECT with unknown P1', '00A4080C020001', '6A86'],
  ])('%s → %s', (_, apdu, expected) => {
    expect(sw(c, apdu)).toBe(expected);
  });
});

describe('SELECT', () => {
  it('selects each application by name, and rejects an unknown AID', () => {
    const c = card();
    expect(sw(c, selectApp('jpki'))).toBe('9000');
    expect(sw(c, selectApp('textInfo'))).toBe('9000');
    expect(sw(c, selectApp('cardFace'))).toBe('9000');
    expect(sw(c, '00A4040C0AD392F000260100000002')).toBe('6A82');
  });

  it('finds no EF before any DF is selected, and no unknown EF after', () => {
    const c = card();
    expect(sw(c, selectEf(JPKI.ef.authCertificate))).toBe('6A82');
    expect(sw(c, selectApp('jpki'))).toBe('9000');
    expect(sw(c, selectEf(0x0099))).toBe('6A82');
    expect(sw(c, selectEf(JPKI.ef.authCertificate))).toBe('9000');
    expect(sw(c, '00A4020C0300000A')).toBe('6700');
  });
});

describe('READ BINARY', () => {
  it('reads the certificate with offsets; short read at the end; 6B00 past it', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.authCertificate));
    const head = send(c, '00B0000004');
    expect(head.sw).toBe('9000');
    expect(head.data[0]).toBe(0x30);
    expect(head.data[1]).toBe(0x82);
    const certLength = head.data.readUInt16BE(2) + 4;
    const file = readAll(c);
    expect(file.length % 16).toBe(0);
    expect(file.length).toBeGreaterThanOrEqual(certLength + 2);
    expect([...file.subarray(certLength)].every((b) => b === 0xff)).toBe(true);
    const fromOffset = send(c, '00B0010010');
    expect(fromOffset.data).toEqual(file.subarray(0x100, 0x110));
    const last = file.length - 5;
    const tail = send(c, `00B0${last.toString(16).padStart(4, '0')}00`);
    expect(tail).toEqual({ data: file.subarray(last), sw: '9000' });
    expect(sw(c, `00B0${file.length.toString(16).padStart(4, '0')}01`)).toBe('6B00');
    expect(sw(c, '00B07FFF01')).toBe('6B00');
  });

  it('reads a whole file with one extended Le 0000', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    sw(c, selectEf(JPKI.ef.authCertificate));
    const all = send(c, '00B00000000000');
    expect(all.sw).toBe('9000');
    expect(all.data).toEqual(readAll(c));
  });

  it('reads a short EF (P1 = 80 | SFI, P2 = offset) and makes it the current EF', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    const token = send(c, `00B0${(0x80 | JPKI.ef.tokenInfo).toString(16)}0000`);
    expect(token.sw).toBe('9000');
    expect(token.data.length).toBe(JPKI.tokenInfoLength);
    expect(token.data.subarray(0, 32).toString('latin1')).toBe(JPKI.tokenLabel.padEnd(32, ' '));
    expect(send(c, '00B0000403').data).toEqual(token.data.subarray(4, 7));
    expect(send(c, `00B0${(0x80 | JPKI.ef.certificatePresence).toString(16)}0003`).data).toEqual(
      Buffer.from([0x8f, 0x8f, 0x00]),
    );
    expect(sw(c, '00B0990000')).toBe('6A82');
    expect(sw(c, '00B0E00000')).toBe('6A86');
  });

  it('needs a current EF and an Le, and cannot read a PIN', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    expect(sw(c, '00B0000010')).toBe('6985');
    sw(c, selectEf(JPKI.ef.authCertificate));
    expect(sw(c, '00B00000')).toBe('6700');
    sw(c, selectEf(JPKI.ef.authPin));
    expect(sw(c, '00B0000010')).toBe('6985');
  });
});

describe('access rules', () => {
  it('JPKI: certificates, token info free; signing certificate after the signing password', () => {
    const c = card();
    sw(c, selectApp('jpki'));
    for (const ef of [
      JPKI.ef.authCertificate,
      JPKI.ef.authCaCertificate,
      JPKI.ef.signCaCertificate,
      JPKI.ef.tokenInfo,
    ]) {
      sw(c, selectEf(ef));
      expect(sw(c, '00B0000001')).toBe('9000');
    }
    sw(c, selectEf(JPKI.ef.signCertificate));
    expect(sw(c, '00B0000001')).toBe('6982');
    sw(c, selectEf(JPKI.ef.signPassword));
    expect(sw(c, verify('KENSHIN45'))).toBe('9000');
    sw(c, selectEf(JPKI.ef.signCertificate));
    expect(sw(c, '00B0000001')).toBe('9000');
  });

  it('input support AP: My Number by PIN or A, basic four by PIN or B, integrity by any', () => {
    const { ef } = TEXT_INFO;
    const readable = (secretEf: number, secret: string) => {
      const c = card();
      sw(c, selectApp('textInfo'));
      sw(c, selectEf(secretEf));
      expect(sw(c, verify(secret))).toBe('9000');
      return [ef.myNumber, ef.basicFour, ef.integrity, ef.cvCertificate, ef.apInfo].map((id) => {
        sw(c, selectEf(id));
        return sw(c, '00B0000001');
      });
    };
    expect(readable(ef.pin, '4321')).toEqual(['9000', '9000', '9000', '9000', '9000']);
    expect(readable(ef.verificationA, '314159265352')).toEqual(['9000', '6982', '9000', '9000', '9000']);
    expect(readable(ef.verificationB, '45052020321970')).toEqual(['6982', '9000', '9000', '9000', '9000']);
  });

  it('card-face AP: face by A or B, number image by A only, age record never', () => {
    const { ef } = CARD_FACE;
    const readable = (secretEf: number, secret: string) => {
      const c = card();
      sw(c, selectApp('cardFace'));
      sw(c, selectEf(secretEf));
      expect(sw(c, verify(secret))).toBe('9000');
      return [ef.face, ef.myNumberImage, ef.ageRecord, ef.basicInfo, ef.cvCertificate].map((id) => {
        sw(c, selectEf(id));
        return sw(c, '00B0000001');
      });
    };
    expect(readable(ef.verificationA, '314159265352')).toEqual(['9000', '9000', '6982', '9000', '9000']);
    expect(readable(ef.verificationB, '45052020321970')).toEqual(['9000', '6982', '6982', '9000', '9000']);
  });

  it('selecting any DF clears the security status, even the same DF again', () => {
    const c = card();
    sw(c, selectApp('textInfo'));
    sw(c, selectEf(TEXT_INFO.ef.pin));
    expect(sw(c, verify('4321'))).toBe('9000');
    sw(c, selectEf(TEXT_INFO.ef.myNumber));
    expect(send(c, '00B0000011').data.toString('latin1')).toBe('\xff\x10\x0c314159265352\xff\xff');
    sw(c, selectApp('jpki'));
    sw(c, selectApp('textInfo'));
    sw(c, selectEf(TEXT_INFO.ef.myNumber));
    expect(sw(c, '00B0000011')).toBe('6982');
    sw(c, selectEf(TEXT_INFO.ef.pin));
    expect(sw(c, '00200080')).toBe('63C3');
  });

  it('reset() clears selection and security status', () => {
    const c = card();
    sw(c, selectApp('textInfo'));
    sw(c, selectEf(TEXT_INFO.ef.pin));
    sw(c, verify('4321'));
    c.reset();
    expect(sw(c, selectEf(TEXT_INFO.ef.myNumber))).toBe('6A82');
  });
});

describe('PIN-less card', () => {
  it('has no PIN EFs and no signing certificate, but its free files and A / B work', () => {
    const c = card('pinless');
    sw(c, selectApp('jpki'));
    for (const ef of [JPKI.ef.authPin, JPKI.ef.signPassword, JPKI.ef.signCertificate, JPKI.ef.signKey]) {
      expect(sw(c, selectEf(ef))).toBe('6A82');
    }
    sw(c, selectEf(JPKI.ef.certificatePresence));
    expect(send(c, '00B0000003').data).toEqual(Buffer.from([0x8f, 0x00, 0x00]));
    sw(c, selectApp('textInfo'));
    expect(sw(c, selectEf(TEXT_INFO.ef.pin))).toBe('6A82');
    sw(c, selectEf(TEXT_INFO.ef.verificationA));
    expect(sw(c, verify('173205080750'))).toBe('9000');
    expect(c.triesLeft['jpki.authPin']).toBeUndefined();
  });
});
