import { describe, expect, it } from 'vitest';
import { berLength, indexedRecord, tlv } from '../../src/ber-tlv.ts';
import { toHex } from './card-helpers.ts';

describe('BER-TLV encoding', () => {
  it.each([
    [0, '00'],
    [127, '7F'],
    [128, '8180'],
    [255, '81FF'],
    [256, '820100'],
    [65535, '82FFFF'],
  ])('length %i → %s', (n, expected) => {
    expect(toHex(berLength(n))).toBe(expected);
  });

  it('refuses a value longer than 82 lengths allow', () => {
    expect(() => berLength(65536)).toThrow(RangeError);
  });

  it('two-byte tags and nested values', () => {
    expect(toHex(tlv(0xdf25, Uint8Array.of(0x31)))).toBe('DF250131');
    expect(toHex(tlv(0x7f49, tlv(0x82, Uint8Array.of(1, 0, 1))))).toBe('7F490582030100 01'.replace(' ', ''));
  });

  it('indexed record offsets account for an 81-form outer length', () => {
    const record = indexedRecord(0xff20, 0xdf21, [
      tlv(0xdf22, new Uint8Array(150)),
      tlv(0xdf23, Uint8Array.of(1)),
    ]);
    // FF 20 81 LL | DF 21 04 o1 o2 | DF 22 81 96 … | DF 23 01 01
    expect(toHex(record.subarray(0, 3))).toBe('FF2081');
    expect(toHex(record.subarray(4, 11))).toBe(
      `DF2104000B${(11 + 4 + 150).toString(16).padStart(4, '0').toUpperCase()}`,
    );
  });
});
