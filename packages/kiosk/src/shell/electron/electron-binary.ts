/**
 * Where the Electron binary is, for `kiosk start --shell electron` and the Electron tests. The npm
 * package `electron` is only a locator (its require() returns the binary's path) and its install
 * script, which downloads the binary, is not run here; so the binary is often missing.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compiledEntry } from '../../common/node/package-dir.ts';

export const ELECTRON_MISSING =
  'Electron binary not installed (optional dependency; run node node_modules/electron/install.js)';

/** The binary's path, or null when it is not installed. */
export function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** The file Electron is started with: the compiled main.ts. */
export const ELECTRON_ENTRY = fileURLToPath(compiledEntry('./main.js', import.meta.url));
