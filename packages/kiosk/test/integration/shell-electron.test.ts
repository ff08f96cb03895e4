import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_MISSING, electronBinary } from '../../src/shell/electron/electron-binary.ts';
import type { RendererLink } from '../../src/shell/electron/renderer-ipc.ts';
import { RUNNING_AS_ROOT } from '../unit/shell/support/browser.ts';
import type { PlaceholderWindow } from '../unit/shell/support/placeholder-ui.ts';
import type { StandInKiosk } from '../unit/shell/support/stand-in-kiosk.ts';

const ELECTRON = electronBinary();
const NO_DISPLAY = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const SKIP =
  ELECTRON === null ? ELECTRON_MISSING : NO_DISPLAY ? 'no display for Electron (run under xvfb-run)' : null;
if (SKIP) console.warn(`skipping the Electron shell test: ${SKIP}`);

const ENTRY = fileURLToPath(new URL('../unit/shell/support/electron-test-main.mjs', import.meta.url));

// Globals of the page and of the main process, for the functions Playwright runs there (no DOM library here).
declare const window: PlaceholderWindow & {
  open(url: string): unknown;
  require?: unknown;
  process?: unknown;
};
declare const location: { href: string };
declare const document: {
  createElement(tag: 'script'): { textContent: string };
  head: { append(node: unknown): void };
};
interface MainGlobals {
  kioskTest: { services: StandInKiosk; link: RendererLink };
}

describe.skipIf(SKIP !== null)('Electron shell, in the real Electron (Playwright _electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  beforeAll(async () => {
    app = await _electron.launch({
      executablePath: ELECTRON as string,
      // As root (CI containers) Chromium's process sandbox cannot start; the window's own settings still apply.
      args: [...(RUNNING_AS_ROOT ? ['--no-sandbox'] : []), ENTRY],
      env: { ...process.env, KIOSK_DEV: '0' },
    });
    page = await app.firstWindow();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gives the page exactly window.kiosk, and no Node', async () => {
    await expect.poll(() => page.textContent('#screen')).toBe('idle');
    expect(page.url()).toBe('app://kiosk/index.html');
    expect(await page.evaluate(() => Object.keys(window.kiosk).sort())).toEqual([
      'onMessage',
      'send',
      'sendFrame',
    ]);
    expect(await page.evaluate(() => [typeof window.require, typeof window.process])).toEqual([
      'undefined',
      'undefined',
    ]);
  });

  it('carries views and patient commands, and drops what is not a patient command', async () => {
    await app.evaluate(() =>
      (globalThis as unknown as MainGlobals).kioskTest.services.controller.card(true, '2026-11-24'),
    );
    await expect.poll(() => page.textContent('#screen')).toBe('method');
    await page.click('#choose-pin');
    await expect.poll(() => page.textContent('#screen')).toBe('pin');
    await page.evaluate(() => window.kiosk.send({ type: 'patient', command: { type: 'STAFF_CONFIRMED' } }));
    await expect
      .poll(() =>
        app.evaluate(() => (globalThis as unknown as MainGlobals).kioskTest.link.dropped['not-a-command']),
      )
      .toBe(1);
    expect(
      await app.evaluate(
        () => (globalThis as unknown as MainGlobals).kioskTest.services.staffCommands.length,
      ),
    ).toBe(0);
  });

  it('hands camera frames to services.frame()', async () => {
    await page.evaluate(() => window.kiosk.sendFrame(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]).buffer));
    await expect
      .poll(() => app.evaluate(() => (globalThis as unknown as MainGlobals).kioskTest.services.frames.length))
      .toBe(1);
  });

  it('does not navigate away, open windows or run inline script', async () => {
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await page.waitForTimeout(300);
    expect(page.url()).toBe('app://kiosk/index.html');
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.append(script);
    });
    expect(await page.evaluate(() => window.inlineRan)).toBeUndefined();
  });
});
