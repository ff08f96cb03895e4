/**
 * Baseline and progressive JPEG decoded by libjpeg (mozjpeg's decoder as WebAssembly, from
 * @jsquash/jpeg): five times as fast as a decoder in JavaScript on a 1280×960 tray photo, which the
 * card-front reader decodes for every read. Loaded synchronously on first use (emscripten.ts); its
 * start defines a plain global ImageData where Node has none, which it returns pixels in. The caller
 * reads the header and checks the size before any pixel is decoded.
 */
import { createRequire } from 'node:module';
import mozjpegFactory from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import { startEmscripten } from './emscripten.ts';
import { ImageDecodeError } from './errors.ts';

interface MozJpegModule {
  decode(
    bytes: Uint8Array,
    preserveOrientation: boolean,
  ): { width: number; height: number; data: Uint8ClampedArray } | null;
}

let mozjpeg: MozJpegModule | undefined;
/** What libjpeg says while decoding: a warning means damaged data it would paint over. */
const messages: string[] = [];

/** Makes the decoder ready (see initImageCodecs); decoding calls it anyway. */
export function loadMozJpeg(): MozJpegModule {
  if (mozjpeg) return mozjpeg;
  try {
    const require = createRequire(import.meta.url);
    const started = startEmscripten(
      mozjpegFactory as unknown as Parameters<typeof startEmscripten>[0],
      require.resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'),
      messages,
    );
    const decode = started.decode as MozJpegModule['decode'] | undefined;
    if (typeof decode !== 'function') throw new Error('mozjpeg did not start synchronously');
    mozjpeg = { decode: (bytes, preserve) => decode.call(started, bytes, preserve) };
    return mozjpeg;
  } catch (error) {
    throw new ImageDecodeError('unsupported-format', 'JPEG decoder (mozjpeg WASM) failed to load', {
      cause: error,
    });
  }
}

/**
 * The RGBA pixels of a JPEG whose header has been read and checked. A truncated or corrupt photo
 * is refused rather than shown half grey.
 */
export function decodeJpegPixels(
  bytes: Uint8Array,
  what: string,
): { width: number; height: number; data: Uint8ClampedArray } {
  const module = loadMozJpeg();
  messages.length = 0;
  let decoded: ReturnType<MozJpegModule['decode']>;
  try {
    // Orientation is the caller's to apply (it reads EXIF itself).
    decoded = module.decode(bytes, false);
  } catch (error) {
    // libjpeg gave up (no image, a table it cannot use): the module itself stays usable.
    throw new ImageDecodeError('malformed', `${what}: could not be decoded (${said()})`, {
      cause: error instanceof Error ? error : undefined,
    });
  }
  const warned = said();
  if (!decoded) throw new ImageDecodeError('malformed', `${what}: could not be decoded`);
  if (warned) {
    decoded.data.fill(0);
    throw new ImageDecodeError('malformed', `${what}: damaged (${warned})`);
  }
  return decoded;
}

/** libjpeg's own words since the last call, which name a fault, never the image's content. */
function said(): string {
  const words = messages.join('; ').slice(0, 200);
  messages.length = 0;
  return words;
}
