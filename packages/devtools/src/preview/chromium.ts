/**
 * Debian's Chromium under playwright-core, for previews and the renderer's end-to-end tests; no
 * browser is ever downloaded. The camera is Chromium's fake device, and its permission prompt is
 * answered yes: this browser only ever shows made-up views.
 */
import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why Chromium cannot run here, as one line; null when it can. */
export function chromiumMissing(executable: string = CHROMIUM_PATH): string | null {
  try {
    accessSync(executable, constants.X_OK);
    return null;
  } catch {
    return `${executable} is not installed (Debian package chromium)`;
  }
}

export interface LaunchOptions {
  /** Give the page a camera (Chromium's test pattern); without one getUserMedia fails. */
  camera?: boolean;
}

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const args = ['--autoplay-policy=no-user-gesture-required', '--use-fake-ui-for-media-stream'];
  if (options.camera ?? true) args.push('--use-fake-device-for-media-stream');
  // Chromium's sandbox cannot start as root (CI containers run as root): switched off there only.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args });
}
