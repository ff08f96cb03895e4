/**
 * Test images for the face tests: the labelled development photos in ../shared/faces (never copied
 * into the repository) and helpers that turn one photo into one that shows a given quality problem.
 * Every helper is pure (returns a new frame) unless it says it returns bytes.
 *
 * Where a helper needs to know where the face is and is not told, it assumes the usual portrait
 * framing: the face in the centre of the picture (see {@link centreFaceBox}).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeImageFile } from '@myna/kiosk/face/image/decode.js';
import { createFrame, type Frame } from '@myna/kiosk/face/image/frame.js';
import {
  type Box,
  clampBox,
  crop,
  flipHorizontal,
  resize,
  rotate,
  toGrey,
} from '@myna/kiosk/face/image/ops.js';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

const run = promisify(execFile);

/** The shared face images: ../shared/faces relative to the repository root. */
export const FACES_DIR = resolve(fileURLToPath(new URL('../../../../../shared/faces', import.meta.url)));
export const SET_A_DIR = join(FACES_DIR, 'set-a');

/** Why the face-image tests skip, or undefined when the images are there. */
export function facesSkipReason(): string | undefined {
  if (existsSync(join(SET_A_DIR, 'pairs.txt'))) return undefined;
  return `face images not found at ${SET_A_DIR} (expected ../shared/faces/set-a from the repository root): skipping`;
}

/** Prints the skip reason once and returns whether the face-image tests should skip. */
export function skipWithoutFaces(): boolean {
  const reason = facesSkipReason();
  if (reason) console.warn(reason);
  return reason !== undefined;
}

export interface FacePair {
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
}

/** set-a/pairs.txt: `fileA fileB same|diff`, paths relative to set-a. */
export async function readPairs(): Promise<FacePair[]> {
  const text = await readFile(join(SET_A_DIR, 'pairs.txt'), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length === 3)
    .map(([a, b, label]) => ({ a: a!, b: b!, same: label === 'same' }));
}

/** Absolute path of a set-a photo, e.g. facePath('img1.jpg'). */
export const facePath = (name: string) => join(SET_A_DIR, name);

/** Decodes a set-a photo. */
export const loadFace = (name: string): Promise<Frame> => decodeImageFile(facePath(name));

/** RGBA colour, 0–255 a channel. */
export type Rgba = readonly [number, number, number, number];
const GREY: Rgba = [128, 128, 128, 255];

/** A frame filled with one colour. */
export function solidFrame(width: number, height: number, colour: Rgba = GREY): Frame {
  const frame = createFrame(width, height);
  const px = new Uint32Array(frame.data.buffer);
  px.fill(new Uint32Array(Uint8Array.from(colour).buffer)[0]!);
  return frame;
}

/** Copies `src` into `dst` with its top-left corner at (x, y), clipped to `dst`. Mutates `dst`. */
export function paste(dst: Frame, src: Frame, x: number, y: number): void {
  x = Math.round(x);
  y = Math.round(y);
  for (let sy = Math.max(0, -y); sy < src.height && y + sy < dst.height; sy++) {
    const sx0 = Math.max(0, -x);
    const sx1 = Math.min(src.width, dst.width - x);
    if (sx1 <= sx0) return;
    const from = (sy * src.width + sx0) * 4;
    dst.data.set(src.data.subarray(from, (sy * src.width + sx1) * 4), ((y + sy) * dst.width + x + sx0) * 4);
  }
}

/**
 * Where the face is assumed to be when the caller does not know: the centre 50 % of the width and
 * the same height (a square), centred horizontally and at 45 % of the height (portraits put the face
 * a little above the middle).
 */
export function centreFaceBox(frame: Frame): Box {
  const side = Math.min(frame.width * 0.5, frame.height * 0.8);
  return { x: (frame.width - side) / 2, y: frame.height * 0.45 - side / 2, width: side, height: side };
}

// --- Framing --------------------------------------------------------------------------------------

/**
 * Keeps `keep` (0–1) of the frame on one side, so that a centred face is cut on the other:
 * cutFrame(f, 'right', 0.6) keeps the left 60 %, cutting the right part of the face.
 */
export function cutFrame(frame: Frame, side: 'left' | 'right' | 'top' | 'bottom', keep: number): Frame {
  const w = frame.width;
  const h = frame.height;
  switch (side) {
    case 'right':
      return crop(frame, { x: 0, y: 0, width: w * keep, height: h });
    case 'left':
      return crop(frame, { x: w * (1 - keep), y: 0, width: w * keep, height: h });
    case 'bottom':
      return crop(frame, { x: 0, y: 0, width: w, height: h * keep });
    case 'top':
      return crop(frame, { x: 0, y: h * (1 - keep), width: w, height: h * keep });
  }
}

/**
 * Same size, content shifted by (dx, dy) fractions of the width and height (e.g. 0.35, 0): the face
 * ends up off-centre; the uncovered strip is filled with `fill`.
 */
export function offCentre(frame: Frame, dx: number, dy: number, fill: Rgba = GREY): Frame {
  const out = solidFrame(frame.width, frame.height, fill);
  paste(out, frame, dx * frame.width, dy * frame.height);
  return out;
}

/** Face too far: the photo shrunk by `scale` (e.g. 0.25) in the middle of a canvas of the original size. */
export function tooFar(frame: Frame, scale: number, fill: Rgba = GREY): Frame {
  const small = resize(frame, frame.width * scale, frame.height * scale);
  const out = solidFrame(frame.width, frame.height, fill);
  paste(out, small, (frame.width - small.width) / 2, (frame.height - small.height) / 2);
  return out;
}

/**
 * Face too close: the central 1/`factor` of the frame (or of the box around `centre`) blown up to
 * the original size, e.g. factor 2.5.
 */
export function tooClose(frame: Frame, factor: number, centre?: { x: number; y: number }): Frame {
  const w = frame.width / factor;
  const h = frame.height / factor;
  const cx = centre?.x ?? frame.width / 2;
  const cy = centre?.y ?? frame.height / 2;
  const x = Math.max(0, Math.min(frame.width - w, cx - w / 2));
  const y = Math.max(0, Math.min(frame.height - h, cy - h / 2));
  return resize(crop(frame, { x, y, width: w, height: h }), frame.width, frame.height);
}

// --- Light ----------------------------------------------------------------------------------------

/** Multiplies R, G, B by `factor` (e.g. 0.15 for too dark; > 1 brightens, clipping at 255). */
export function scaleBrightness(frame: Frame, factor: number, box?: Box): Frame {
  const out = createFrame(frame.width, frame.height, frame.data.slice());
  const { x0, y0, x1, y1 } = clampBox(frame, box);
  for (let y = y0; y < y1; y++) {
    for (let i = (y * frame.width + x0) * 4, e = (y * frame.width + x1) * 4; i < e; i += 4) {
      out.data[i] = out.data[i]! * factor;
      out.data[i + 1] = out.data[i + 1]! * factor;
      out.data[i + 2] = out.data[i + 2]! * factor;
    }
  }
  return out;
}

/** Too dark: every channel times `factor` (default 0.15). */
export const darken = (frame: Frame, factor = 0.15) => scaleBrightness(frame, factor);

/**
 * Strong backlight: everything outside `faceBox` pushed towards white (v → v + (255 − v) × 0.85),
 * the face inside darkened by `faceFactor` (default 0.3), as with a window behind the patient.
 */
export function backlight(frame: Frame, faceBox: Box = centreFaceBox(frame), faceFactor = 0.3): Frame {
  const out = createFrame(frame.width, frame.height, frame.data.slice());
  const { x0, y0, x1, y1 } = clampBox(frame, faceBox);
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      const i = (y * frame.width + x) * 4;
      const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
      for (let c = 0; c < 3; c++) {
        const v = out.data[i + c]!;
        out.data[i + c] = inside ? v * faceFactor : v + (255 - v) * 0.85;
      }
    }
  }
  return out;
}

/** Contrast scaled about mid-grey: v → 128 + (v − 128) × factor (factor < 1 flattens). */
export function scaleContrast(frame: Frame, factor: number): Frame {
  const out = createFrame(frame.width, frame.height, frame.data.slice());
  for (let i = 0; i < out.data.length; i += 4) {
    for (let c = 0; c < 3; c++) out.data[i + c] = 128 + (out.data[i + c]! - 128) * factor;
  }
  return out;
}

// --- Blur, mask, pose, crowd ----------------------------------------------------------------------

/** Gaussian blur, standard deviation `sigma` pixels (kernel radius 3σ), separable, edges clamped. */
export function gaussianBlur(frame: Frame, sigma: number): Frame {
  if (sigma <= 0) return createFrame(frame.width, frame.height, frame.data.slice());
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
    total += kernel[k + radius]!;
  }
  for (let k = 0; k < kernel.length; k++) kernel[k]! /= total;
  const { width: w, height: h } = frame;
  const pass = (src: ArrayLike<number>, dst: Float32Array | Uint8ClampedArray, horizontal: boolean) => {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = horizontal ? Math.min(w - 1, Math.max(0, x + k)) : x;
          const sy = horizontal ? y : Math.min(h - 1, Math.max(0, y + k));
          const i = (sy * w + sx) * 4;
          const weight = kernel[k + radius]!;
          r += src[i]! * weight;
          g += src[i + 1]! * weight;
          b += src[i + 2]! * weight;
        }
        const o = (y * w + x) * 4;
        dst[o] = r;
        dst[o + 1] = g;
        dst[o + 2] = b;
      }
    }
  };
  const mid = new Float32Array(frame.data.length);
  const out = createFrame(w, h);
  pass(frame.data, mid, true);
  pass(mid, out.data, false);
  for (let i = 3; i < out.data.length; i += 4) out.data[i] = frame.data[i]!;
  return out;
}

/** Mask: the lower half of `faceBox` covered with a flat colour (default light blue, a surgical mask). */
export function maskLowerHalf(
  frame: Frame,
  faceBox: Box = centreFaceBox(frame),
  colour: Rgba = [170, 200, 225, 255],
): Frame {
  const out = createFrame(frame.width, frame.height, frame.data.slice());
  const half = { ...faceBox, y: faceBox.y + faceBox.height / 2, height: faceBox.height / 2 };
  const { x0, y0, x1, y1 } = clampBox(frame, half);
  paste(out, solidFrame(Math.max(1, x1 - x0), Math.max(1, y1 - y0), colour), x0, y0);
  return out;
}

/** Head tilt: rotated by `degrees` clockwise about the centre, corners filled with `fill`. */
export const tilt = (frame: Frame, degrees: number, fill: Rgba = GREY) => rotate(frame, degrees, fill);

/** Horizontal mirror image (what a selfie camera shows). */
export const mirror = (frame: Frame) => flipHorizontal(frame);

/**
 * Several faces: `second` scaled to `box` and pasted over `frame` there (default: the right quarter
 * of the width, upper part), leaving the first face in place.
 */
export function pasteSecondFace(frame: Frame, second: Frame, box?: Box): Frame {
  const target = box ?? {
    x: frame.width * 0.72,
    y: frame.height * 0.05,
    width: frame.width * 0.26,
    height: ((frame.width * 0.26) / second.width) * second.height,
  };
  const out = createFrame(frame.width, frame.height, frame.data.slice());
  paste(out, resize(second, target.width, target.height), target.x, target.y);
  return out;
}

/**
 * A photo of a photo, as when a printed picture is held up to the camera: the photo downscaled to
 * `scale` (default 0.6) and back up (losing detail), contrast reduced to `contrast` (default 0.6),
 * inside a flat white border of `border` (default 8 %) of the width, laid on a grey background at
 * `scale` of the frame size.
 */
export function photoOfPhoto(
  frame: Frame,
  options: { scale?: number; contrast?: number; border?: number; background?: Rgba } = {},
): Frame {
  const scale = options.scale ?? 0.6;
  const border = Math.round(frame.width * scale * (options.border ?? 0.08));
  const inner = resize(frame, frame.width * scale * 0.5, frame.height * scale * 0.5);
  const print = scaleContrast(
    resize(inner, frame.width * scale, frame.height * scale),
    options.contrast ?? 0.6,
  );
  const card = solidFrame(print.width + 2 * border, print.height + 2 * border, [245, 245, 240, 255]);
  paste(card, print, border, border);
  const out = solidFrame(frame.width, frame.height, options.background ?? [90, 90, 90, 255]);
  paste(out, card, (frame.width - card.width) / 2, (frame.height - card.height) / 2);
  return out;
}

// --- Encoding -------------------------------------------------------------------------------------

/** PNG bytes (8-bit RGBA) of a frame. */
export function encodePng(frame: Frame): Uint8Array {
  const png = new PNG({ width: frame.width, height: frame.height });
  png.data = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

/** Baseline JPEG bytes of a frame, quality 1–100. */
export function encodeJpeg(frame: Frame, quality = 90): Uint8Array {
  const data = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  return new Uint8Array(jpeg.encode({ width: frame.width, height: frame.height, data }, quality).data);
}

/** Binary PGM (P5, 8-bit) of the frame's red channel: the grey input opj_compress reads. */
export function encodePgm(frame: Frame): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${frame.width} ${frame.height}\n255\n`);
  const out = new Uint8Array(header.length + frame.width * frame.height);
  out.set(header);
  for (let p = 0; p < frame.width * frame.height; p++) out[header.length + p] = frame.data[p * 4]!;
  return out;
}

/** Binary PPM (P6, 8-bit RGB) of the frame, alpha dropped: the colour input opj_compress reads. */
export function encodePpm(frame: Frame): Uint8Array {
  const header = new TextEncoder().encode(`P6\n${frame.width} ${frame.height}\n255\n`);
  const out = new Uint8Array(header.length + frame.width * frame.height * 3);
  out.set(header);
  for (let p = 0, o = header.length; p < frame.width * frame.height; p++, o += 3) {
    out[o] = frame.data[p * 4]!;
    out[o + 1] = frame.data[p * 4 + 1]!;
    out[o + 2] = frame.data[p * 4 + 2]!;
  }
  return out;
}

/** Whether Debian's opj_compress (libopenjp2-tools) is on the PATH. */
export async function hasOpjCompress(): Promise<boolean> {
  try {
    await run('opj_compress', ['-h'], { timeout: 10_000 });
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== 'ENOENT';
  }
}

export interface Jpeg2000Options {
  /** 'jp2' (file with boxes, default) or 'j2k' (raw codestream). */
  readonly format?: 'jp2' | 'j2k';
  /** Compression ratio (opj_compress -r); omitted = lossless. */
  readonly ratio?: number;
  /** Resolution levels (opj_compress -n); default 6 needs sides ≥ 32 px, so small images get fewer. */
  readonly resolutions?: number;
}

/**
 * Encodes a frame to JPEG 2000 with opj_compress: greyscale frames (R = G = B) as one component,
 * others as RGB (alpha dropped). The temporary folder is removed before returning, whatever happens.
 */
export async function encodeJpeg2000(frame: Frame, options: Jpeg2000Options = {}): Promise<Uint8Array> {
  const grey = isGrey(frame);
  const dir = await mkdtemp(join(tmpdir(), 'face-j2k-'));
  try {
    const input = join(dir, grey ? 'in.pgm' : 'in.ppm');
    const output = join(dir, `out.${options.format ?? 'jp2'}`);
    await writeFile(input, grey ? encodePgm(frame) : encodePpm(frame));
    const smallest = Math.min(frame.width, frame.height);
    const resolutions = options.resolutions ?? Math.max(1, Math.min(6, Math.floor(Math.log2(smallest)) - 1));
    const args = ['-i', input, '-o', output, '-n', String(resolutions)];
    if (options.ratio !== undefined) args.push('-r', String(options.ratio));
    await run('opj_compress', args, { timeout: 30_000 });
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function isGrey(frame: Frame): boolean {
  const d = frame.data;
  for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

/**
 * The card-like version of a photo as a frame, before encoding: greyscale, cropped to passport
 * framing (My Number card photo 35 × 45 mm, width : height = 7 : 9) around the assumed face centre —
 * we do not know where the face is, so we take the centre 60 % of the width and a height of
 * 9/7 of that, centred horizontally and starting at 8 % of the height for portraits, clamped
 * to the picture — and downscaled (area average) to `height` px (default 240).
 */
export function cardLikeFrame(frame: Frame, height = 240): Frame {
  let width = frame.width * 0.6;
  let boxHeight = (width * 9) / 7;
  if (boxHeight > frame.height) {
    boxHeight = frame.height;
    width = (boxHeight * 7) / 9;
  }
  const x = (frame.width - width) / 2;
  const y = Math.max(0, Math.min(frame.height - boxHeight, frame.height * 0.08));
  const framed = toGrey(crop(frame, { x, y, width, height: boxHeight }));
  const scale = Math.min(1, height / framed.height);
  return resize(framed, framed.width * scale, framed.height * scale);
}

/**
 * A card-like JP2 of a photo: {@link cardLikeFrame} (grey, passport framing, ~240 px high) encoded
 * lossy with opj_compress at compression ratio `ratio` (default 12, some 3–4 kB as on the chip).
 */
export async function cardLikeJp2(jpegPath: string, ratio = 12): Promise<Uint8Array> {
  return encodeJpeg2000(cardLikeFrame(await decodeImageFile(jpegPath)), { format: 'jp2', ratio });
}
