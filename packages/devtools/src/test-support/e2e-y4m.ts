/**
 * A camera clip for Chromium's fake capture device (`--use-file-for-fake-video-capture=FILE.y4m`):
 * YUV4MPEG2 with 4:2:0 chroma (C420), progressive, square pixels. Chromium plays the file in a loop
 * at its frame rate, so a clip is a list of still pictures, each held for a number of seconds, and
 * what the kiosk's face screen sees is that sequence over and over.
 *
 * Colour is converted with the BT.601 studio-range matrix (Y 16–235, Cb/Cr 16–240), the one a
 * decoder assumes for Y4M without a colour-space tag; chroma is the mean of each 2×2 block.
 */
import { writeFile } from 'node:fs/promises';
import { createFrame, type Frame } from '@myna/kiosk/face/image/frame.js';
import { resize } from '@myna/kiosk/face/image/ops.js';

export interface ClipSegment {
  frame: Frame;
  /** How long the picture stays on camera (rounded to whole frames, at least one). */
  seconds: number;
}

export interface ClipOptions {
  /** Frames a second (default 5: enough for a kiosk that samples about 4 a second, and small). */
  fps?: number;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Studio-range BT.601 Y′CbCr of one RGB colour. */
export function rgbToYuv(r: number, g: number, b: number): [y: number, u: number, v: number] {
  return [
    clamp(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256),
    clamp(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256),
    clamp(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256),
  ];
}

/** One frame as planar I420 (Y plane, then Cb and Cr at half resolution). Sides must be even. */
export function toI420(frame: Frame): Uint8Array {
  const { width: w, height: h, data } = frame;
  if (w % 2 !== 0 || h % 2 !== 0) throw new RangeError(`a 4:2:0 frame needs even sides, not ${w}×${h}`);
  const out = new Uint8Array((w * h * 3) / 2);
  const cw = w / 2;
  const uBase = w * h;
  const vBase = uBase + (w * h) / 4;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      out[y * w + x] = rgbToYuv(data[i]!, data[i + 1]!, data[i + 2]!)[0];
    }
  }
  for (let cy = 0; cy < h / 2; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const i = ((2 * cy + dy) * w + 2 * cx + dx) * 4;
        r += data[i]!;
        g += data[i + 1]!;
        b += data[i + 2]!;
      }
      const [, u, v] = rgbToYuv(r / 4, g / 4, b / 4);
      out[uBase + cy * cw + cx] = u;
      out[vBase + cy * cw + cx] = v;
    }
  }
  return out;
}

/**
 * The picture scaled to fit `width` × `height` without distortion and centred, the rest filled
 * with `background`: what a camera of that size shows when the photo is its whole view.
 */
export function fitFrame(
  frame: Frame,
  width: number,
  height: number,
  background: readonly [number, number, number] = [120, 120, 120],
): Frame {
  const scale = Math.min(width / frame.width, height / frame.height);
  const shown = resize(frame, frame.width * scale, frame.height * scale);
  const out = createFrame(width, height);
  for (let i = 0; i < out.data.length; i += 4) {
    out.data[i] = background[0];
    out.data[i + 1] = background[1];
    out.data[i + 2] = background[2];
    out.data[i + 3] = 255;
  }
  const left = Math.floor((width - shown.width) / 2);
  const top = Math.floor((height - shown.height) / 2);
  for (let y = 0; y < shown.height; y++) {
    const from = y * shown.width * 4;
    out.data.set(shown.data.subarray(from, from + shown.width * 4), ((top + y) * width + left) * 4);
  }
  return out;
}

/** The clip as Y4M bytes: every segment's picture repeated for its seconds, all the same size. */
export function y4mClip(segments: readonly ClipSegment[], options: ClipOptions = {}): Buffer {
  const first = segments[0];
  if (!first) throw new RangeError('a clip needs at least one picture');
  const fps = options.fps ?? 5;
  const { width, height } = first.frame;
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420\n`, 'latin1');
  const marker = Buffer.from('FRAME\n', 'latin1');
  const parts: Buffer[] = [header];
  for (const { frame, seconds } of segments) {
    if (frame.width !== width || frame.height !== height)
      throw new RangeError(
        `every picture of a clip must be ${width}×${height}, not ${frame.width}×${frame.height}`,
      );
    const planes = Buffer.from(toI420(frame));
    for (let n = Math.max(1, Math.round(seconds * fps)); n > 0; n--) parts.push(marker, planes);
  }
  return Buffer.concat(parts);
}

/** Writes the clip to `path` (a .y4m file for Chromium's fake camera). */
export async function writeY4mClip(
  path: string,
  segments: readonly ClipSegment[],
  options: ClipOptions = {},
): Promise<string> {
  await writeFile(path, y4mClip(segments, options));
  return path;
}
