/**
 * The camera clips the end-to-end tests feed Chromium's fake capture device: the Y4M the writer
 * makes is what a YUV4MPEG2 reader expects (header, frame markers, 4:2:0 planes, studio-range
 * BT.601 colour), so a picture on the kiosk's camera is the picture the test meant.
 */

import { createFrame, type Frame } from '@myna/kiosk/face/image/frame.js';
import { describe, expect, it } from 'vitest';
import { fitFrame, rgbToYuv, toI420, y4mClip } from '../../src/test-support/e2e-y4m.ts';

function solid(width: number, height: number, [r, g, b]: [number, number, number]): Frame {
  const frame = createFrame(width, height);
  for (let i = 0; i < frame.data.length; i += 4) frame.data.set([r, g, b, 255], i);
  return frame;
}

describe('Y4M camera clips', () => {
  it('converts colour with the studio-range BT.601 matrix', () => {
    expect(rgbToYuv(0, 0, 0)).toEqual([16, 128, 128]);
    expect(rgbToYuv(255, 255, 255)).toEqual([235, 128, 128]);
    expect(rgbToYuv(255, 0, 0)).toEqual([81, 90, 240]);
    expect(rgbToYuv(0, 0, 255)).toEqual([41, 240, 110]);
  });

  it('lays a frame out as I420: full-size luma, then each chroma plane at half size, 2×2 averaged', () => {
    const frame = solid(4, 2, [255, 255, 255]);
    // The left 2×2 block half red, half blue: its chroma is the mean colour's.
    frame.data.set([255, 0, 0, 255], 0);
    frame.data.set([0, 0, 255, 255], 4);
    frame.data.set([255, 0, 0, 255], 16);
    frame.data.set([0, 0, 255, 255], 20);
    const planes = toI420(frame);
    expect(planes).toHaveLength(4 * 2 + 2 * 2);
    expect([...planes.subarray(0, 8)]).toEqual([81, 41, 235, 235, 81, 41, 235, 235]);
    const [, u, v] = rgbToYuv(127.5, 0, 127.5);
    expect([...planes.subarray(8)]).toEqual([u, 128, v, 128]);
  });

  it('writes the header and repeats each picture for its seconds at the frame rate', () => {
    const clip = y4mClip(
      [
        { frame: solid(4, 2, [0, 0, 0]), seconds: 1 },
        { frame: solid(4, 2, [255, 255, 255]), seconds: 0.4 },
      ],
      { fps: 5 },
    );
    const header = 'YUV4MPEG2 W4 H2 F5:1 Ip A1:1 C420\n';
    expect(clip.subarray(0, header.length).toString('latin1')).toBe(header);
    const frameBytes = 'FRAME\n'.length + 12;
    expect(clip.length).toBe(header.length + 7 * frameBytes);
    const lumaOf = (n: number) => clip[header.length + n * frameBytes + 'FRAME\n'.length];
    expect([0, 4, 5, 6].map(lumaOf)).toEqual([16, 16, 235, 235]);
  });

  it('refuses odd sides and pictures of different sizes', () => {
    expect(() => y4mClip([{ frame: solid(3, 2, [0, 0, 0]), seconds: 1 }])).toThrow(/even sides/);
    expect(() =>
      y4mClip([
        { frame: solid(4, 2, [0, 0, 0]), seconds: 1 },
        { frame: solid(2, 2, [0, 0, 0]), seconds: 1 },
      ]),
    ).toThrow(/4×2/);
    expect(() => y4mClip([])).toThrow(/at least one picture/);
  });

  it('fits a picture into the camera frame without distorting it', () => {
    const wide = solid(8, 2, [255, 0, 0]);
    const fitted = fitFrame(wide, 8, 6, [0, 0, 0]);
    expect([fitted.width, fitted.height]).toEqual([8, 6]);
    const at = (x: number, y: number) => [...fitted.data.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 3)];
    expect(at(0, 0)).toEqual([0, 0, 0]);
    expect(at(0, 2)).toEqual([255, 0, 0]);
    expect(at(7, 3)).toEqual([255, 0, 0]);
    expect(at(7, 5)).toEqual([0, 0, 0]);
  });
});
