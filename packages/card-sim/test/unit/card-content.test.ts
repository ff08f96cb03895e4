import { createHash, createPublicKey, verify as verifySignature, X509Certificate } from 'node:crypto';
import { CARD_FACE, JPKI, TEXT_INFO } from '@myna/card/spec.js';
import { describe, expect, it } from 'vitest';
import { peopleFile } from '../../src/people.ts';
import { loadPerson } from '../../src/person.ts';
import { loadTestPki } from '../../src/test-pki.ts';
import { card, readAll, selectApp, selectEf, sw, verify } from './card-helpers.ts';
import { children, readTlv } from './tlv-reader.ts';

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const issuerPublicKey = () => createPublicKey(loadTestPki().issuerKey);

function textInfoFile(person: string, ef: number): Buffer {
  const c = card(person);
  sw(c, selectApp('textInfo'));
  sw(c, selectEf(TEXT_INFO.ef.pin));
  sw(c, verify(loadPerson(peopleFile(person)).pin!));
  sw(c, selectEf(ef));
  return readAll(c);
}

function checkOffsets(file: Buffer, expectedTags: number[]) {
  const record = readTlv(file, 0);
  const [offsets, ...items] = children(record, file);
  expect(offsets!.tag).toBe(0xdf21);
  expect(items.map((i) => i.tag)).toEqual(expectedTags);
  const listed = Array.from({ length: items.length }, (_, i) => offsets!.value.readUInt16BE(i * 2));
  expect(listed).toEqual(items.map((i) => i.at));
  return { record, items };
}

describe('input support AP files', () => {
  it('My Number EF: FF 10 0C + 12 digits + FF FF', () => {
    expect(textInfoFile('middle-aged', TEXT_INFO.ef.myNumber).toString('latin1')).toBe(
      '\xff\x10\x0c314159265352\xff\xff',
    );
  });

  it('basic four keeps rare kanji and variation selectors exactly, with absolute offsets', () => {
    const file = textInfoFile('young-rare-kanji', TEXT_INFO.ef.basicFour);
    const { items } = checkOffsets(file, [0xdf22, 0xdf23, 0xdf24, 0xdf25]);
    const person = loadPerson(peopleFile('young-rare-kanji'));
    expect(items[0]!.value).toEqual(Buffer.from('𠮷髙\u3000葛\u{E0100}乃', 'utf8'));
    expect(items[0]!.value.toString('utf8')).toBe(person.name);
    expect(items[2]!.value.toString('latin1')).toBe('19980714');
    expect(items[3]!.value.toString('latin1')).toBe('2');
    expect(file[file.length - 1]).toBe(0xff);
  });

  it('a long address uses BER 81 / 82 lengths', () => {
    const file = textInfoFile('long-address', TEXT_INFO.ef.basicFour);
    expect(file[0]).toBe(0xff);
    expect(file[1]).toBe(0x20);
    expect(file[2]).toBe(0x82);
    const { items } = checkOffsets(file, [0xdf22, 0xdf23, 0xdf24, 0xdf25]);
    expect(items[1]!.header).toBe(5); // DF 23 82 LL LL: over 255 bytes of UTF-8
    expect(items[1]!.value.toString('utf8')).toBe(loadPerson(peopleFile('long-address')).address);
  });

  it('integrity record hashes EF 0001 and the basic four, signed by the test issuer', () => {
    const myNumber = textInfoFile('middle-aged', TEXT_INFO.ef.myNumber);
    const basicFour = textInfoFile('middle-aged', TEXT_INFO.ef.basicFour);
    const file = textInfoFile('middle-aged', TEXT_INFO.ef.integrity);
    const record = readTlv(file, 0);
    expect(record.tag).toBe(0xff30);
    const [h1, h2, signature] = children(record, file);
    expect(h1!.value).toEqual(sha256(myNumber.subarray(0, 15)));
    const items = children(readTlv(basicFour, 0), basicFour).slice(1);
    expect(h2!.value).toEqual(sha256(...items.map((i) => i.raw)));
    expect(
      verifySignature('sha256', Buffer.concat([h1!.value, h2!.value]), issuerPublicKey(), signature!.value),
    ).toBe(true);
  });
});

describe('card-face AP files', () => {
  function faceFile(person: string): Buffer {
    const c = card(person);
    sw(c, selectApp('cardFace'));
    sw(c, selectEf(CARD_FACE.ef.verificationA));
    sw(c, verify(loadPerson(peopleFile(person)).myNumber));
    sw(c, selectEf(CARD_FACE.ef.face));
    return readAll(c);
  }

  it('FF20 82 LLLL with 9 offsets, the JP2 photo, and DF28 over the three hashes', () => {
    const file = faceFile('elderly');
    expect(file.subarray(0, 3)).toEqual(Buffer.from([0xff, 0x20, 0x82]));
    const tags = [0xdf22, 0xdf23, 0xdf24, 0xdf25, 0xdf26, 0xdf27, 0xdf28, 0xdf29, 0xdf2a];
    const { items } = checkOffsets(file, tags);
    const [birth, sex, key, nameImage, addressImage, photo, signature, expiry, codeImage] = items as [
      ...typeof items,
    ];
    expect(birth!.value.toString('latin1')).toBe('19410303');
    expect(sex!.value.toString('latin1')).toBe('2');
    expect(key!.value.length).toBe(265);
    expect(photo!.value.subarray(0, 8)).toEqual(Buffer.from('0000000c6a502020', 'hex'));
    expect(photo!.value).toEqual(Buffer.from(loadPerson(peopleFile('elderly')).photoJp2));
    expect(signature!.value.length).toBe(256);
    expect(expiry!.value.toString('latin1')).toBe('20310303');
    for (const image of [nameImage!, addressImage!, codeImage!]) {
      expect(image.value.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
    expect(codeImage!.value.readUInt32BE(16)).toBe(24); // IHDR width
    expect(codeImage!.value.readUInt32BE(20)).toBe(12);
    const hashes = Buffer.concat([
      sha256(birth!.raw, sex!.raw, key!.raw),
      sha256(nameImage!.raw, addressImage!.raw),
      sha256(photo!.raw),
    ]);
    expect(verifySignature('sha256', hashes, issuerPublicKey(), signature!.value)).toBe(true);
  });

  it('My Number image is a 72×12 PNG', () => {
    const c = card();
    sw(c, selectApp('cardFace'));
    sw(c, selectEf(CARD_FACE.ef.verificationA));
    sw(c, verify('314159265352'));
    sw(c, selectEf(CARD_FACE.ef.myNumberImage));
    const png = readAll(c);
    expect(png.readUInt32BE(16)).toBe(72);
    expect(png.readUInt32BE(20)).toBe(12);
  });
});

describe('certificates', () => {
  it('each person has a unique serial, and the expired card an expired certificate', () => {
    const serials = new Set<string>();
    for (const person of ['middle-aged', 'elderly', 'expired-certificate', 'pinless']) {
      const c = card(person);
      sw(c, selectApp('jpki'));
      sw(c, selectEf(JPKI.ef.authCertificate));
      const file = readAll(c);
      const cert = new X509Certificate(file.subarray(0, file.readUInt16BE(2) + 4));
      serials.add(cert.serialNumber);
      const expired = new Date(cert.validTo) < new Date();
      expect(expired).toBe(person === 'expired-certificate');
    }
    expect(serials.size).toBe(4);
  });

  it('separate loads see the same keys (the on-disk cache)', () => {
    const read = () => {
      const c = card('elderly');
      sw(c, selectApp('jpki'));
      sw(c, selectEf(JPKI.ef.authCertificate));
      return readAll(c);
    };
    expect(read()).toEqual(read());
  });
});
