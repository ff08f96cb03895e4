/**
 * Everything the renderer sends passes here, whichever shell carried it (the Chromium host's
 * WebSocket or Electron's IPC), so both shells let through exactly the same things. The renderer
 * is untrusted: a message that is not a RendererMessage, a command that parsePatientCommand
 * refuses, a frame (face or card tray) that is too large or is not a JPEG, or anything beyond the rate limits is
 * dropped and counted; it never reaches the flow and never closes the connection.
 */
import { isCardFrameRequest, type PatientCommand, parsePatientCommand } from '../common/ui-protocol.ts';
import { TokenBucket } from './token-bucket.ts';

export const DROP_REASONS = [
  'not-json',
  'not-a-message',
  'not-a-command',
  'too-large',
  'not-a-frame',
  'not-jpeg',
  'rate',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export type DropCounts = Record<DropReason, number>;

export function noDrops(): DropCounts {
  return Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as DropCounts;
}

export interface GateLimits {
  /** A 640×480 JPEG from a webcam is 30–80 KiB; anything far larger is not a camera frame. */
  maxFrameBytes: number;
  framesPerSecond: number;
  /** A still of the card tray, asked for by the main process: larger than a face frame, and rare. */
  maxCardFrameBytes: number;
  cardFramesPerSecond: number;
  /** Text messages: taps on the screen, far below this. */
  maxMessageBytes: number;
  messagesPerSecond: number;
}

export const DEFAULT_GATE_LIMITS: GateLimits = {
  maxFrameBytes: 512 * 1024,
  framesPerSecond: 20,
  maxCardFrameBytes: 2 * 1024 * 1024,
  cardFramesPerSecond: 10,
  maxMessageBytes: 4096,
  messagesPerSecond: 30,
};

/** Where accepted input goes: the kiosk services, plus the shell's answer to `ready`. */
export interface GateTarget {
  patient(command: PatientCommand): void;
  frame(jpeg: Uint8Array): void;
  /** The answer to a card-frame request: a JPEG, or null when the renderer has none. */
  cardFrame?(request: number, jpeg: Uint8Array | null): void;
  ready(): void;
}

export class RendererGate {
  private readonly frames: TokenBucket;
  private readonly cardFrames: TokenBucket;
  private readonly messages: TokenBucket;

  constructor(
    private readonly target: GateTarget,
    /** Shared with the shell so it can report drops across reconnections. */
    readonly dropped: DropCounts = noDrops(),
    private readonly limits: GateLimits = DEFAULT_GATE_LIMITS,
    private readonly onDrop: (reason: DropReason) => void = () => {},
    now: () => number = Date.now,
  ) {
    this.frames = new TokenBucket(limits.framesPerSecond, limits.framesPerSecond, now);
    this.cardFrames = new TokenBucket(limits.cardFramesPerSecond, limits.cardFramesPerSecond, now);
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messagesPerSecond, now);
  }

  /** A text message as it came off the WebSocket; the reason it was dropped, or null. */
  text(raw: string): DropReason | null {
    if (Buffer.byteLength(raw) > this.limits.maxMessageBytes) return this.drop('too-large');
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return this.drop('not-json');
    }
    return this.message(value);
  }

  /** A message already decoded (Electron's structured clone, or parsed JSON). */
  message(value: unknown): DropReason | null {
    if (!this.messages.take()) return this.drop('rate');
    if (typeof value !== 'object' || value === null) return this.drop('not-a-message');
    const message = value as Record<string, unknown>;
    const keys = Object.keys(message);
    if (message.type === 'ready' && keys.length === 1) {
      this.target.ready();
      return null;
    }
    if (message.type === 'card-frame-none' && keys.length === 2 && isCardFrameRequest(message.request)) {
      this.target.cardFrame?.(message.request, null);
      return null;
    }
    if (message.type !== 'patient' || keys.length !== 2 || !('command' in message))
      return this.drop('not-a-message');
    const command = parsePatientCommand(message.command);
    if (command === null) return this.drop('not-a-command');
    this.target.patient(command);
    return null;
  }

  /** A camera frame: bytes from the WebSocket, or whatever arrived over IPC. */
  frame(value: unknown): DropReason | null {
    const bytes = asBytes(value);
    if (bytes === null) return this.drop('not-a-frame');
    if (bytes.byteLength > this.limits.maxFrameBytes) return this.drop('too-large');
    if (!this.frames.take()) return this.drop('rate');
    if (!isJpeg(bytes)) return this.drop('not-jpeg');
    this.target.frame(bytes);
    return null;
  }

  /** A still of the card tray answering `request`: its number and bytes, as the shell received them. */
  cardFrame(request: unknown, value: unknown): DropReason | null {
    const bytes = asBytes(value);
    if (bytes === null || !isCardFrameRequest(request)) return this.drop('not-a-frame');
    if (bytes.byteLength > this.limits.maxCardFrameBytes) return this.drop('too-large');
    if (!this.cardFrames.take()) return this.drop('rate');
    if (!isJpeg(bytes)) return this.drop('not-jpeg');
    this.target.cardFrame?.(request, bytes);
    return null;
  }

  private drop(reason: DropReason): DropReason {
    this.dropped[reason] += 1;
    this.onDrop(reason);
    return reason;
  }
}

/** Every JPEG starts with the SOI marker and a segment marker; saves decoding garbage. */
function isJpeg(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return null;
}
