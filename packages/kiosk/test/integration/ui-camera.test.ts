/**
 * The camera on the face screen, with Chromium's fake camera: JPEG frames at the profile's size
 * about four times a second while the screen is up and none after, live reasons from the main
 * process, and a way back when there is no camera at all.
 */

import { chromiumMissing, launchChromium } from '@myna/devtools/preview/chromium.js';
import { PreviewPage } from '@myna/devtools/preview/preview-page.js';
import { previewProfile } from '@myna/devtools/preview/render-screen.js';
import { sampleView } from '@myna/devtools/preview/sample-views.js';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtRenderer } from '../../src/shell/browser-scripts.ts';

const skip = chromiumMissing();
if (skip) console.warn(`skipping the camera tests in Chromium: ${skip}`);

/** Keeps the camera tracks the page opens, to see that they are stopped. */
const TRACK_WATCH = `
window.openedTracks = [];
const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints) => {
  const stream = await getUserMedia(constraints);
  openedTracks.push(...stream.getTracks());
  return stream;
};
`;

/** A machine whose camera is missing or refused. */
const NO_CAMERA = `
navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no camera', 'NotFoundError'));
`;

declare const openedTracks: { readyState: string }[];

describe.skipIf(skip)('the camera on the face screen, in Chromium', () => {
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

  it('sends JPEG frames at the profile’s size about four times a second, and stops on leaving', async () => {
    const profile = previewProfile('panasonic');
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile,
      view: sampleView('idle'),
      initScripts: [TRACK_WATCH],
    });
    expect((await preview.record()).frames).toBe(0);
    await preview.show(sampleView('face'));
    await preview.page.waitForSelector('#app[data-camera="on"]');
    const start = (await preview.record()).frames;
    await preview.page.waitForTimeout(2000);
    const record = await preview.record();
    const sent = record.frames - start;
    // About 8 at 4 a second; the floor leaves room for a loaded machine, the ceiling catches a video rate.
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(sent).toBeLessThanOrEqual(10);
    expect(record.frameStarts.every((bytes) => bytes.join() === '255,216,255')).toBe(true);
    expect(new Set(record.frameSizes.map((size) => size.join('×')))).toEqual(
      new Set([`${profile.camera.width}×${profile.camera.height}`]),
    );

    await preview.show(sampleView('method'));
    expect(await preview.page.getAttribute('#app', 'data-camera')).toBe('off');
    expect(await preview.page.evaluate(() => openedTracks.map((track) => track.readyState))).toEqual([
      'ended',
    ]);
    const after = (await preview.record()).frames;
    await preview.page.waitForTimeout(800);
    expect((await preview.record()).frames).toBe(after);
  });

  it('shows the live reason the main process sends, in the patient’s language', async () => {
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: previewProfile('fujitsu'),
      view: sampleView('face', { faceReasons: [] }),
    });
    expect(await preview.page.isVisible('#face-reason')).toBe(false);
    await preview.deliver({ type: 'face-feedback', reasons: ['too-far', 'too-dark'] });
    expect(await preview.page.textContent('#face-reason')).toBe('もう少し近づいてください。');
    await preview.deliver({ type: 'face-feedback', reasons: ['face-covered'] });
    expect(await preview.page.textContent('#face-reason')).toBe('マスクを外してください。');
    await preview.page.click('#lang-pt');
    expect(await preview.page.textContent('#face-reason')).toBe('Retire a máscara, por favor.');
    await preview.deliver({ type: 'face-feedback', reasons: ['some-new-code'] });
    expect(await preview.page.textContent('#face-reason')).toBe('Tente de novo, por favor.');
  });

  it('says why the card front could not be read, from the last attempt, in the patient’s language', async () => {
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: previewProfile('fujitsu'),
      view: sampleView('face', { faceAttempt: 2, faceReasons: ['card-front-back'] }),
    });
    expect(await preview.page.textContent('#face-reason')).toBe(
      'カードが裏返しです。顔写真のある面を上にして置き直してください。',
    );
    await preview.page.click('#lang-en');
    expect(await preview.page.textContent('#face-reason')).toBe(
      'Your card is face down. Please place it again with the photo side facing up.',
    );
  });

  it('without a camera says so and offers the way back (CANCEL)', async () => {
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: previewProfile('almex'),
      view: sampleView('face'),
      initScripts: [NO_CAMERA],
    });
    await preview.page.waitForSelector('#app[data-camera="unavailable"]');
    expect(await preview.page.textContent('[role="alert"]')).toBe(
      'カメラが使えません。「戻る」を押して、別の方法で本人確認をしてください。',
    );
    expect(await preview.page.isVisible('video')).toBe(false);
    await preview.page.click('#face-back');
    expect(await preview.commands()).toEqual([{ type: 'CANCEL' }]);
    expect((await preview.record()).frames).toBe(0);
  });
});
