import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CARD_FRAME_TIMEOUT_MS, rendererCardCamera } from '../../../src/kiosk/renderer-card-camera.ts';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]);

/** The renderer's side of the channel: the requests it was sent, in order. */
function channel() {
  const asked: number[] = [];
  const camera = rendererCardCamera((request) => asked.push(request));
  return { asked, camera };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the card camera behind the renderer', () => {
  it('asks the renderer for a still and gives its answer', async () => {
    const { asked, camera } = channel();
    const frame = camera.frame();
    expect(asked).toEqual([0]);
    camera.answer(0, JPEG);
    expect(await frame).toBe(JPEG);
  });

  it('gives null when the renderer answers none', async () => {
    const { camera } = channel();
    const frame = camera.frame();
    camera.answer(0, null);
    expect(await frame).toBeNull();
  });

  it('gives null when the renderer does not answer in time, and drops the late answer', async () => {
    const { asked, camera } = channel();
    const frame = camera.frame();
    await vi.advanceTimersByTimeAsync(CARD_FRAME_TIMEOUT_MS);
    expect(await frame).toBeNull();
    camera.answer(0, JPEG);
    const next = camera.frame();
    expect(asked).toEqual([0, 1]);
    // The late answer to request 0 does not stand in for request 1.
    camera.answer(0, JPEG);
    await vi.advanceTimersByTimeAsync(CARD_FRAME_TIMEOUT_MS);
    expect(await next).toBeNull();
  });

  it('matches each answer to its request, whatever the order', async () => {
    const { camera } = channel();
    const first = camera.frame();
    const second = camera.frame();
    const other = Uint8Array.from([0xff, 0xd8, 0xff, 0xdb]);
    camera.answer(1, other);
    camera.answer(7, JPEG);
    camera.answer(0, JPEG);
    expect(await first).toBe(JPEG);
    expect(await second).toBe(other);
  });

  it('gives null for a request the channel could not send', async () => {
    const camera = rendererCardCamera(() => {
      throw new Error('no renderer');
    });
    expect(await camera.frame()).toBeNull();
  });

  it('once closed, ends the waiting requests with null and asks no more', async () => {
    const { asked, camera } = channel();
    const frame = camera.frame();
    await camera.close?.();
    expect(await frame).toBeNull();
    expect(await camera.frame()).toBeNull();
    expect(asked).toEqual([0]);
  });
});
