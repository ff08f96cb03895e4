/**
 * Card-tray stills from the renderer: how they travel on the Chromium host's WebSocket, and what
 * the gate lets through to the main process (both shells share it).
 */
import { describe, expect, it } from 'vitest';
import { cardFrameMessage, readCardFrame } from '../../../src/preload/host-protocol.ts';
import { DEFAULT_GATE_LIMITS, RendererGate } from '../../../src/shell/renderer-gate.ts';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]);

function gate(limits = DEFAULT_GATE_LIMITS) {
  const answers: [number, number[] | null][] = [];
  const frames: Uint8Array[] = [];
  const subject = new RendererGate(
    {
      patient: () => {},
      frame: (jpeg) => frames.push(jpeg),
      cardFrame: (request, jpeg) => answers.push([request, jpeg && [...jpeg]]),
      ready: () => {},
    },
    undefined,
    limits,
    undefined,
    () => 0,
  );
  return { subject, answers, frames };
}

describe('a card-tray still on the WebSocket', () => {
  it('carries its request number and is never taken for a face frame', () => {
    const message = new Uint8Array(cardFrameMessage(0xfffffffe, JPEG.slice().buffer));
    expect(readCardFrame(message)).toEqual({ request: 0xfffffffe, jpeg: JPEG });
    expect(readCardFrame(JPEG)).toBeNull();
    expect(readCardFrame(message.subarray(0, 7))).toBeNull();
  });
});

describe('the gate, for card-tray stills', () => {
  it('passes a JPEG still and a "none", each with its request', () => {
    const { subject, answers, frames } = gate();
    expect(subject.cardFrame(3, JPEG)).toBeNull();
    expect(subject.cardFrame(4, JPEG.slice().buffer)).toBeNull();
    expect(subject.text(JSON.stringify({ type: 'card-frame-none', request: 5 }))).toBeNull();
    expect(answers).toEqual([
      [3, [...JPEG]],
      [4, [...JPEG]],
      [5, null],
    ]);
    expect(frames).toEqual([]);
  });

  it('drops what is not a JPEG still within the limit, or names no request', () => {
    const { subject, answers } = gate();
    const big = new Uint8Array(DEFAULT_GATE_LIMITS.maxCardFrameBytes + 1);
    big.set(JPEG);
    expect(subject.cardFrame(1, big)).toBe('too-large');
    expect(subject.cardFrame(1, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe('not-jpeg');
    expect(subject.cardFrame(1, 'ffd8ff')).toBe('not-a-frame');
    for (const request of [-1, 1.5, 2 ** 32, '1', null]) {
      expect(subject.cardFrame(request, JPEG)).toBe('not-a-frame');
    }
    expect(subject.message({ type: 'card-frame-none', request: -1 })).toBe('not-a-message');
    expect(subject.message({ type: 'card-frame-none' })).toBe('not-a-message');
    expect(subject.message({ type: 'card-frame-none', request: 1, jpeg: [] })).toBe('not-a-message');
    expect(answers).toEqual([]);
  });

  it('takes a still larger than a face frame may be', () => {
    const { subject, answers } = gate();
    const still = new Uint8Array(DEFAULT_GATE_LIMITS.maxFrameBytes + 1);
    still.set(JPEG);
    expect(subject.frame(still)).toBe('too-large');
    expect(subject.cardFrame(9, still)).toBeNull();
    expect(answers.map(([request]) => request)).toEqual([9]);
  });

  it('drops stills beyond their rate limit', () => {
    const { subject } = gate({ ...DEFAULT_GATE_LIMITS, cardFramesPerSecond: 2 });
    expect([1, 2, 3].map((request) => subject.cardFrame(request, JPEG))).toEqual([null, null, 'rate']);
  });
});
