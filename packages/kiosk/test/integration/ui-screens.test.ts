/**
 * Every screen of every vendor profile, rendered by the built renderer in Debian's Chromium: a
 * screenshot of each (var/screenshots/<vendor>/<screen>.png, kept as a test artifact), no serious
 * or critical axe-core finding, touch targets of 15 mm, body-size text, and nothing outside the
 * window in portrait (1080×1920) or landscape (1920×1080), in every language.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromiumMissing, launchChromium } from '@myna/devtools/preview/chromium.js';
import { outsideWindow, smallTargets, smallText } from '@myna/devtools/preview/page-checks.js';
import { type Orientation, PreviewPage, VIEWPORTS } from '@myna/devtools/preview/preview-page.js';
import { previewProfile } from '@myna/devtools/preview/render-screen.js';
import { sampleView } from '@myna/devtools/preview/sample-views.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENS, type Screen } from '../../src/common/ui-protocol.ts';
import { listVendors } from '../../src/config/vendor-profile.ts';
import { builtRenderer } from '../../src/shell/browser-scripts.ts';
import { LANGUAGES } from '../../src/ui/languages.ts';

const skip = chromiumMissing();
if (skip) console.warn(`skipping the patient-screen tests in Chromium: ${skip}`);

const SCREENSHOTS = join(import.meta.dirname, '../../../../var/screenshots');
const VENDORS = listVendors();

/** The sample views, plus the variants with something more on screen. */
const VARIANTS: [string, ReturnType<typeof sampleView>][] = [
  [
    'consent, bundled',
    sampleView('consent', {
      consent: { items: ['medication', 'checkup', 'diagnosis', 'surgery'], bundled: true },
    }),
  ],
  ['method, PIN-less card', sampleView('method', { pinless: true })],
  ['take-card, last level', sampleView('take-card', { reminders: 5, stop: 'timed-out' })],
  ['idle, visual check armed', sampleView('idle', { visualCheckArmed: true, stop: 'upstream-unreachable' })],
  ['idle, card just removed', sampleView('idle', { stop: 'card-removed' })],
  ['continue prompt', sampleView('consent', { continuePrompt: true })],
  // The longest reason text, in every language.
  ['face, card text covered', sampleView('face', { faceAttempt: 2, faceReasons: ['card-front-covered'] })],
];

/**
 * axe-core's serious and critical findings, one line each. Legacy mode runs axe in the page itself:
 * the page has no frames, and the default mode opens a second page to finish every run.
 */
async function seriousViolations(preview: PreviewPage): Promise<string[]> {
  const axe = await new AxeBuilder({ page: preview.page }).setLegacyMode().analyze();
  return axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const other = (orientation: Orientation): Orientation =>
  orientation === 'portrait' ? 'landscape' : 'portrait';

describe.skipIf(skip)('patient screens in Chromium', () => {
  let browser: Browser;
  let uiDir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    uiDir = builtRenderer();
  });
  afterAll(() => browser?.close());

  it('has the four vendors', () => {
    expect(VENDORS).toEqual(expect.arrayContaining(['almex', 'fujitsu', 'generic', 'panasonic']));
  });

  describe.each(VENDORS)('%s', (vendor) => {
    let preview: PreviewPage;
    const profile = previewProfile(vendor);
    const own = profile.screen.orientation;

    beforeAll(async () => {
      preview = await PreviewPage.open(browser, { uiDir, profile, view: sampleView('idle') });
      mkdirSync(join(SCREENSHOTS, vendor), { recursive: true });
    });
    afterAll(() => preview?.close());

    /** Layout problems in both orientations; the page is left in the profile's own. */
    async function layoutProblems(): Promise<string[]> {
      const problems: string[] = [];
      for (const orientation of [other(own), own]) {
        await preview.page.setViewportSize(VIEWPORTS[orientation]);
        for (const problem of [...(await outsideWindow(preview.page)), ...(await smallText(preview.page))]) {
          problems.push(`${orientation}: ${problem}`);
        }
      }
      return problems;
    }

    it.each(SCREENS)('%s renders, passes axe, fits and is big enough', async (screen: Screen) => {
      await preview.paint(sampleView(screen));
      if (screen === 'face') await preview.page.waitForSelector('#app[data-camera="on"]');
      expect(await preview.page.getAttribute('#app', 'data-screen')).toBe(screen);
      expect(((await preview.page.textContent('h1')) ?? '').trim()).not.toBe('');
      await preview.screenshot(join(SCREENSHOTS, vendor, `${screen}.png`));

      expect(await seriousViolations(preview)).toEqual([]);
      expect(await smallTargets(preview.page)).toEqual([]);
      expect(await layoutProblems()).toEqual([]);
    });

    it.each(VARIANTS)('%s renders, passes axe and fits', async (name, view) => {
      await preview.paint(view);
      await preview.screenshot(join(SCREENSHOTS, vendor, `${name.replace(/[^a-z]+/g, '-')}.png`));
      expect(await seriousViolations(preview)).toEqual([]);
      expect(await smallTargets(preview.page)).toEqual([]);
      expect(await layoutProblems()).toEqual([]);
    });
  });

  describe('in every language', () => {
    it.each(LANGUAGES)('%s: every screen fits portrait and landscape', async (lang) => {
      const preview = await PreviewPage.open(browser, {
        uiDir,
        profile: { ...previewProfile('generic'), defaultLanguage: lang },
        view: sampleView('idle'),
      });
      try {
        const problems: string[] = [];
        for (const [name, view] of [...SCREENS.map((s) => [s, sampleView(s)] as const), ...VARIANTS]) {
          await preview.deliver({ type: 'view', view });
          expect(await preview.page.getAttribute('#app', 'data-lang')).toBe(lang);
          for (const orientation of ['portrait', 'landscape'] as const) {
            await preview.page.setViewportSize(VIEWPORTS[orientation]);
            for (const problem of await outsideWindow(preview.page))
              problems.push(`${name} ${orientation}: ${problem}`);
          }
        }
        expect(problems).toEqual([]);
      } finally {
        await preview.close();
      }
    });
  });
});
