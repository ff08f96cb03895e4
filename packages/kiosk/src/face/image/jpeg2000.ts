/**
 * JPEG 2000 (the My Number card's face photo): the JP2 box structure is parsed here with strict
 * bounds checks and only the `jp2c` codestream goes to the OpenJPEG WebAssembly build
 * (@cornerstonejs/codec-openjpeg, decoder-only module). The codestream's SIZ marker is read here
 * too, so sizes are checked before OpenJPEG allocates anything.
 */
import { createRequire } from 'node:module';
import { startEmscripten } from './emscripten.ts';
import { checkDimensions, ImageDecodeError } from './errors.ts';
import { createFrame, type Frame } from './frame.ts';

/** JP2 signature box: length 12, type 'jP  ', content 0D 0A 87 0A. */
const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

export function isJp2(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && JP2_SIGNATURE.slice(0, 8).every((b, i) => bytes[i] === b);
}

/** A raw codestream starts with SOC (FF 4F) followed by SIZ (FF 51). */
export function isJ2kCodestream(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0x4f && bytes[2] === 0xff && bytes[3] === 0x51
  );
}

export interface Jp2Box {
  /** Four-character type, e.g. 'jp2c'. */
  readonly type: string;
  /** Offset of the box's content (after the header) in the buffer given. */
  readonly start: number;
  /** Offset just past the box's content. */
  readonly end: number;
}

const typeName = (bytes: Uint8Array, at: number) =>
  String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!).replace(
    /[^\x20-\x7e]/g,
    '?',
  );

/**
 * The boxes laid end to end in `bytes[start, end)` (ISO/IEC 15444-1 Annex I): LBox 0 = to the end of
 * the enclosing space, LBox 1 = a 64-bit XLBox follows, LBox 2..7 are invalid. Anything that does not
 * fit exactly is `malformed`.
 */
export function readJp2Boxes(bytes: Uint8Array, start = 0, end = bytes.length): Jp2Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Jp2Box[] = [];
  let at = start;
  while (at < end) {
    if (end - at < 8) throw new ImageDecodeError('malformed', `JP2: truncated box header at offset ${at}`);
    const lbox = view.getUint32(at);
    const type = typeName(bytes, at + 4);
    let headerLength = 8;
    let length: number;
    if (lbox === 0) {
      length = end - at;
    } else if (lbox === 1) {
      if (end - at < 16) throw new ImageDecodeError('malformed', `JP2: truncated XLBox of '${type}' box`);
      const high = view.getUint32(at + 8);
      const low = view.getUint32(at + 12);
      // Anything with a non-zero high word is past any buffer we would hold.
      if (high !== 0) throw new ImageDecodeError('malformed', `JP2: '${type}' box length runs past the end`);
      headerLength = 16;
      length = low;
    } else {
      length = lbox;
    }
    if (length < headerLength) {
      throw new ImageDecodeError(
        'malformed',
        `JP2: '${type}' box length ${length} is shorter than its header`,
      );
    }
    if (length > end - at) {
      throw new ImageDecodeError('malformed', `JP2: '${type}' box length ${length} runs past the end`);
    }
    boxes.push({ type, start: at + headerLength, end: at + length });
    at += length;
  }
  return boxes;
}

export interface Jp2Info {
  /** The contiguous codestream (content of the first 'jp2c' box). */
  readonly codestream: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly components: number;
  /** Enumerated colour space of the 'colr' box (16 sRGB, 17 greyscale, 18 sYCC), when given. */
  readonly enumeratedColourSpace?: number;
}

/** Walks a JP2 file: signature, ftyp, jp2h (ihdr, colr), jp2c. */
export function parseJp2(bytes: Uint8Array): Jp2Info {
  const boxes = readJp2Boxes(bytes);
  const [signature, ftyp] = boxes;
  if (
    signature?.type !== 'jP  ' ||
    signature.end - signature.start !== 4 ||
    !JP2_SIGNATURE.slice(8).every((b, i) => bytes[signature.start + i] === b)
  ) {
    throw new ImageDecodeError('malformed', 'JP2: bad signature box');
  }
  if (ftyp?.type !== 'ftyp' || ftyp.end - ftyp.start < 8 || (ftyp.end - ftyp.start) % 4 !== 0) {
    throw new ImageDecodeError('malformed', 'JP2: the file type box does not follow the signature');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = boxes.find((b) => b.type === 'jp2h');
  if (!header) throw new ImageDecodeError('malformed', 'JP2: no header box');
  const headerBoxes = readJp2Boxes(bytes, header.start, header.end);
  const ihdr = headerBoxes[0];
  if (ihdr?.type !== 'ihdr' || ihdr.end - ihdr.start !== 14) {
    throw new ImageDecodeError('malformed', 'JP2: the header box does not start with a 14-byte image header');
  }
  const height = view.getUint32(ihdr.start);
  const width = view.getUint32(ihdr.start + 4);
  const components = view.getUint16(ihdr.start + 8);
  checkDimensions(width, height, 'JP2 image header');
  if (headerBoxes.some((b) => b.type === 'pclr')) {
    throw new ImageDecodeError('unsupported-format', 'JP2: palette images are not supported');
  }
  let enumeratedColourSpace: number | undefined;
  const colr = headerBoxes.find((b) => b.type === 'colr');
  if (colr && colr.end - colr.start >= 7 && bytes[colr.start] === 1) {
    enumeratedColourSpace = view.getUint32(colr.start + 3);
  }
  const jp2c = boxes.find((b) => b.type === 'jp2c');
  if (!jp2c) throw new ImageDecodeError('malformed', 'JP2: no contiguous codestream box');
  const codestream = bytes.subarray(jp2c.start, jp2c.end);
  return { codestream, width, height, components, enumeratedColourSpace };
}

export interface SizInfo {
  readonly width: number;
  readonly height: number;
  readonly components: ReadonlyArray<{ readonly precision: number; readonly signed: boolean }>;
}

/** Reads the SIZ marker segment that follows SOC (ISO/IEC 15444-1 A.5.1). */
export function readSiz(codestream: Uint8Array): SizInfo {
  if (!isJ2kCodestream(codestream)) {
    throw new ImageDecodeError('malformed', 'JPEG 2000: codestream does not start with SOC, SIZ');
  }
  if (codestream.length < 6) throw new ImageDecodeError('malformed', 'JPEG 2000: truncated SIZ');
  const view = new DataView(codestream.buffer, codestream.byteOffset, codestream.byteLength);
  const lsiz = view.getUint16(4);
  if (lsiz < 41 || 4 + lsiz > codestream.length) {
    throw new ImageDecodeError('malformed', 'JPEG 2000: truncated SIZ');
  }
  const xsiz = view.getUint32(8);
  const ysiz = view.getUint32(12);
  const xosiz = view.getUint32(16);
  const yosiz = view.getUint32(20);
  const csiz = view.getUint16(40);
  if (lsiz !== 38 + 3 * csiz) {
    throw new ImageDecodeError('malformed', `JPEG 2000: SIZ length ${lsiz} does not fit ${csiz} components`);
  }
  if (xosiz >= xsiz || yosiz >= ysiz) {
    throw new ImageDecodeError('malformed', 'JPEG 2000: image offset outside the reference grid');
  }
  const width = xsiz - xosiz;
  const height = ysiz - yosiz;
  checkDimensions(width, height, 'JPEG 2000 codestream');
  const components: { precision: number; signed: boolean }[] = [];
  for (let c = 0; c < csiz; c++) {
    const ssiz = codestream[42 + 3 * c]!;
    const xr = codestream[43 + 3 * c]!;
    const yr = codestream[44 + 3 * c]!;
    if (xr !== 1 || yr !== 1) {
      throw new ImageDecodeError('unsupported-format', 'JPEG 2000: subsampled components are not supported');
    }
    const precision = (ssiz & 0x7f) + 1;
    if (precision > 16) {
      throw new ImageDecodeError(
        'unsupported-format',
        `JPEG 2000: ${precision}-bit samples are not supported`,
      );
    }
    components.push({ precision, signed: (ssiz & 0x80) !== 0 });
  }
  // The WASM decoder throws (a C++ exception) on 4-component images: grey and RGB only.
  if (csiz !== 1 && csiz !== 3) {
    throw new ImageDecodeError('unsupported-format', `JPEG 2000: ${csiz} components are not supported`);
  }
  if (components.some((c) => c.signed || c.precision !== components[0]!.precision)) {
    throw new ImageDecodeError('unsupported-format', 'JPEG 2000: signed or mixed-precision samples');
  }
  return { width, height, components };
}

// --- OpenJPEG -------------------------------------------------------------------------------------

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): FrameInfo;
  decode(): void;
  delete(): void;
}

interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoder;
}

let openJpeg: OpenJpegModule | undefined;
/** What OpenJPEG printed during the current decode: it reports errors by printing, not throwing. */
const openJpegMessages: string[] = [];

/** Loads the decoder-only OpenJPEG WASM module once, synchronously (the .wasm is 260 kB, ~10 ms). */
export function loadOpenJpeg(): OpenJpegModule {
  if (openJpeg) return openJpeg;
  try {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/decodewasmjs');
    const started = startEmscripten(
      factory,
      require.resolve('@cornerstonejs/codec-openjpeg/decodewasm'),
      openJpegMessages,
    );
    const J2KDecoder = started.J2KDecoder as OpenJpegModule['J2KDecoder'] | undefined;
    if (typeof J2KDecoder !== 'function') throw new Error('OpenJPEG did not start synchronously');
    openJpeg = { J2KDecoder };
    return openJpeg;
  } catch (error) {
    throw new ImageDecodeError('unsupported-format', 'JPEG 2000 decoder (OpenJPEG WASM) failed to load', {
      cause: error,
    });
  }
}

/** Decodes a raw codestream (SOC, SIZ, ...) to an RGBA frame. */
export function decodeJ2kCodestream(codestream: Uint8Array, what = 'JPEG 2000'): Frame {
  const siz = readSiz(codestream);
  const module = loadOpenJpeg();
  openJpegMessages.length = 0;
  let decoder: J2KDecoder | undefined;
  let rgba: Uint8ClampedArray;
  try {
    decoder = new module.J2KDecoder();
    const encoded = decoder.getEncodedBuffer(codestream.length);
    encoded.set(codestream);
    try {
      decoder.decode();
    } finally {
      encoded.fill(0);
    }
    const errors = openJpegMessages.filter((m) => m.includes('[ERROR]'));
    const info = decoder.getFrameInfo();
    if (errors.length > 0 || info.width !== siz.width || info.height !== siz.height) {
      throw new ImageDecodeError('malformed', `${what}: OpenJPEG could not decode the codestream`, {
        cause: new Error(errors.join('; ') || 'decoded size differs from SIZ'),
      });
    }
    const decoded = decoder.getDecodedBuffer();
    rgba = toRgba(decoded, info, siz, what);
    decoded.fill(0);
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    // A WASM trap (abort, out of memory) may leave the module unusable: start afresh next time.
    openJpeg = undefined;
    decoder = undefined;
    throw new ImageDecodeError('malformed', `${what}: OpenJPEG failed`, { cause: error });
  } finally {
    openJpegMessages.length = 0;
    decoder?.delete();
  }
  return createFrame(siz.width, siz.height, rgba);
}

function toRgba(decoded: Uint8Array, info: FrameInfo, siz: SizInfo, what: string): Uint8ClampedArray {
  const pixels = info.width * info.height;
  const channels = info.componentCount;
  const wide = info.bitsPerSample > 8;
  if (channels !== siz.components.length || decoded.length !== pixels * channels * (wide ? 2 : 1)) {
    throw new ImageDecodeError('malformed', `${what}: decoded buffer does not match the header`);
  }
  const max = 2 ** info.bitsPerSample - 1;
  const scale = 255 / max;
  const sample = wide
    ? (i: number) => Math.round((decoded[2 * i]! | (decoded[2 * i + 1]! << 8)) * scale)
    : info.bitsPerSample === 8
      ? (i: number) => decoded[i]!
      : (i: number) => Math.round(decoded[i]! * scale);
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const o = p * 4;
    if (channels === 1) {
      const v = sample(p);
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = 255;
    } else {
      const s = p * channels;
      out[o] = sample(s);
      out[o + 1] = sample(s + 1);
      out[o + 2] = sample(s + 2);
      out[o + 3] = 255;
    }
  }
  return out;
}

/** Decodes a JP2 file (signature box first) to an RGBA frame. */
export function decodeJp2(bytes: Uint8Array, what = 'JP2'): Frame {
  const info = parseJp2(bytes);
  if (info.enumeratedColourSpace === 18) {
    throw new ImageDecodeError('unsupported-format', `${what}: sYCC colour space is not supported`);
  }
  const siz = readSiz(info.codestream);
  if (siz.width !== info.width || siz.height !== info.height || siz.components.length !== info.components) {
    throw new ImageDecodeError('malformed', `${what}: image header and codestream disagree on the size`);
  }
  return decodeJ2kCodestream(info.codestream, what);
}
