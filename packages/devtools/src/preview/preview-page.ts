/**
 * The built renderer in a Chromium page with the fake bridge: show any view, read back what the
 * renderer sent. Used by `kiosk preview`, the screenshot job and the end-to-end tests.
 */
import { pathToFileURL } from 'node:url';
import type { MainMessage, RendererMessage, ViewState } from '@myna/kiosk/common/ui-protocol.js';
import type { KioskRendererProfile } from '@myna/kiosk/ui/renderer-profile.js';
import type { Browser, Page } from 'playwright-core';
import { type FakeBridgePage, type FakeBridgeRecord, installFakeBridge } from './fake-bridge.ts';

declare const kioskFake: FakeBridgePage['kioskFake'];
declare const document: { fonts: { ready: Promise<unknown> }; querySelector(selector: string): unknown };

export type Orientation = 'portrait' | 'landscape';

export const VIEWPORTS: Record<Orientation, { width: number; height: number }> = {
  portrait: { width: 1080, height: 1920 },
  landscape: { width: 1920, height: 1080 },
};

export interface OpenPreviewOptions {
  uiDir: string;
  profile: KioskRendererProfile;
  view: ViewState;
  /** The window size; the profile's screen when left out. */
  viewport?: { width: number; height: number };
  /** Scripts run in the page before the renderer (test probes: fake speech, storage watch). */
  initScripts?: string[];
}

export class PreviewPage {
  private constructor(readonly page: Page) {}

  static async open(browser: Browser, options: OpenPreviewOptions): Promise<PreviewPage> {
    const { width, height } = options.viewport ?? options.profile.screen;
    // A context of its own: axe-core needs one, and nothing leaks from one preview to the next.
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const initial: MainMessage[] = [
      { type: 'profile', profile: options.profile },
      { type: 'view', view: options.view },
    ];
    // tsx compiles with esbuild's keepNames: a function handed to the page calls its __name helper.
    await page.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
    await page.addInitScript(installFakeBridge, initial);
    for (const content of options.initScripts ?? []) await page.addInitScript({ content });
    await page.goto(pathToFileURL(`${options.uiDir}/index.html`).href);
    const preview = new PreviewPage(page);
    await preview.settled(options.view.screen);
    return preview;
  }

  /** Sends a view as the main process would and waits until it is on screen and takes touches. */
  async show(view: ViewState): Promise<void> {
    await this.deliver({ type: 'view', view });
    await this.settled(view.screen);
  }

  /** Sends a view and waits only until it is drawn: for looking at it, not for touching it. */
  async paint(view: ViewState): Promise<void> {
    await this.deliver({ type: 'view', view });
    await this.page.waitForFunction(
      (name) => document.querySelector(`#app[data-screen="${name}"]`) !== null,
      view.screen,
      {
        polling: 20,
      },
    );
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
  }

  deliver(message: MainMessage): Promise<void> {
    return this.page.evaluate((m) => kioskFake.deliver(m), message);
  }

  record(): Promise<FakeBridgeRecord> {
    return this.page.evaluate(() => kioskFake.record);
  }

  /** The patient commands sent so far, in order. */
  async commands(): Promise<unknown[]> {
    const { sent } = await this.record();
    return sent
      .filter((m): m is Extract<RendererMessage, { type: 'patient' }> => m.type === 'patient')
      .map((m) => m.command);
  }

  /** Until `screen` is up and past its double-tap guard, with its fonts loaded. */
  async settled(screen: string): Promise<void> {
    // Polled briskly: waitForSelector backs off to half a second, longer than the guard itself.
    await this.page.waitForFunction(
      (name) => document.querySelector(`#app[data-screen="${name}"][data-settled="true"]`) !== null,
      screen,
      { polling: 20 },
    );
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
  }

  screenshot(path?: string): Promise<Buffer> {
    return this.page.screenshot({ ...(path ? { path } : {}), animations: 'disabled' });
  }

  close(): Promise<void> {
    return this.page.context().close();
  }
}
