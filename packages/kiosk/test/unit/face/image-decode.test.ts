import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  cardLikeJp2,
  encodeJpeg,
  encodeJpeg2000,
  encodePng,
  facePath,
  hasOpjCompress,
  skipWithoutFaces,
} from '@myna/devtools/test-support/face-images.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeImage,
  decodeImageFile,
  detectImageFormat,
  ImageDecodeError,
  type ImageDecodeErrorCode,
  initImageCodecs,
} from '../../../src/face/image/decode.ts';
import { createFrame, type Frame } from '../../../src/face/image/frame.ts';
import { readJp2Boxes } from '../../../src/face/image/jpeg2000.ts';

/** A grey gradient with a bright square, R = G = B. */
function greyPattern(width: number, height: number): Frame {
  const frame = createFrame(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inSquare = x >= width / 4 && x < width / 2 && y >= height / 4 && y < height / 2;
      const v = inSquare ? 230 : Math.round((x / width) * 160 + (y / height) * 40);
      frame.data.set([v, v, v, 255], (y * width + x) * 4);
    }
  }
  return frame;
}

/** Colour blocks: red top-left, green top-right, blue bottom-left, white bottom-right. */
function colourQuadrants(width: number, height: number): Frame {
  const frame = createFrame(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const right = x >= width / 2;
      const bottom = y >= height / 2;
      const c = !bottom ? (right ? [0, 255, 0] : [255, 0, 0]) : right ? [255, 255, 255] : [0, 0, 255];
      frame.data.set([...c, 255], (y * width + x) * 4);
    }
  }
  return frame;
}

const pixel = (f: Frame, x: number, y: number) =>
  Array.from(f.data.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4));

function maxDiff(a: Frame, b: Frame): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i]! - b.data[i]!));
  return max;
}

function expectDecodeError(bytes: Uint8Array, code: ImageDecodeErrorCode): ImageDecodeError {
  try {
    decodeImage(bytes, 'test');
  } catch (error) {
    expect(error).toBeInstanceOf(ImageDecodeError);
    const e = error as ImageDecodeError;
    expect(e.code, e.message).toBe(code);
    expect(e.message).toMatch(/^[\x20-\x7e×]*$/);
    return e;
  }
  throw new Error('decoded without an error');
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A greyscale PNG (colour type 0) of 8 or 16 bits, samples 0–255 (scaled ×257 for 16 bits). */
function greyPng(width: number, height: number, bitDepth: 8 | 16, samples: number[]): Uint8Array {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (const s of samples.slice(y * width, (y + 1) * width)) rows.push(...(bitDepth === 8 ? [s] : [s, s]));
  }
  const chunk = (type: string, data: Uint8Array) => {
    const body = concat(Buffer.from(type, 'latin1'), data);
    return concat(Uint8Array.from(u32(data.length)), body, Uint8Array.from(u32(crc32(body))));
  };
  const ihdr = Uint8Array.from([...u32(width), ...u32(height), bitDepth, 0, 0, 0, 0]);
  return concat(
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Uint8Array.from(rows))),
    chunk('IEND', new Uint8Array(0)),
  );
}

const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const box = (type: string, content: ArrayLike<number>) =>
  Uint8Array.from([...u32(8 + content.length), ...Buffer.from(type, 'latin1'), ...Array.from(content)]);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

const opj = await hasOpjCompress();
if (!opj)
  console.warn('opj_compress (Debian libopenjp2-tools) not found: skipping the JPEG 2000 round trips');

beforeAll(async () => {
  await initImageCodecs();
});

describe('decodeImage: JPEG and PNG', () => {
  it('decodes a JPEG it made, within JPEG loss', () => {
    const source = colourQuadrants(64, 48);
    const frame = decodeImage(encodeJpeg(source, 95));
    expect(maxDiff(frame, source)).toBeLessThan(60);
    expect(pixel(frame, 8, 8)[0]).toBeGreaterThan(200);
    expect(pixel(frame, 56, 40)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number), 255]);
    expect(Math.min(...pixel(frame, 56, 40).slice(0, 3))).toBeGreaterThan(230);
  });

  it('honours EXIF orientation 6 (rotate 90° clockwise to view)', () => {
    const source = colourQuadrants(64, 32);
    const plain = encodeJpeg(source, 95);
    // APP1: Exif, big-endian TIFF, one IFD entry: 0x0112 SHORT 1 = 6.
    const tiff = [0x4d, 0x4d, 0, 42, ...u32(8), 0, 1, 0x01, 0x12, 0, 3, ...u32(1), 0, 6, 0, 0, ...u32(0)];
    const content = [...Buffer.from('Exif\0\0', 'latin1'), ...tiff];
    const app1 = [0xff, 0xe1, (content.length + 2) >> 8, (content.length + 2) & 255, ...content];
    const bytes = concat(plain.subarray(0, 2), Uint8Array.from(app1), plain.subarray(2));
    const frame = decodeImage(bytes);
    expect([frame.width, frame.height]).toEqual([32, 64]);
    // Rotated clockwise: the source's bottom-left (blue) is now top-left, top-left (red) top-right.
    expect(pixel(frame, 4, 4)[2]).toBeGreaterThan(200);
    expect(pixel(frame, 28, 4)[0]).toBeGreaterThan(200);
    expect(pixel(frame, 28, 4)[2]).toBeLessThan(60);
  });

  it('decodes RGBA, greyscale and 16-bit greyscale PNG', () => {
    const source = colourQuadrants(20, 10);
    expect(maxDiff(decodeImage(encodePng(source)), source)).toBe(0);

    for (const bitDepth of [8, 16] as const) {
      const samples = [0, 10, 100, 200, 250, 255];
      const frame = decodeImage(greyPng(3, 2, bitDepth, samples));
      expect([frame.width, frame.height]).toEqual([3, 2]);
      expect(pixel(frame, 2, 0)).toEqual([100, 100, 100, 255]);
      expect(pixel(frame, 1, 1)).toEqual([250, 250, 250, 255]);
    }
  });

  it('tells formats by magic bytes, not by name', async () => {
    expect(detectImageFormat(encodePng(colourQuadrants(4, 4)))).toBe('png');
    expect(detectImageFormat(encodeJpeg(colourQuadrants(8, 8)))).toBe('jpeg');
    expect(detectImageFormat(Uint8Array.of(0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20))).toBe('jp2');
    expect(detectImageFormat(Uint8Array.of(0xff, 0x4f, 0xff, 0x51))).toBe('j2k');
    expect(detectImageFormat(new TextEncoder().encode('GIF89a'))).toBeUndefined();
  });
});

describe.skipIf(!opj)('decodeImage: JPEG 2000', () => {
  it('round-trips a greyscale JP2 made by opj_compress (lossless and lossy)', async () => {
    const source = greyPattern(96, 128);
    const lossless = await encodeJpeg2000(source);
    expect(detectImageFormat(lossless)).toBe('jp2');
    expect(maxDiff(decodeImage(lossless, 'card photo'), source)).toBe(0);

    const lossy = await encodeJpeg2000(source, { ratio: 10 });
    const frame = decodeImage(lossy, 'card photo');
    expect(maxDiff(frame, source)).toBeLessThan(40);
    expect(pixel(frame, 40, 50)[0]).toBe(pixel(frame, 40, 50)[1]);
    expect(pixel(frame, 40, 50)[3]).toBe(255);
  });

  it('decodes a raw J2K codestream and an RGB JP2', async () => {
    const grey = greyPattern(64, 64);
    const j2k = await encodeJpeg2000(grey, { format: 'j2k' });
    expect(detectImageFormat(j2k)).toBe('j2k');
    expect(maxDiff(decodeImage(j2k), grey)).toBe(0);

    const colour = colourQuadrants(64, 48);
    expect(maxDiff(decodeImage(await encodeJpeg2000(colour)), colour)).toBe(0);
  });

  it('reads 64-bit and to-the-end box lengths', async () => {
    const jp2 = await encodeJpeg2000(greyPattern(64, 64));
    const boxes = readJp2Boxes(jp2);
    const jp2c = boxes.find((b) => b.type === 'jp2c')!;
    expect(jp2c.end).toBe(jp2.length);
    const head = jp2.subarray(0, jp2c.start - 8);
    const codestream = jp2.subarray(jp2c.start);
    // LBox = 0: the box runs to the end of the file.
    const toEnd = concat(head, Uint8Array.from([0, 0, 0, 0, ...Buffer.from('jp2c')]), codestream);
    expect(maxDiff(decodeImage(toEnd), greyPattern(64, 64))).toBe(0);
    // LBox = 1: XLBox carries the length.
    const xl = concat(
      head,
      Uint8Array.from([0, 0, 0, 1, ...Buffer.from('jp2c'), ...u32(0), ...u32(16 + codestream.length)]),
      codestream,
    );
    expect(maxDiff(decodeImage(xl), greyPattern(64, 64))).toBe(0);
    // An XLBox past the end, and a high word set.
    const past = xl.slice();
    past[head.length + 15] = (past[head.length + 15]! + 1) & 255;
    expectDecodeError(past, 'malformed');
    const high = xl.slice();
    high[head.length + 11] = 1;
    expectDecodeError(high, 'malformed');
  });

  it('refuses broken JPEG 2000 with ImageDecodeError', async () => {
    const jp2 = await encodeJpeg2000(greyPattern(64, 64), { ratio: 5 });
    const jp2c = readJp2Boxes(jp2).find((b) => b.type === 'jp2c')!;
    // Truncated in a box header, and in the middle of the codestream.
    expectDecodeError(jp2.subarray(0, 30), 'malformed');
    expectDecodeError(jp2.subarray(0, jp2c.start + 100), 'malformed');
    // First box length past the end.
    const long = jp2.slice();
    long.set(u32(jp2.length + 100), 12);
    expectDecodeError(long, 'malformed');
    // A box length shorter than its header.
    const short = jp2.slice();
    short.set(u32(4), 12);
    expectDecodeError(short, 'malformed');
    // Noise over the main header after SIZ. (Noise in the entropy-coded data after the headers can
    // decode without any error to a garbage picture: that is for the face match to reject.)
    const noisy = jp2.slice();
    noisy.fill(0xab, jp2c.start + 60);
    expectDecodeError(noisy, 'malformed');
    // Raw codestream cut short.
    const j2k = jp2.subarray(jp2c.start);
    expectDecodeError(j2k.subarray(0, 20), 'malformed');
    expectDecodeError(j2k.subarray(0, j2k.length >> 1), 'malformed');
    // The decoder still works afterwards.
    expect(decodeImage(jp2).width).toBe(64);
  });

  it('refuses a JP2 whose header claims a huge image before decoding', async () => {
    const jp2 = await encodeJpeg2000(greyPattern(64, 64));
    const ihdr = readJp2Boxes(jp2, readJp2Boxes(jp2).find((b) => b.type === 'jp2h')!.start).find(
      (b) => b.type === 'ihdr',
    );
    expect(ihdr).toBeDefined();
    const huge = jp2.slice();
    huge.set([...u32(60_000), ...u32(60_000)], ihdr!.start);
    expectDecodeError(huge, 'too-large');
    // SIZ in a raw codestream: Xsiz at offset 8, Ysiz at 12.
    const j2k = await encodeJpeg2000(greyPattern(64, 64), { format: 'j2k' });
    const bomb = j2k.slice();
    bomb.set([...u32(50_000), ...u32(50_000)], 8);
    expectDecodeError(bomb, 'too-large');
  });
});

describe('decodeImage: malformed input', () => {
  it('refuses random bytes, empty input and other formats as unsupported', () => {
    expectDecodeError(new Uint8Array(0), 'unsupported-format');
    expectDecodeError(Uint8Array.from(randomBytes(1000)).fill(0x42, 0, 1), 'unsupported-format');
    const webp = Uint8Array.from([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8 ')]);
    expect(expectDecodeError(webp, 'unsupported-format').message).toContain('WebP');
  });

  it('refuses a JP2 signature with nothing after it, and boxes out of order', () => {
    const signature = Uint8Array.of(0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a);
    expectDecodeError(signature.subarray(0, 8), 'malformed');
    expectDecodeError(signature, 'malformed');
    expectDecodeError(concat(signature, box('ftyp', Buffer.from('jp2 \0\0\0\0jp2 '))), 'malformed');
    expectDecodeError(concat(signature, box('jp2c', [0xff, 0x4f, 0xff, 0x51])), 'malformed');
    expectDecodeError(concat(signature, Uint8Array.of(0, 0, 0, 5, 1, 2, 3, 4, 5)), 'malformed');
  });

  it('refuses a PNG header with absurd dimensions before allocating, and a corrupt PNG', () => {
    const png = encodePng(greyPattern(16, 16));
    const huge = png.slice();
    huge.set([...u32(100_000), ...u32(100_000)], 16);
    expectDecodeError(huge, 'too-large');
    const zero = png.slice();
    zero.set(u32(0), 16);
    expectDecodeError(zero, 'malformed');
    expectDecodeError(png.subarray(0, 20), 'malformed');
    expectDecodeError(png.subarray(0, png.length - 30), 'malformed');
    const flipped = png.slice();
    flipped[40] = flipped[40]! ^ 0xff;
    expectDecodeError(flipped, 'malformed');
  });

  it('refuses a JPEG with absurd dimensions, truncated or corrupt', () => {
    const jpg = encodeJpeg(greyPattern(64, 64), 90);
    // The encoder writes SOF0 after the quantisation tables: find FF C0.
    const sof = jpg.findIndex((b, i) => b === 0xff && jpg[i + 1] === 0xc0);
    const huge = jpg.slice();
    huge.set([60_000 >> 8, 60_000 & 255, 60_000 >> 8, 60_000 & 255], sof + 5);
    expectDecodeError(huge, 'too-large');
    expectDecodeError(jpg.subarray(0, 10), 'malformed');
    expectDecodeError(jpg.subarray(0, jpg.length >> 1), 'malformed');
    const badLength = jpg.slice();
    badLength.set([0xff, 0xff], 4);
    expectDecodeError(badLength, 'malformed');
  });

  it('refuses a JPEG whose image data is damaged past a sound header, and goes on decoding', () => {
    const jpg = encodeJpeg(colourQuadrants(64, 48), 90);
    const damaged = jpg.slice();
    // Markers in the middle of the scan: the decoder would fill the rest with grey.
    damaged.fill(0xd9, jpg.length - 200, jpg.length - 100);
    for (let i = jpg.length - 200; i < jpg.length - 100; i += 2) damaged[i] = 0xff;
    expectDecodeError(damaged, 'malformed');
    expect(decodeImage(jpg).width).toBe(64);
  });

  it('gives a typed error for a missing file', async () => {
    await expect(decodeImageFile('/nonexistent/photo.jpg')).rejects.toMatchObject({ code: 'malformed' });
  });
});

describe.skipIf(skipWithoutFaces())('decodeImage: development photos', () => {
  it('decodes a set-a JPEG, and a card-like JP2 made from it', async () => {
    const photo = await decodeImageFile(facePath('img1.jpg'));
    expect([photo.width, photo.height]).toEqual([1382, 1868]);
    if (!opj) return;
    const jp2 = await cardLikeJp2(facePath('img1.jpg'));
    expect(jp2.length).toBeLessThan(8000);
    const card = decodeImage(jp2, 'card photo');
    expect(card.height).toBe(240);
    expect(card.width).toBeGreaterThan(150);
    expect(card.width).toBeLessThan(240);
    expect(pixel(card, 90, 120)[0]).toBe(pixel(card, 90, 120)[2]);
  });

  it('refuses the WebP among the .jpg files as unsupported', async () => {
    await expect(decodeImageFile(facePath('img47.jpg'))).rejects.toMatchObject({
      code: 'unsupported-format',
    });
  });
});
