import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCommand, parseResponse } from '../../src/apdu.ts';
import { InvalidInputError, TransportError } from '../../src/errors.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('encodeCommand', () => {
  it('encodes the four short cases', () => {
    expect(hex(encodeCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0 }))).toBe('00840000');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }))).toBe('00B0000000');
    expect(hex(encodeCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(0, 0x0a) }))).toBe(
      '00A4020C02000A',
    );
    expect(
      hex(encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: Uint8Array.of(1, 2), le: 256 })),
    ).toBe('802A0080020102' + '00');
  });

  it('switches to the extended form only where the short one cannot carry the command', () => {
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 }))).toBe('00B00000000000');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 257 }))).toBe('00B00000000101');
    const data = new Uint8Array(300).fill(7);
    const enc = encodeCommand({ cla: 0, ins: 0x2a, p1: 0, p2: 0x80, data, le: 256 });
    expect(hex(enc.subarray(0, 7))).toBe('002A008000012C');
    expect(hex(enc.subarray(enc.length - 2))).toBe('0100');
    expect(enc.length).toBe(4 + 3 + 300 + 2);
  });

  it('refuses fields that do not fit', () => {
    expect(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0 })).toThrow(InvalidInputError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 65537 })).toThrow(InvalidInputError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(65536) })).toThrow(
      InvalidInputError,
    );
  });

  it('always yields a length consistent with its Lc and Le (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 65536 }), (data, le) => {
        const enc = encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data, le });
        const extended = data.length > 255 || le > 256;
        const lcLen = data.length === 0 ? 0 : extended ? 3 : 1;
        const leLen = le === 0 ? 0 : extended ? (data.length > 0 ? 2 : 3) : 1;
        expect(enc.length).toBe(4 + lcLen + data.length + leLen);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('parseResponse', () => {
  it('splits data and status word', () => {
    expect(parseResponse(Uint8Array.of(1, 2, 0x90, 0))).toEqual({ data: Uint8Array.of(1, 2), sw: 0x9000 });
    expect(parseResponse(Uint8Array.of(0x63, 0xc2)).sw).toBe(0x63c2);
  });
  it('refuses a response with no status word', () => {
    expect(() => parseResponse(Uint8Array.of(0x90))).toThrow(TransportError);
  });
});
