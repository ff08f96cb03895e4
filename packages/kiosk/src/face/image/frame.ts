/**
 * One image in memory, as camera frames arrive from the renderer: RGBA, 8 bits a channel, rows top
 * to bottom. Card photos (greyscale JPEG 2000) are expanded to the same shape. Frames hold face
 * images: they are never written anywhere, and `wipeFrame` clears one when a decision is made.
 */
export interface Frame {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes. */
  readonly data: Uint8ClampedArray;
}

export function createFrame(width: number, height: number, data?: Uint8ClampedArray): Frame {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`frame size ${width}×${height} is not positive`);
  }
  const expected = width * height * 4;
  if (data && data.length !== expected) {
    throw new RangeError(`frame of ${width}×${height} needs ${expected} RGBA bytes, got ${data.length}`);
  }
  return { width, height, data: data ?? new Uint8ClampedArray(expected) };
}

export function wipeFrame(frame: Frame): void {
  frame.data.fill(0);
}
