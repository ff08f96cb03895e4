import { CodedError } from '@myna/protocol/coded-error.js';

/** Why an image would not decode. */
export const IMAGE_DECODE_ERROR_CODES = [
  /** Not a format we read (magic bytes unknown), or a feature of a known format we do not support. */
  'unsupported-format',
  /** The bytes claim a known format but break its rules: truncated, bad lengths, bad checksums. */
  'malformed',
  /** Declared dimensions over the limit: refused before any pixel buffer is allocated. */
  'too-large',
] as const;
export type ImageDecodeErrorCode = (typeof IMAGE_DECODE_ERROR_CODES)[number];

/**
 * A photo that will not decode. The message names the format, the label the caller gave (e.g. "card
 * photo") and what was wrong; it never quotes image bytes. The library error, where there is one, is
 * kept as `cause` for debugging.
 */
export class ImageDecodeError extends CodedError<ImageDecodeErrorCode> {}

/**
 * Largest image we decode: 8192 × 6144 pixels' worth (50 MP, 192 MiB as RGBA), and no side over
 * 12,000 px. Anything bigger is refused from its header, as a decompression bomb, before allocation.
 * A phone photo given to `kiosk face eval` reaches 36 MP (set-b has 4912 × 7360); card photos and
 * camera frames are far smaller.
 */
export const MAX_IMAGE_PIXELS = 8192 * 6144;
export const MAX_IMAGE_SIDE = 12_000;

/** Refuses declared dimensions that are not positive integers or exceed the limits above. */
export function checkDimensions(width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageDecodeError('malformed', `${what}: declared size ${width}×${height} is not positive`);
  }
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ImageDecodeError(
      'too-large',
      `${what}: declared size ${width}×${height} is over the limit (${MAX_IMAGE_PIXELS} pixels, ${MAX_IMAGE_SIDE} a side)`,
    );
  }
}
