import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCardFaceFile } from '../../src/apps/card-face.ts';
import { parseBasicFourFile, parseMyNumberFile } from '../../src/apps/text-info.ts';
import { parseCertificate } from '../../src/certificate.ts';
import { MalformedDataError } from '../../src/errors.ts';
import { childrenByTag, readFileTlv, readTlv, readTlvList, tlvTotalLength } from '../../src/tlv.ts';

/** A BER encoder for the tests only: the product reads TLV, the virtual card writes its own. */
function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes =
    tag > 0xffff ? [tag >> 16, (tag >> 8) & 0xff, tag & 0xff] : tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
  const n = value.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from([...tagBytes, ...len, ...value]);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Only MalformedDataError may come out of a parser fed with arbitrary bytes. */
function onlyMalformed(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof MalformedDataError)) throw error;
  }
}

describe('readTlv', () => {
  it('reads short, 81 and 82 lengths and two-byte tags', () => {
    expect(readTlv(Uint8Array.of(0x04, 0x01, 0xaa)).value).toEqual(Uint8Array.of(0xaa));
    const long = encodeTlv(0xdf22, new Uint8Array(200).fill(1));
    expect(Array.from(long.subarray(0, 4))).toEqual([0xdf, 0x22, 0x81, 200]);
    const t = readTlv(long);
    expect(t.tag).toBe(0xdf22);
    expect(t.length).toBe(200);
    expect(t.end).toBe(long.length);
    const longer = encodeTlv(0xff20, new Uint8Array(300));
    expect(readTlv(longer).headerLength).toBe(5);
  });

  it('refuses every truncation and impossible length with MalformedDataError', () => {
    for (const bad of [
      [],
      [0xdf],
      [0xdf, 0x22],
      [0x04, 0x02, 0x00],
      [0x04, 0x81],
      [0x04, 0x82, 0x01],
      [0x04, 0x80],
      [0x04, 0x85, 1, 1, 1, 1, 1],
      [0x1f, 0xff, 0xff, 0xff, 0x01],
    ]) {
      expect(() => readTlv(Uint8Array.from(bad)), JSON.stringify(bad)).toThrow(MalformedDataError);
    }
  });

  it('drops the FF filler after a file TLV and checks the outer tag', () => {
    const file = Uint8Array.from([...encodeTlv(0xff10, utf8('123456789018')), 0xff, 0xff, 0xff]);
    expect(readFileTlv(file, 0xff10).length).toBe(12);
    expect(() => readFileTlv(file, 0xff20)).toThrow(/expected tag FF20/);
  });

  it('finds duplicate tags malformed', () => {
    const dup = Uint8Array.from([
      ...encodeTlv(0xdf22, Uint8Array.of(1)),
      ...encodeTlv(0xdf22, Uint8Array.of(2)),
    ]);
    expect(() => childrenByTag(dup)).toThrow(MalformedDataError);
  });

  it('tells the total length from the header alone', () => {
    expect(tlvTotalLength(Uint8Array.of(0x30, 0x82, 0x04, 0x00))).toBe(1028);
    expect(tlvTotalLength(Uint8Array.of(0x30, 0x82, 0x04))).toBeUndefined();
  });

  it('round-trips arbitrary TLV sequences (property, 20 000 cases)', () => {
    const tag = fc.oneof(
      fc.integer({ min: 0x01, max: 0x1e }),
      fc.integer({ min: 0x00, max: 0x7f }).map((b) => 0xdf00 | b),
      fc.integer({ min: 0x00, max: 0x7f }).map((b) => 0xff00 | b),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(tag, fc.uint8Array({ maxLength: 400 })), { maxLength: 6 }), (items) => {
        const buf = Buffer.concat(items.map(([t, v]) => encodeTlv(t, v)));
        const parsed = readTlvList(buf);
        expect(parsed.map((p) => p.tag)).toEqual(items.map(([t]) => t));
        for (const [i, p] of parsed.entries()) {
          expect(Buffer.from(p.value).equals(Buffer.from(items[i]![1]))).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('never reads past the buffer and fails only with MalformedDataError on random bytes (property, 40 000 cases)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 70 }), (bytes, offset) => {
        try {
          const t = readTlv(bytes, offset);
          expect(t.end).toBeLessThanOrEqual(bytes.length);
          expect(t.value.byteOffset + t.value.length).toBeLessThanOrEqual(bytes.byteOffset + bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedDataError);
        }
      }),
      { numRuns: 40_000 },
    );
  });
});

describe('file parsers against malformed card data', () => {
  const basicFour = (name: Uint8Array, birth = '19800217', sex = '1') =>
    encodeTlv(
      0xff20,
      Buffer.concat([
        encodeTlv(0xdf21, new Uint8Array(8)),
        encodeTlv(0xdf22, name),
        encodeTlv(0xdf23, utf8('東京都千代田区永田町１－７－１')),
        encodeTlv(0xdf24, utf8(birth)),
        encodeTlv(0xdf25, utf8(sex)),
      ]),
    );

  it('keeps a name outside the BMP and with a variation selector exactly', () => {
    const name = '𠮷田\u3000葛\u{E0100}子';
    const parsed = parseBasicFourFile(Uint8Array.from([...basicFour(utf8(name)), 0xff, 0xff]));
    expect(parsed.name).toBe(name);
    expect(parsed.birthDate).toBe('1980-02-17');
    expect(parsed.sex).toBe('male');
  });

  it('refuses invalid UTF-8, impossible dates and unknown sex codes', () => {
    expect(() => parseBasicFourFile(basicFour(Uint8Array.of(0xe3, 0x81)))).toThrow(/UTF-8/);
    expect(() => parseBasicFourFile(basicFour(utf8('a'), '19800230'))).toThrow(/calendar date/);
    expect(() => parseBasicFourFile(basicFour(utf8('a'), '1980021'))).toThrow(/YYYYMMDD/);
    expect(() => parseBasicFourFile(basicFour(utf8('a'), '19800217', '3'))).toThrow(/sex code/);
  });

  it('checks the My Number check digit', () => {
    expect(parseMyNumberFile(Uint8Array.from([...encodeTlv(0xff10, utf8('123456789018')), 0xff, 0xff]))).toBe(
      '123456789018',
    );
    expect(() => parseMyNumberFile(encodeTlv(0xff10, utf8('123456789012')))).toThrow(MalformedDataError);
  });

  it('fails only with MalformedDataError on mutated files (property, 45 000 cases)', () => {
    const seedFour = basicFour(utf8('山田\u3000太郎'));
    const seedFace = encodeTlv(
      0xff20,
      Buffer.concat([
        encodeTlv(0xdf21, new Uint8Array(18)),
        encodeTlv(0xdf22, utf8('19800217')),
        encodeTlv(0xdf23, utf8('2')),
        encodeTlv(0xdf24, new Uint8Array(265)),
        encodeTlv(0xdf25, new Uint8Array(20)),
        encodeTlv(0xdf26, new Uint8Array(20)),
        encodeTlv(0xdf27, Uint8Array.of(0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 1, 2, 3)),
        encodeTlv(0xdf28, new Uint8Array(256)),
        encodeTlv(0xdf29, utf8('20350217')),
        encodeTlv(0xdf2a, new Uint8Array(10)),
      ]),
    );
    expect(parseCardFaceFile(seedFace).photoFormat).toBe('jp2');
    const mutate = (seed: Uint8Array) =>
      fc
        .array(fc.tuple(fc.nat({ max: seed.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 })
        .chain((edits) =>
          fc.nat({ max: seed.length }).map((cut) => {
            const copy = Uint8Array.from(seed);
            for (const [i, b] of edits) copy[i] = b;
            return copy.subarray(0, cut);
          }),
        );
    fc.assert(
      fc.property(mutate(seedFour), (f) => onlyMalformed(() => parseBasicFourFile(f))),
      { numRuns: 15_000 },
    );
    fc.assert(
      fc.property(mutate(seedFace), (f) => onlyMalformed(() => parseCardFaceFile(f))),
      { numRuns: 15_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (f) => onlyMalformed(() => parseMyNumberFile(f))),
      { numRuns: 10_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (f) => onlyMalformed(() => parseCertificate(f))),
      { numRuns: 5_000 },
    );
  });
});
