/**
 * Imitations of presentation attacks made from a real photo, for calibrating and testing the
 * liveness check (tests, benchmarks; the kiosk itself never calls these). Each is pure: it returns
 * a new frame and leaves its input alone.
 */
import { createFrame, type Frame } from '@myna/kiosk/face/image/frame.js';
import { resize } from '@myna/kiosk/face/image/ops.js';

/**
 * A phone screen held up to the camera: the photo shown smaller (`scale`, default 0.7 of the frame)
 * inside a black bezel on a dim room background, with the artefacts a camera picks up from a
 * screen: an RGB sub-pixel grid and scan lines beating with the camera's sampling (moiré), a
 * blue-ish white point, reduced contrast, and a specular glare band across the glass.
 */
export function phoneScreen(frame: Frame, options: { scale?: number; glare?: number } = {}): Frame {
  const scale = options.scale ?? 0.7;
  const glare = options.glare ?? 0.35;
  const W = frame.width;
  const H = frame.height;
  const out = createFrame(W, H);
  for (let i = 0; i < out.data.length; i += 4) {
    out.data[i] = 70;
    out.data[i + 1] = 66;
    out.data[i + 2] = 60;
    out.data[i + 3] = 255;
  }
  const shown = resize(frame, W * scale, H * scale);
  const bezel = Math.max(2, Math.round(shown.width * 0.06));
  const left = Math.round((W - shown.width) / 2);
  const top = Math.round((H - shown.height) / 2);
  // Bezel: black, slightly larger than the screen.
  for (let y = Math.max(0, top - bezel); y < Math.min(H, top + shown.height + bezel); y++) {
    for (let x = Math.max(0, left - bezel); x < Math.min(W, left + shown.width + bezel); x++) {
      const o = (y * W + x) * 4;
      out.data[o] = 12;
      out.data[o + 1] = 12;
      out.data[o + 2] = 14;
    }
  }
  // Moiré period a little off the pixel grid, so it beats into broad bands as in a real capture.
  const period = 2.7;
  for (let y = 0; y < shown.height; y++) {
    const oy = top + y;
    if (oy < 0 || oy >= H) continue;
    const scan = 0.82 + 0.18 * Math.cos((2 * Math.PI * y) / period);
    for (let x = 0; x < shown.width; x++) {
      const ox = left + x;
      if (ox < 0 || ox >= W) continue;
      const i = (y * shown.width + x) * 4;
      const o = (oy * W + ox) * 4;
      // Glare: a soft diagonal band of added white light.
      const d = (x / shown.width - y / shown.height - 0.15) / 0.12;
      const light = 255 * glare * Math.exp(-d * d);
      for (let c = 0; c < 3; c++) {
        const sub = 0.75 + 0.25 * Math.cos((2 * Math.PI * (x - c * (period / 3))) / period);
        const white = [0.92, 0.97, 1.08][c]!;
        const v = (128 + (shown.data[i + c]! - 128) * 0.75) * white * scan * sub;
        out.data[o + c] = v + light;
      }
    }
  }
  return out;
}

/**
 * A printed photo held up to the camera, harsher than a plain downscale: the print loses detail
 * (downscaled to `detail` and back), ink flattens the contrast (0.6) and lifts the blacks, the
 * paper has a warm white border, and the camera sees it smaller on a grey background with a
 * halftone dot pattern at the print's resolution.
 */
export function printedPhoto(frame: Frame, options: { scale?: number; detail?: number } = {}): Frame {
  const scale = options.scale ?? 0.65;
  const detail = options.detail ?? 0.4;
  const W = frame.width;
  const H = frame.height;
  const inner = resize(frame, frame.width * scale * detail, frame.height * scale * detail);
  const print = resize(inner, frame.width * scale, frame.height * scale);
  const border = Math.round(print.width * 0.07);
  const out = createFrame(W, H);
  const left = Math.round((W - print.width) / 2);
  const top = Math.round((H - print.height) / 2);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      out.data[o + 3] = 255;
      const px = x - left;
      const py = y - top;
      if (px >= 0 && py >= 0 && px < print.width && py < print.height) {
        const i = (py * print.width + px) * 4;
        const dot = 0.93 + 0.07 * Math.cos(px * 1.9) * Math.cos(py * 1.9);
        for (let c = 0; c < 3; c++) {
          const paper = [250, 246, 236][c]!;
          const ink = 40 + (print.data[i + c]! / 255) * (paper - 40);
          out.data[o + c] = 128 + (ink - 128) * 0.6 * dot + 10;
        }
      } else if (px >= -border && py >= -border && px < print.width + border && py < print.height + border) {
        out.data[o] = 245;
        out.data[o + 1] = 242;
        out.data[o + 2] = 232;
      } else {
        out.data[o] = 95;
        out.data[o + 1] = 95;
        out.data[o + 2] = 95;
      }
    }
  }
  return out;
}
