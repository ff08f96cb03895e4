/**
 * A picture of every patient screen for every vendor profile, kept with the end-to-end artifacts
 * (var/e2e-artifacts/screens/<vendor>/<screen>.png) next to the screens the flows reached. Several
 * screens only flash by in a real visit (reading, verifying, recording), so these are drawn by the
 * preview renderer with its made-up views, as `kiosk preview` draws them; the checks on each screen
 * (axe-core, touch targets, layout) belong to the patient-screen tests and are not repeated here.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENS } from '@myna/kiosk/common/ui-protocol.js';
import { listVendors } from '@myna/kiosk/config/vendor-profile.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../../src/preview/chromium.ts';
import { PreviewPage } from '../../src/preview/preview-page.ts';
import { previewProfile } from '../../src/preview/render-screen.ts';
import { sampleView } from '../../src/preview/sample-views.ts';
import { ARTIFACTS, e2eUiDir } from '../../src/test-support/e2e-kiosk.ts';

const skip = chromiumMissing();
if (skip) console.warn(`skipping the vendor screenshots: ${skip}`);

describe.skipIf(skip)('every screen of every vendor, as pictures', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(listVendors())(
    '%s',
    async (vendor) => {
      const dir = join(ARTIFACTS, 'screens', vendor);
      // Last run's pictures go first: every file there afterwards was drawn now.
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const preview = await PreviewPage.open(browser, {
        uiDir: await e2eUiDir(),
        profile: previewProfile(vendor),
        view: sampleView('idle'),
      });
      try {
        for (const screen of SCREENS) {
          await preview.paint(sampleView(screen));
          if (screen === 'face') await preview.page.waitForSelector('#app[data-camera="on"]');
          expect(await preview.page.getAttribute('#app', 'data-vendor')).toBe(vendor);
          expect(await preview.page.getAttribute('#app', 'data-screen')).toBe(screen);
          await preview.screenshot(join(dir, `${screen}.png`));
        }
      } finally {
        await preview.close();
      }
      expect(SCREENS.filter((screen) => !existsSync(join(dir, `${screen}.png`)))).toEqual([]);
    },
    120_000,
  );
});
