/**
 * The done screen shows the patient's name exactly as the upstream wrote it: 𠮷 (U+20BB7, outside
 * the BMP), 髙 (U+9AD9) and 葛󠄀 (U+845B with the variation selector U+E0100) are neither replaced by
 * ● nor drawn as empty boxes. 77 % of surveyed clinics saw such names turned into ●.
 */

import { chromiumMissing, launchChromium } from '@myna/devtools/preview/chromium.js';
import { PreviewPage } from '@myna/devtools/preview/preview-page.js';
import { previewProfile } from '@myna/devtools/preview/render-screen.js';
import { SAMPLE_NAME, sampleView } from '@myna/devtools/preview/sample-views.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtRenderer } from '../../src/shell/browser-scripts.ts';
import { LANGUAGES } from '../../src/ui/languages.ts';

const skip = chromiumMissing();
if (skip) console.warn(`skipping the name-rendering tests in Chromium: ${skip}`);

const KATSURAGI = '葛\u{E0100}城　花子';
/** Unassigned in Unicode: whatever a browser draws for it is its missing-glyph box. */
const UNASSIGNED = '\u0378';

// What the page's canvas offers, for the function page.evaluate runs there (no DOM library here).
interface Canvas2d {
  font: string;
  textBaseline: string;
  fillText(text: string, x: number, y: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  measureText(text: string): { width: number };
  getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
}
declare const document: {
  createElement(tag: 'canvas'): { width: number; height: number; getContext(kind: '2d'): Canvas2d };
};

describe.skipIf(skip)('names on the done screen, in Chromium', () => {
  let browser: Browser;
  let uiDir: string;
  let preview: PreviewPage;

  beforeAll(async () => {
    browser = await launchChromium();
    uiDir = builtRenderer();
    preview = await PreviewPage.open(browser, {
      uiDir,
      profile: previewProfile('fujitsu'),
      view: sampleView('done'),
    });
  });
  afterAll(() => browser?.close());

  it.each([SAMPLE_NAME, KATSURAGI])('shows %s character for character, in every language', async (name) => {
    for (const lang of LANGUAGES) {
      await preview.page.click(`#lang-${lang}`);
      await preview.paint(sampleView('done', { displayName: name }));
      const shown = await preview.page.textContent('#patient-name');
      expect([...(shown ?? '')].map((c) => c.codePointAt(0))).toEqual([...name].map((c) => c.codePointAt(0)));
      expect(await preview.page.getAttribute('#patient-name', 'lang')).toBe('ja');
      expect(await preview.page.textContent('h1')).not.toContain('●');
    }
    await preview.page.click('#lang-ja');
  });

  it('draws the name with Noto CJK JP only: no fallback font, no missing glyph', async () => {
    await preview.paint(sampleView('done', { displayName: `${SAMPLE_NAME}　${KATSURAGI}` }));
    const cdp = await preview.page.context().newCDPSession(preview.page);
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: '#patient-name',
    });
    await cdp.send('CSS.enable');
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(fonts.map((f) => f.familyName)).toEqual(['Noto Sans CJK JP']);
    await cdp.detach();
  });

  it('draws 𠮷 and 髙 as their own glyphs, unlike the missing-glyph box and unlike 吉 and 高', async () => {
    const family = await nameFont(preview);
    const pixels = await preview.page.evaluate(
      ([font, texts]) => {
        const canvas = document.createElement('canvas');
        canvas.width = 120;
        canvas.height = 120;
        const context = canvas.getContext('2d');
        context.font = `96px ${font}`;
        context.textBaseline = 'top';
        return texts.map((text) => {
          context.clearRect(0, 0, 120, 120);
          context.fillText(text, 8, 8);
          return Array.from(context.getImageData(0, 0, 120, 120).data).join();
        });
      },
      [family, ['𠮷', '吉', '髙', '高', UNASSIGNED, '\u{E0100}']] as const,
    );
    const [tsuchiyoshi, yoshi, hashigodaka, taka, missing] = pixels;
    expect(tsuchiyoshi).not.toBe(missing);
    expect(tsuchiyoshi).not.toBe(yoshi);
    expect(hashigodaka).not.toBe(missing);
    expect(hashigodaka).not.toBe(taka);
    // Something is drawn at all (a blank canvas would make every comparison above meaningless).
    expect(new Set(tsuchiyoshi!.split(',')).size).toBeGreaterThan(2);
  });

  it('takes the variation selector of 葛󠄀 as part of the character, not as a box of its own', async () => {
    const widths = await preview.page.evaluate(
      (font) => {
        const context = document.createElement('canvas').getContext('2d');
        context.font = `96px ${font}`;
        return [context.measureText('葛\u{E0100}').width, context.measureText('葛').width];
      },
      await nameFont(preview),
    );
    expect(widths[0]).toBe(widths[1]);
  });
});

declare function getComputedStyle(element: unknown): { fontFamily: string };

/** The font-family the name is set in. */
function nameFont(preview: PreviewPage): Promise<string> {
  return preview.page.$eval('#patient-name', (element) => getComputedStyle(element).fontFamily);
}
