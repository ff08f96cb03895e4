/**
 * Debian's Chromium driven by playwright-core (no browser is ever downloaded). The shell tests are
 * skipped, with the reason printed, where it is not installed.
 */
import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumMissing, DEBIAN_CHROMIUM } from '../../../../src/shell/chromium/chromium-launcher.ts';

export const NO_CHROMIUM = chromiumMissing(DEBIAN_CHROMIUM);
if (NO_CHROMIUM) console.warn(`skipping the Chromium shell tests: ${NO_CHROMIUM}`);

/** Chromium's own sandbox cannot start as root (CI containers run the tests as root): --no-sandbox there only. */
export const RUNNING_AS_ROOT = process.getuid?.() === 0;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: RUNNING_AS_ROOT ? ['--no-sandbox'] : [] });
}

/** The smallest byte string the host accepts as a JPEG frame (SOI, then an APP0 marker). */
export function jpegLike(size: number): number[] {
  const bytes = Array.from({ length: size }, (_, i) => i % 251);
  bytes.splice(0, 4, 0xff, 0xd8, 0xff, 0xe0);
  return bytes;
}

// The page's own WebSocket, for the function page.evaluate runs there (no DOM library here).
declare const location: { host: string };
declare const WebSocket: new (
  url: string,
) => { onopen: () => void; onclose: (event: { code: number }) => void; send(data: string): void };

/** Opens the host's socket from inside the page, sends `hello` (if any) and resolves with the close code. */
export function closeCodeAfter(page: Page, hello: unknown): Promise<number> {
  return page.evaluate(
    (text) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`ws://${location.host}/__kiosk/socket`);
        if (text !== null) socket.onopen = () => socket.send(text);
        socket.onclose = (event) => resolve(event.code);
      }),
    hello === null ? null : typeof hello === 'string' ? hello : JSON.stringify(hello),
  );
}
