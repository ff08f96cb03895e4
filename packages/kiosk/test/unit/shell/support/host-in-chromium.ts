/**
 * One Chromium for a test file and, for each test, a fresh host over fresh stand-in services with
 * a page of its own browser context (axe needs one to inject its checker).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type KioskHost, startKioskHost } from '../../../../src/shell/chromium/kiosk-host.ts';
import { launchBrowser } from './browser.ts';
import { type PlaceholderUi, placeholderUi } from './placeholder-ui.ts';
import { type StandInKiosk, standInKiosk } from './stand-in-kiosk.ts';

export interface HostInChromium {
  browser: Browser;
  ui: PlaceholderUi;
  services: StandInKiosk;
  host: KioskHost;
  context: BrowserContext;
  page: Page;
}

/** Registers the hooks; the returned object's fields are filled in before each test. */
export function useHostInChromium(options: { demo?: boolean; operatorPanel?: boolean } = {}): HostInChromium {
  const fixture = {} as HostInChromium;
  beforeAll(async () => {
    fixture.browser = await launchBrowser();
    fixture.ui = await placeholderUi();
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.ui?.remove();
  });
  beforeEach(async () => {
    fixture.services = standInKiosk(options);
    fixture.host = await startKioskHost({
      services: fixture.services,
      uiDir: fixture.ui.dir,
      operatorPanel: options.operatorPanel,
    });
    fixture.context = await fixture.browser.newContext();
    fixture.page = await fixture.context.newPage();
  });
  afterEach(async () => {
    await fixture.context.close();
    await fixture.host.close();
    await fixture.services.close();
  });
  return fixture;
}
