import { describe, expect, it } from 'vitest';
import { parseCommandApdu } from '../../src/command-apdu.ts';
import { hex } from './card-helpers.ts';

describe('parseCommandApdu', () => {
  it.each([
    ['case 1', '00A40000', { data: '', le: undefined, extended: false }],
    ['case 2S', '00B0000010', { data: '', le: 0x10, extended: false }],
    ['case 2S, Le 00 = 256', '00B0000000', { data: '', le: 256, extended: false }],
    ['case 3S', '00A4020C020001', { data: '0001', le: undefined, extended: false }],
    ['case 4S', '802A0080020102FF', { data: '0102', le: 255, extended: false }],
    ['case 2E', '00B00000000100', { data: '', le: 256, extended: true }],
    ['case 2E, Le 0000 = 65536', '00B00000000000', { data: '', le: 65536, extended: true }],
    ['case 3E', '00A4020C0000020001', { data: '0001', le: undefined, extended: true }],
    ['case 4E', '802A008000000201020000', { data: '0102', le: 65536, extended: true }],
  ])('%s', (_, bytes, expected) => {
    const apdu = parseCommandApdu(hex(bytes))!;
    expect({
      data: Buffer.from(apdu.data).toString('hex').toUpperCase(),
      le: apdu.le,
      extended: apdu.extended,
    }).toEqual(expected);
  });

  it.each([
    ['too short', '00A400'],
    ['Lc beyond the data', '00A4020C030001'],
    ['data beyond Lc + Le', '00A4020C0200010000'],
    ['lone extended marker', '00B0000000FF'],
    ['extended Lc 0000 with data', '00A4020C00000001'],
    ['extended Lc beyond the data', '00A4020C00000300'],
    ['extended Le with a dangling byte', '802A0080000002010200'],
  ])('rejects %s', (_, bytes) => {
    expect(parseCommandApdu(hex(bytes))).toBeUndefined();
  });
});
