/**
 * Clips and stills as the camera would have delivered them: RGBA frames with their capture times,
 * for benchmarks and tests of the liveness checks (the kiosk itself never calls this).
 *
 * Videos and GIFs are decoded by ffmpeg in a child process (raw RGBA on stdout); ffprobe gives the
 * size and the rotation first so that the raw stream can be cut into frames. Stills (JPEG, PNG) go
 * through the kiosk's own decoder, which honours EXIF orientation (Debian 12's ffmpeg 5.1 ignores
 * it), and become a short run of the same frame: a photo held still shows no motion, which is what
 * the challenges must see.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { basename, extname } from 'node:path';
import { promisify } from 'node:util';
import { decodeImageFile } from '@myna/kiosk/face/image/decode.js';
import { createFrame, type Frame } from '@myna/kiosk/face/image/frame.js';
import { resizeToMaxSide } from '@myna/kiosk/face/image/ops.js';

/**
 * Frames per second taken from every clip. The kiosk offers the liveness check about one camera
 * frame every 100 ms (DEFAULT_LIVENESS_CONFIG's frameIntervalMs: analysing a frame costs tens of ms
 * on the kiosk's 2 cores), so the checks are tested at the rate they meet in use; a blink keeps
 * the eyes shut 100–400 ms, so 10 fps still catches at least one closed frame of each. A fixed
 * rate also makes clips of 10, 15, 24 and 30 fps comparable.
 */
export const SAMPLE_FPS = 10;
/** Longest side of a frame (px): what the face engine analyses anyway (its maxSide). */
export const MAX_SIDE = 640;
/** How long a still is held in front of the camera, as a sequence of the same frame. */
export const STILL_MS = 3000;

const STILL_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);
const CLIP_EXTENSIONS = new Set(['.mp4', '.webm', '.mov', '.mkv', '.gif']);
/** A clip decoded to more raw bytes than this is refused (about 40 s of 640×480 at 10 fps). */
const MAX_RAW_BYTES = 512 * 1024 * 1024;

export interface Clip {
  file: string;
  /** 'clip' from ffmpeg, 'still' for one image repeated. */
  source: 'clip' | 'still';
  frames: Frame[];
  /** Capture time of each frame, ms from the first. */
  timesMs: number[];
  fps: number;
  /** Size of the frames (after rotation and scaling). */
  width: number;
  height: number;
  /** Duration of the input as probed (a still: STILL_MS). */
  durationMs: number;
}

export interface DecodeClipOptions {
  fps?: number;
  maxSide?: number;
  stillMs?: number;
}

export class ClipDecodeError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${basename(file)}: ${message}`);
    this.name = 'ClipDecodeError';
  }
}

const run = promisify(execFile);

/** Why ffmpeg/ffprobe cannot be used here, or null when both run. */
export function ffmpegMissing(): string | null {
  for (const tool of ['ffmpeg', 'ffprobe']) {
    const probe = spawnSync(tool, ['-version'], { stdio: 'ignore' });
    if (probe.error || probe.status !== 0) {
      return `${tool} is not installed or does not run (${probe.error?.message ?? `exit ${probe.status}`}); install it with apt-get install ffmpeg (scripts/install-system-packages.sh)`;
    }
  }
  return null;
}

export function isStill(file: string): boolean {
  return STILL_EXTENSIONS.has(extname(file).toLowerCase());
}

export function isDecodable(file: string): boolean {
  const ext = extname(file).toLowerCase();
  return STILL_EXTENSIONS.has(ext) || CLIP_EXTENSIONS.has(ext);
}

/** A clip or a still as frames at `fps`, the longest side at most `maxSide`. */
export async function decodeClip(file: string, options: DecodeClipOptions = {}): Promise<Clip> {
  const fps = options.fps ?? SAMPLE_FPS;
  const maxSide = options.maxSide ?? MAX_SIDE;
  if (isStill(file)) return decodeStill(file, fps, maxSide, options.stillMs ?? STILL_MS);
  if (!isDecodable(file))
    throw new ClipDecodeError(file, `not a clip or still this decodes (${extname(file)})`);
  const missing = ffmpegMissing();
  if (missing) throw new ClipDecodeError(file, missing);
  const probe = await probeVideo(file);
  // Rotation metadata (phone clips): ffmpeg turns the picture upright before our filters.
  const turned = Math.abs(probe.rotation) % 180 === 90;
  const shownW = turned ? probe.height : probe.width;
  const shownH = turned ? probe.width : probe.height;
  const scale = Math.min(1, maxSide / Math.max(shownW, shownH));
  // Even sizes keep every pixel format and scaler happy; never upscale.
  const width = Math.max(2, 2 * Math.round((shownW * scale) / 2));
  const height = Math.max(2, 2 * Math.round((shownH * scale) / 2));
  const raw = await ffmpegRaw(file, [
    '-vf',
    `fps=${fps},scale=${width}:${height}:flags=area`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
  ]);
  const size = width * height * 4;
  if (raw.length === 0) throw new ClipDecodeError(file, 'ffmpeg decoded no frames');
  if (raw.length % size !== 0) {
    throw new ClipDecodeError(
      file,
      `ffmpeg wrote ${raw.length} bytes, not a whole number of ${width}×${height} frames`,
    );
  }
  const frames: Frame[] = [];
  const timesMs: number[] = [];
  for (let i = 0; i * size < raw.length; i++) {
    frames.push(createFrame(width, height, new Uint8ClampedArray(raw.subarray(i * size, (i + 1) * size))));
    // The fps filter puts frame i at i / fps from the clip's start.
    timesMs.push(Math.round((i * 1000) / fps));
  }
  raw.fill(0);
  return { file, source: 'clip', frames, timesMs, fps, width, height, durationMs: probe.durationMs };
}

async function decodeStill(file: string, fps: number, maxSide: number, stillMs: number): Promise<Clip> {
  let frame: Frame;
  try {
    const full = await decodeImageFile(file);
    frame = resizeToMaxSide(full, maxSide);
    full.data.fill(0);
  } catch (error) {
    throw new ClipDecodeError(file, `cannot decode the image: ${(error as Error).message}`);
  }
  const count = Math.max(1, Math.round((stillMs * fps) / 1000));
  const frames = Array.from({ length: count }, () => frame);
  const timesMs = frames.map((_, i) => Math.round((i * 1000) / fps));
  return {
    file,
    source: 'still',
    frames,
    timesMs,
    fps,
    width: frame.width,
    height: frame.height,
    durationMs: stillMs,
  };
}

interface Probe {
  width: number;
  height: number;
  rotation: number;
  durationMs: number;
}

async function probeVideo(file: string): Promise<Probe> {
  let stdout: string;
  try {
    ({ stdout } = await run(
      'ffprobe',
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=width,height,duration:stream_side_data=rotation:stream_tags=rotate:format=duration',
        '-of',
        'json',
        file,
      ],
      { timeout: 30_000 },
    ));
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new ClipDecodeError(
      file,
      `ffprobe cannot read it: ${(e.stderr || e.message).trim().split('\n').pop()}`,
    );
  }
  const json = JSON.parse(stdout) as {
    streams?: {
      width?: number;
      height?: number;
      duration?: string;
      tags?: { rotate?: string };
      side_data_list?: { rotation?: number }[];
    }[];
    format?: { duration?: string };
  };
  const stream = json.streams?.[0];
  if (!stream?.width || !stream.height) throw new ClipDecodeError(file, 'no video stream');
  const rotation = Number(
    stream.side_data_list?.find((s) => s.rotation !== undefined)?.rotation ?? stream.tags?.rotate ?? 0,
  );
  const seconds = Number(stream.duration ?? json.format?.duration ?? Number.NaN);
  return {
    width: stream.width,
    height: stream.height,
    rotation: Number.isFinite(rotation) ? rotation : 0,
    durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0,
  };
}

/** ffmpeg's stdout for the video stream of `file` with these output options. */
function ffmpegRaw(file: string, output: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ffmpeg',
      ['-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-an', '-sn', ...output, 'pipe:1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_RAW_BYTES) {
        child.kill();
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (error) => reject(new ClipDecodeError(file, `ffmpeg does not run: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (bytes > MAX_RAW_BYTES) {
        reject(new ClipDecodeError(file, `more than ${MAX_RAW_BYTES} bytes of frames; too long a clip`));
      } else if (code !== 0) {
        const why = stderr.trim().split('\n').pop() || `exit ${code ?? signal}`;
        reject(new ClipDecodeError(file, `ffmpeg cannot decode it: ${why}`));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
  });
}
