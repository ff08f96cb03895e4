/**
 * One screen of one vendor's kiosk as a PNG, rendered by the real renderer in headless Chromium
 * with a made-up view: `kiosk preview`, screenshot jobs and end-to-end tests share this.
 */
import { SCREENS, type Screen, type ViewState } from '@myna/kiosk/common/ui-protocol.js';
import { toRendererProfile } from '@myna/kiosk/config/renderer-profile.js';
import { loadVendorProfile } from '@myna/kiosk/config/vendor-profile.js';
import { builtRenderer } from '@myna/kiosk/shell/browser-scripts.js';
import { isLanguage, LANGUAGES, type Language } from '@myna/kiosk/ui/languages.js';
import type { KioskRendererProfile } from '@myna/kiosk/ui/renderer-profile.js';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { type Orientation, PreviewPage, VIEWPORTS } from './preview-page.ts';
import { sampleView } from './sample-views.ts';

/** A request the preview cannot honour (unknown screen or language): a usage error. */
export class PreviewError extends Error {
  override readonly name = 'PreviewError';
}

export interface RenderScreenOptions {
  /** A vendor in assets/vendors, or the path of a profile.json. */
  vendor: string;
  screen: string;
  /** The screen language; the clinic default (Japanese) when left out. */
  lang?: string;
  /** The profile's own screen when left out. */
  orientation?: Orientation;
  /** Changes to the made-up view (another name, another reason). */
  view?: Partial<ViewState>;
  /** Another built renderer; the kiosk's own (`npm run build`) when left out. */
  uiDir?: string;
  /** A browser to reuse; one is started and closed when left out. */
  browser?: Browser;
}

export function checkScreen(screen: string): Screen {
  if (!(SCREENS as readonly string[]).includes(screen)) {
    throw new PreviewError(`unknown screen "${screen}" (screens: ${SCREENS.join(', ')})`);
  }
  return screen as Screen;
}

export function checkLanguage(lang: string): Language {
  if (!isLanguage(lang))
    throw new PreviewError(`unknown language "${lang}" (languages: ${LANGUAGES.join(', ')})`);
  return lang;
}

/** The vendor's renderer profile, speaking `lang` from the first screen. */
export function previewProfile(vendor: string, lang?: string): KioskRendererProfile {
  const profile = toRendererProfile(loadVendorProfile(vendor));
  return lang === undefined ? profile : { ...profile, defaultLanguage: checkLanguage(lang) };
}

export async function renderScreen(options: RenderScreenOptions): Promise<Buffer> {
  const screen = checkScreen(options.screen);
  const profile = previewProfile(options.vendor, options.lang);
  const uiDir = options.uiDir ?? builtRenderer();
  const browser = options.browser ?? (await launchChromium());
  try {
    const preview = await PreviewPage.open(browser, {
      uiDir,
      profile,
      view: sampleView(screen, options.view),
      viewport: options.orientation ? VIEWPORTS[options.orientation] : profile.screen,
    });
    if (screen === 'face') {
      await preview.page.waitForSelector('#app[data-camera="on"], #app[data-camera="unavailable"]');
      // A few frames in, the preview shows a picture rather than black.
      await preview.page.waitForTimeout(400);
    }
    const png = await preview.screenshot();
    await preview.close();
    return png;
  } finally {
    if (!options.browser) await browser.close();
  }
}
