/**
 * Decoding of the images the kiosk meets into RGBA frames: JPEG (libjpeg as WebAssembly, see
 * mozjpeg.ts), PNG (pngjs, any bit depth and colour type), JPEG 2000 as a JP2 file or a raw
 * codestream (OpenJPEG WASM, see jpeg2000.ts).
 * The format is told by magic bytes only. Dimensions are read from the header and checked against
 * {@link MAX_IMAGE_PIXELS} and {@link MAX_IMAGE_SIDE} before any pixel buffer is allocated. Every failure is an
 * {@link ImageDecodeError}; nothing else escapes.
 *
 * JPEG EXIF orientation (tag 0x0112 in APP1) is honoured: the frame comes back as meant to be seen.
 * PNG alpha is kept; JPEG and JPEG 2000 without alpha get A = 255.
 */
import { readFile, stat } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { checkDimensions, ImageDecodeError } from './errors.ts';
import { createFrame, type Frame } from './frame.ts';
import { decodeJ2kCodestream, decodeJp2, isJ2kCodestream, isJp2, loadOpenJpeg } from './jpeg2000.ts';
import { decodeJpegPixels, loadMozJpeg } from './mozjpeg.ts';
import { applyExifOrientation } from './ops.ts';

export { ImageDecodeError, type ImageDecodeErrorCode, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from './errors.ts';

export type ImageFormat = 'jpeg' | 'png' | 'jp2' | 'j2k';

/** Largest file `decodeImageFile` reads, in bytes. */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format the magic bytes announce, or undefined. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (isJp2(bytes)) return 'jp2';
  if (isJ2kCodestream(bytes)) return 'j2k';
  return undefined;
}

/**
 * Makes the JPEG and JPEG 2000 decoders ready. Decoding loads them on first use anyway
 * (synchronously, ~10 ms each); call this at start-up to take that cost, and any failure to load,
 * before the first card is read.
 */
export async function initImageCodecs(): Promise<void> {
  loadMozJpeg();
  loadOpenJpeg();
}

/** A printable label for messages: the caller's hint, never image bytes. */
function label(format: string, hint?: string): string {
  const clean = hint?.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
  return clean ? `${format} (${clean})` : format;
}

/**
 * Decodes an image to an RGBA frame. `hint` is a label for error messages (e.g. 'card photo' or a
 * file name); it plays no part in telling the format.
 */
export function decodeImage(bytes: Uint8Array, hint?: string): Frame {
  try {
    return decodeByFormat(bytes, hint);
  } catch (error) {
    // Errors from deep inside a format (a JP2 box, a PNG chunk) name the part, not the file:
    // clinic IT needs both.
    if (error instanceof ImageDecodeError && hint && !error.message.includes(hint)) {
      throw new ImageDecodeError(error.code, `${hint}: ${error.message}`, { cause: error.cause });
    }
    throw error;
  }
}

function decodeByFormat(bytes: Uint8Array, hint?: string): Frame {
  const format = detectImageFormat(bytes);
  switch (format) {
    case 'jpeg':
      return decodeJpeg(bytes, label('JPEG', hint));
    case 'png':
      return decodePng(bytes, label('PNG', hint));
    case 'jp2':
      return decodeJp2(bytes, label('JP2', hint));
    case 'j2k':
      return decodeJ2kCodestream(bytes, label('JPEG 2000 codestream', hint));
    default: {
      const riff = String.fromCharCode(...bytes.subarray(0, 4), ...bytes.subarray(8, 12));
      const known = riff === 'RIFFWEBP' ? 'WebP is not supported' : 'unknown signature';
      throw new ImageDecodeError(
        'unsupported-format',
        `${label('image', hint)}: not JPEG, PNG or JPEG 2000 (${bytes.length} bytes, ${known})`,
      );
    }
  }
}

/** Reads and decodes a file; the file name is used in error messages. */
export async function decodeImageFile(path: string): Promise<Frame> {
  const name = path.split(/[\\/]/).pop();
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new ImageDecodeError('malformed', `${label('image', name)}: cannot be read`, { cause: error });
  }
  if (size > MAX_IMAGE_FILE_BYTES) {
    throw new ImageDecodeError('too-large', `${label('image', name)}: ${size} bytes is over the file limit`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ImageDecodeError('malformed', `${label('image', name)}: cannot be read`, { cause: error });
  }
  await initImageCodecs();
  return decodeImage(bytes, name);
}

// --- JPEG -----------------------------------------------------------------------------------------

interface JpegHeader {
  width: number;
  height: number;
  orientation: number;
}

/** SOF markers decoded: baseline, extended and progressive Huffman. */
const SUPPORTED_SOF = new Set([0xc0, 0xc1, 0xc2]);
/** All other frame headers (lossless, hierarchical, arithmetic). */
const OTHER_SOF = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Walks the marker segments up to the frame header for the size and the EXIF orientation. */
export function readJpegHeader(bytes: Uint8Array, what = 'JPEG'): JpegHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let orientation = 1;
  let at = 2;
  for (;;) {
    // Fill bytes (FF) may precede a marker.
    while (at < bytes.length && bytes[at] === 0xff && bytes[at + 1] === 0xff) at++;
    if (at + 4 > bytes.length)
      throw new ImageDecodeError('malformed', `${what}: no frame header before the end`);
    if (bytes[at] !== 0xff)
      throw new ImageDecodeError('malformed', `${what}: marker expected at offset ${at}`);
    const marker = bytes[at + 1]!;
    if (marker === 0xd9 || marker === 0xda) {
      throw new ImageDecodeError('malformed', `${what}: no frame header before the image data`);
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = view.getUint16(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) {
      throw new ImageDecodeError(
        'malformed',
        `${what}: segment length ${length} at offset ${at} runs past the end`,
      );
    }
    const start = at + 4;
    const end = at + 2 + length;
    if (marker === 0xe1 && orientation === 1) orientation = readExifOrientation(bytes.subarray(start, end));
    if (SUPPORTED_SOF.has(marker) || OTHER_SOF.has(marker)) {
      if (length < 8) throw new ImageDecodeError('malformed', `${what}: short frame header`);
      if (OTHER_SOF.has(marker)) {
        throw new ImageDecodeError(
          'unsupported-format',
          `${what}: lossless, hierarchical or arithmetic coding`,
        );
      }
      const height = view.getUint16(start + 1);
      const width = view.getUint16(start + 3);
      checkDimensions(width, height, what);
      return { width, height, orientation };
    }
    at = end;
  }
}

/** EXIF orientation (1–8) from an APP1 segment's content; 1 where absent or unreadable. */
function readExifOrientation(app1: Uint8Array): number {
  // "Exif\0\0" then a TIFF header.
  if (app1.length < 14 || String.fromCharCode(...app1.subarray(0, 4)) !== 'Exif') return 1;
  const tiff = app1.subarray(6);
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const order = String.fromCharCode(tiff[0]!, tiff[1]!);
  if (order !== 'II' && order !== 'MM') return 1;
  const little = order === 'II';
  if (view.getUint16(2, little) !== 42) return 1;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return 1;
  const count = view.getUint16(ifd, little);
  for (let e = 0; e < count; e++) {
    const entry = ifd + 2 + e * 12;
    if (entry + 12 > tiff.length) return 1;
    if (view.getUint16(entry, little) === 0x0112) {
      const type = view.getUint16(entry + 2, little);
      const value = type === 3 ? view.getUint16(entry + 8, little) : 1;
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

function decodeJpeg(bytes: Uint8Array, what: string): Frame {
  const header = readJpegHeader(bytes, what);
  const decoded = decodeJpegPixels(bytes, what);
  const { data } = decoded;
  if (decoded.width !== header.width || decoded.height !== header.height) {
    data.fill(0);
    throw new ImageDecodeError('malformed', `${what}: decoded size differs from the frame header`);
  }
  const frame = createFrame(decoded.width, decoded.height, data);
  if (header.orientation === 1) return frame;
  const oriented = applyExifOrientation(frame, header.orientation);
  data.fill(0);
  return oriented;
}

// --- PNG ------------------------------------------------------------------------------------------

function decodePng(bytes: Uint8Array, what: string): Frame {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    bytes.length < 33 ||
    view.getUint32(8) !== 13 ||
    String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR'
  ) {
    throw new ImageDecodeError('malformed', `${what}: no image header`);
  }
  checkDimensions(view.getUint32(16), view.getUint32(20), what);
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new ImageDecodeError('malformed', `${what}: could not be decoded`, { cause: error });
  }
  if (png.data.length !== png.width * png.height * 4) {
    throw new ImageDecodeError('malformed', `${what}: decoded buffer does not match the header`);
  }
  // pngjs may hand back a slice of a shared buffer: copy, then clear its copy.
  const frame = createFrame(png.width, png.height, new Uint8ClampedArray(png.data));
  png.data.fill(0);
  return frame;
}
