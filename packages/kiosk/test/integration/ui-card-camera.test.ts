/**
 * The card tray's camera in the renderer, in Chromium: the main process asks for one still and
 * the renderer answers with a JPEG cropped from the face camera's region and turned, or with its
 * own camera found by label, or "none" when it has no card camera or cannot open one.
 */

import { chromiumMissing, launchChromium } from '@myna/devtools/preview/chromium.js';
import { PreviewPage } from '@myna/devtools/preview/preview-page.js';
import { previewProfile } from '@myna/devtools/preview/render-screen.js';
import { sampleView } from '@myna/devtools/preview/sample-views.js';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CardCameraSettings, RendererMessage } from '../../src/common/ui-protocol.ts';
import { decodeImage } from '../../src/face/image/decode.ts';
import type { Frame } from '../../src/face/image/frame.ts';
import { builtRenderer } from '../../src/shell/browser-scripts.ts';

const skip = chromiumMissing();
if (skip) console.warn(`skipping the card camera tests in Chromium: ${skip}`);

/**
 * A 640×480 camera showing four quarters, red and green over blue and white; it counts the
 * cameras opened and keeps their tracks, to see that they are stopped.
 */
const QUARTERS_CAMERA = `
window.openedTracks = [];
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const context = canvas.getContext('2d');
  const paint = () => {
    for (const [colour, x, y] of [['#f00', 0, 0], ['#0f0', 320, 0], ['#00f', 0, 240], ['#fff', 320, 240]]) {
      context.fillStyle = colour;
      context.fillRect(x, y, 320, 240);
    }
  };
  paint();
  setInterval(paint, 50);
  const stream = canvas.captureStream(20);
  openedTracks.push(...stream.getTracks());
  return stream;
};
`;

const NO_CAMERA = `
navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no camera', 'NotFoundError'));
`;

declare const openedTracks: { readyState: string }[];

/** The right half of the face camera, turned a quarter clockwise. */
const RIGHT_HALF_TURNED: CardCameraSettings = {
  source: 'face-camera',
  region: { x: 0.5, y: 0, width: 0.5, height: 1 },
  rotation: 90,
};

type Answer = { jpeg: Frame } | 'none';

/** Asks for a still as the main process would, and waits for the renderer's answer. */
async function ask(preview: PreviewPage, request: number): Promise<Answer> {
  await preview.deliver({ type: 'card-frame-request', request });
  const answered = async () => {
    const record = await preview.record();
    const still = record.cardFrames.find((frame) => frame.request === request);
    if (still) return { jpeg: decodeImage(Buffer.from(still.jpeg, 'base64')) };
    const none = record.sent.some(
      (m: RendererMessage) => m.type === 'card-frame-none' && m.request === request,
    );
    return none ? 'none' : null;
  };
  for (;;) {
    const answer = await answered();
    if (answer !== null) return answer;
    await preview.page.waitForTimeout(50);
  }
}

/** The colour at (x, y), each channel rounded to 0 or 255 (JPEG blurs the edges a little). */
function colourAt(frame: Frame, x: number, y: number): string {
  const at = (y * frame.width + x) * 4;
  return [0, 1, 2].map((c) => ((frame.data[at + c] ?? 0) > 127 ? 'f' : '0')).join('');
}

describe.skipIf(skip)('the card tray camera, in Chromium', () => {
  let browser: Browser;
  let uiDir: string;
  let preview: PreviewPage | undefined;

  beforeAll(async () => {
    browser = await launchChromium({ camera: true });
    uiDir = builtRenderer();
  });
  afterAll(() => browser?.close());
  afterEach(async () => {
    await preview?.close();
    preview = undefined;
  });

  it('answers with the face camera’s region, turned so the tray’s near edge is at the bottom', async () => {
    const profile = { ...previewProfile('fujitsu'), cardCamera: RIGHT_HALF_TURNED };
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile,
      view: sampleView('method'),
      initScripts: [QUARTERS_CAMERA],
    });
    const answer = await ask(preview, 1);
    if (answer === 'none') throw new Error('the renderer answered none');
    const { jpeg } = answer;
    // 320×480 of the right half, a quarter turn later 480×320: green (top) now on the right.
    expect([jpeg.width, jpeg.height]).toEqual([480, 320]);
    expect(colourAt(jpeg, 360, 160)).toBe('0f0');
    expect(colourAt(jpeg, 120, 160)).toBe('fff');
    // The camera opened for the still is closed again once no more are asked for.
    await preview.page.waitForFunction(
      () => openedTracks.length === 1 && openedTracks.every((track) => track.readyState === 'ended'),
      undefined,
      { timeout: 15_000 },
    );
  });

  it('crops from the face screen’s own camera while it runs, opening no other', async () => {
    const profile = {
      ...previewProfile('fujitsu'),
      cardCamera: { ...RIGHT_HALF_TURNED, rotation: 180 } satisfies CardCameraSettings,
    };
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile,
      view: sampleView('face'),
      initScripts: [QUARTERS_CAMERA],
    });
    await preview.page.waitForSelector('#app[data-camera="on"]');
    const answer = await ask(preview, 2);
    if (answer === 'none') throw new Error('the renderer answered none');
    // Upside down: white over green.
    expect([answer.jpeg.width, answer.jpeg.height]).toEqual([320, 480]);
    expect(colourAt(answer.jpeg, 160, 120)).toBe('fff');
    expect(colourAt(answer.jpeg, 160, 360)).toBe('0f0');
    expect(await preview.page.evaluate(() => openedTracks.length)).toBe(1);
  });

  it('opens a card camera of its own by its label, and never another camera in its place', async () => {
    const device = (deviceLabel: string): CardCameraSettings => ({
      source: 'device',
      deviceLabel,
      width: 640,
      height: 480,
      rotation: 0,
    });
    // Chromium's fake camera is labelled fake_device_0.
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: { ...previewProfile('panasonic'), cardCamera: device('fake_device') },
      view: sampleView('method'),
    });
    const answer = await ask(preview, 3);
    if (answer === 'none') throw new Error('the renderer answered none');
    expect([answer.jpeg.width, answer.jpeg.height]).toEqual([640, 480]);
    await preview.close();

    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: { ...previewProfile('panasonic'), cardCamera: device('Card Tray') },
      view: sampleView('method'),
    });
    expect(await ask(preview, 4)).toBe('none');
  });

  it('answers none without a card camera in the profile, or without a camera at all', async () => {
    const { cardCamera: _none, ...withoutCardCamera } = previewProfile('generic');
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: withoutCardCamera,
      view: sampleView('method'),
    });
    expect(await ask(preview, 5)).toBe('none');
    await preview.close();

    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: { ...previewProfile('fujitsu'), cardCamera: RIGHT_HALF_TURNED },
      view: sampleView('method'),
      initScripts: [NO_CAMERA],
    });
    expect(await ask(preview, 6)).toBe('none');
    expect((await preview.record()).cardFrames).toEqual([]);
  });
});
