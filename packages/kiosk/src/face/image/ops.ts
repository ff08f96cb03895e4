/**
 * Small pure operations on frames for the face engine. None changes its input; each returns a new
 * frame (also when nothing had to change, so that wiping a result never wipes the input).
 *
 * Units: coordinates and sizes are pixels, (0, 0) the top-left corner; grey levels are 0–255 luma
 * (ITU-R BT.601: Y = 0.299 R + 0.587 G + 0.114 B), alpha is ignored by all measures.
 */
import { createFrame, type Frame } from './frame.ts';

/** A rectangle in pixels. Fractional values are allowed; operations round outward and clamp. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Integer pixel bounds [x0, x1) × [y0, y1) of `box` within the frame; may be empty. */
export function clampBox(frame: Frame, box?: Box): { x0: number; y0: number; x1: number; y1: number } {
  if (!box) return { x0: 0, y0: 0, x1: frame.width, y1: frame.height };
  const x0 = Math.max(0, Math.min(frame.width, Math.floor(box.x)));
  const y0 = Math.max(0, Math.min(frame.height, Math.floor(box.y)));
  const x1 = Math.max(x0, Math.min(frame.width, Math.ceil(box.x + box.width)));
  const y1 = Math.max(y0, Math.min(frame.height, Math.ceil(box.y + box.height)));
  return { x0, y0, x1, y1 };
}

/** The part of `box` inside a width × height image, fractional edges kept; empty when none is. */
export function clipBox(box: Box, width: number, height: number): Box {
  const x = Math.max(0, box.x);
  const y = Math.max(0, box.y);
  return {
    x,
    y,
    width: Math.max(0, Math.min(width, box.x + box.width) - x),
    height: Math.max(0, Math.min(height, box.y + box.height) - y),
  };
}

/** BT.601 luma, rounded, in 16.16 fixed point: 0.299, 0.587, 0.114 × 65536 = 19595, 38470, 7471. */
const luma = (d: Uint8ClampedArray, i: number) =>
  (19595 * d[i]! + 38470 * d[i + 1]! + 7471 * d[i + 2]! + 32768) >> 16;

/** Grey version: BT.601 luma in R, G and B; alpha kept. */
export function toGrey(frame: Frame): Frame {
  const src = frame.data;
  const out = new Uint8ClampedArray(src.length);
  for (let i = 0; i < src.length; i += 4) {
    const y = luma(src, i);
    out[i] = y;
    out[i + 1] = y;
    out[i + 2] = y;
    out[i + 3] = src[i + 3]!;
  }
  return createFrame(frame.width, frame.height, out);
}

/** The luma plane (one byte a pixel) of the frame, or of a box of it. */
export function lumaPlane(frame: Frame, box?: Box): { width: number; height: number; data: Uint8Array } {
  const { x0, y0, x1, y1 } = clampBox(frame, box);
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    let i = ((y0 + y) * frame.width + x0) * 4;
    for (let x = 0; x < width; x++, i += 4) data[y * width + x] = luma(frame.data, i);
  }
  return { width, height, data };
}

/** Copy of a box of the frame, clamped to it. Throws RangeError when nothing of the box is inside. */
export function crop(frame: Frame, box: Box): Frame {
  const { x0, y0, x1, y1 } = clampBox(frame, box);
  if (x1 <= x0 || y1 <= y0) throw new RangeError('crop box lies outside the frame');
  const width = x1 - x0;
  const out = new Uint8ClampedArray(width * (y1 - y0) * 4);
  for (let y = y0; y < y1; y++) {
    const from = (y * frame.width + x0) * 4;
    out.set(frame.data.subarray(from, from + width * 4), (y - y0) * width * 4);
  }
  return createFrame(width, y1 - y0, out);
}

/**
 * Per-axis resampling weights: for each output index, the source indices and weights. Downscaling
 * averages the source area each output pixel covers (box filter with fractional edges); upscaling
 * interpolates linearly between the two nearest source centres.
 */
function axisWeights(
  src: number,
  dst: number,
): { index: Int32Array; weight: Float32Array; offsets: Int32Array } {
  const index: number[] = [];
  const weight: number[] = [];
  const offsets = new Int32Array(dst + 1);
  const scale = src / dst;
  for (let o = 0; o < dst; o++) {
    offsets[o] = index.length;
    if (scale > 1) {
      const start = o * scale;
      const end = start + scale;
      for (let s = Math.floor(start); s < Math.min(src, Math.ceil(end)); s++) {
        const w = Math.min(end, s + 1) - Math.max(start, s);
        if (w > 1e-6) {
          index.push(s);
          weight.push(w / scale);
        }
      }
    } else {
      const centre = Math.max(0, Math.min(src - 1, (o + 0.5) * scale - 0.5));
      const s0 = Math.floor(centre);
      const s1 = Math.min(src - 1, s0 + 1);
      const t = centre - s0;
      index.push(s0, s1);
      weight.push(1 - t, t);
    }
  }
  offsets[dst] = index.length;
  return { index: Int32Array.from(index), weight: Float32Array.from(weight), offsets };
}

/** Resamples to exactly width × height: area average where shrinking, bilinear where growing. */
export function resize(frame: Frame, width: number, height: number): Frame {
  width = Math.max(1, Math.round(width));
  height = Math.max(1, Math.round(height));
  const h = axisWeights(frame.width, width);
  const v = axisWeights(frame.height, height);
  const src = frame.data;
  // Horizontal pass: frame.height rows × width columns, float RGBA.
  const mid = new Float32Array(frame.height * width * 4);
  for (let y = 0; y < frame.height; y++) {
    const row = y * frame.width * 4;
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let k = h.offsets[x]!; k < h.offsets[x + 1]!; k++) {
        const i = row + h.index[k]! * 4;
        const w = h.weight[k]!;
        r += src[i]! * w;
        g += src[i + 1]! * w;
        b += src[i + 2]! * w;
        a += src[i + 3]! * w;
      }
      const o = (y * width + x) * 4;
      mid[o] = r;
      mid[o + 1] = g;
      mid[o + 2] = b;
      mid[o + 3] = a;
    }
  }
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let k = v.offsets[y]!; k < v.offsets[y + 1]!; k++) {
        const i = (v.index[k]! * width + x) * 4;
        const w = v.weight[k]!;
        r += mid[i]! * w;
        g += mid[i + 1]! * w;
        b += mid[i + 2]! * w;
        a += mid[i + 3]! * w;
      }
      const o = (y * width + x) * 4;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = a;
    }
  }
  return createFrame(width, height, out);
}

/**
 * Downscales (area average) so that the longer side is at most `max` pixels, keeping the aspect
 * ratio; a frame already within `max` comes back as a copy. Never upscales.
 */
export function resizeToMaxSide(frame: Frame, max: number): Frame {
  if (!(max >= 1)) throw new RangeError(`max side ${max} must be at least 1`);
  const side = Math.max(frame.width, frame.height);
  if (side <= max) return createFrame(frame.width, frame.height, frame.data.slice());
  const scale = max / side;
  return resize(frame, Math.round(frame.width * scale), Math.round(frame.height * scale));
}

export interface LuminanceStats {
  /** Mean luma, 0–255. */
  readonly mean: number;
  /** Standard deviation of luma, 0–255 (population). */
  readonly std: number;
  /** Fraction (0–1) of pixels with luma ≥ 250. */
  readonly saturated: number;
  /** Fraction (0–1) of pixels with luma ≤ 10. */
  readonly dark: number;
  /** Pixels measured (the box clamped to the frame). */
  readonly pixels: number;
}

/** Luma statistics of the frame or of a box of it; all zero when the box is empty. */
export function luminanceStats(frame: Frame, box?: Box): LuminanceStats {
  const { x0, y0, x1, y1 } = clampBox(frame, box);
  const d = frame.data;
  let sum = 0;
  let sumSq = 0;
  let saturated = 0;
  let dark = 0;
  for (let y = y0; y < y1; y++) {
    let i = (y * frame.width + x0) * 4;
    for (let x = x0; x < x1; x++, i += 4) {
      const v = luma(d, i);
      sum += v;
      sumSq += v * v;
      if (v >= 250) saturated++;
      else if (v <= 10) dark++;
    }
  }
  const n = (x1 - x0) * (y1 - y0);
  if (n === 0) return { mean: 0, std: 0, saturated: 0, dark: 0, pixels: 0 };
  const mean = sum / n;
  return {
    mean,
    std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)),
    saturated: saturated / n,
    dark: dark / n,
    pixels: n,
  };
}

/**
 * Sharpness: variance of the 4-neighbour Laplacian (0 1 0 / 1 −4 1 / 0 1 0) of the luma over the
 * interior of the frame or box, in grey levels squared. Sharp faces at ~200 px give hundreds; a blur
 * drives it towards 0. It scales with contrast and resolution: compare at a fixed face size.
 * 0 when the box is smaller than 3×3.
 */
export function laplacianVariance(frame: Frame, box?: Box): number {
  const plane = lumaPlane(frame, box);
  const { width, height, data } = plane;
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const l = data[i - 1]! + data[i + 1]! + data[i - width]! + data[i + width]! - 4 * data[i]!;
      sum += l;
      sumSq += l * l;
    }
  }
  const n = (width - 2) * (height - 2);
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Mirror image (left ↔ right). */
export function flipHorizontal(frame: Frame): Frame {
  return remap(frame, frame.width, frame.height, (x, y) => [frame.width - 1 - x, y]);
}

/** Builds a frame whose pixel (x, y) is the source pixel `source(x, y)`. */
function remap(
  frame: Frame,
  width: number,
  height: number,
  source: (x: number, y: number) => readonly [number, number],
): Frame {
  const out = new Uint8ClampedArray(width * height * 4);
  const data = frame.data.byteOffset % 4 === 0 ? frame.data : frame.data.slice();
  const src = new Uint32Array(data.buffer, data.byteOffset, frame.width * frame.height);
  const dst = new Uint32Array(out.buffer);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source(x, y);
      dst[y * width + x] = src[sy * frame.width + sx]!;
    }
  }
  return createFrame(width, height, out);
}

/**
 * Turns a frame as stored into the frame as meant to be seen, for EXIF orientation 1–8 (TIFF tag
 * 0x0112). Unknown values give a copy.
 */
export function applyExifOrientation(frame: Frame, orientation: number): Frame {
  const { width: w, height: h } = frame;
  switch (orientation) {
    case 2:
      return flipHorizontal(frame);
    case 3:
      return remap(frame, w, h, (x, y) => [w - 1 - x, h - 1 - y]);
    case 4:
      return remap(frame, w, h, (x, y) => [x, h - 1 - y]);
    case 5:
      return remap(frame, h, w, (x, y) => [y, x]);
    case 6:
      return remap(frame, h, w, (x, y) => [y, h - 1 - x]);
    case 7:
      return remap(frame, h, w, (x, y) => [w - 1 - y, h - 1 - x]);
    case 8:
      return remap(frame, h, w, (x, y) => [w - 1 - y, x]);
    default:
      return createFrame(w, h, frame.data.slice());
  }
}

/**
 * Rotates by `degrees` (positive = clockwise as seen) about the centre, same size as the input,
 * bilinear sampling; corners that come from outside are filled with `fill` (RGBA, default black).
 */
export function rotate(frame: Frame, degrees: number, fill: readonly number[] = [0, 0, 0, 255]): Frame {
  const { width: w, height: h, data: src } = frame;
  const out = new Uint8ClampedArray(src.length);
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Inverse mapping: rotate the output point back by −a.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const o = (y * w + x) * 4;
      if (sx < -0.5 || sy < -0.5 || sx > w - 0.5 || sy > h - 0.5) {
        for (let c = 0; c < 4; c++) out[o + c] = fill[c] ?? 255;
        continue;
      }
      const x0 = Math.max(0, Math.min(w - 1, Math.floor(sx)));
      const y0 = Math.max(0, Math.min(h - 1, Math.floor(sy)));
      const x1 = Math.min(w - 1, x0 + 1);
      const y1 = Math.min(h - 1, y0 + 1);
      const tx = Math.max(0, Math.min(1, sx - x0));
      const ty = Math.max(0, Math.min(1, sy - y0));
      for (let c = 0; c < 4; c++) {
        const top = src[(y0 * w + x0) * 4 + c]! * (1 - tx) + src[(y0 * w + x1) * 4 + c]! * tx;
        const bottom = src[(y1 * w + x0) * 4 + c]! * (1 - tx) + src[(y1 * w + x1) * 4 + c]! * tx;
        out[o + c] = top * (1 - ty) + bottom * ty;
      }
    }
  }
  return createFrame(w, h, out);
}
