/**
 * The kiosk package's own read-only resources (model weights, vendor profiles, recorded voices),
 * found from this module whether it runs from src/ or from the compiled dist/: both sit three
 * folders below the package. Data the kiosk writes never goes here (see the config's paths).
 */
import { fileURLToPath } from 'node:url';

export const KIOSK_PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The compiled file of an entry that a new thread or process starts (a worker, Electron's main):
 * it inherits no TypeScript loader, so when this code runs from its sources (tests, tsx) the entry
 * is taken from the build output (`npm run build`), which mirrors src/ under dist/.
 */
export function compiledEntry(relative: string, base: string): URL {
  const url = new URL(relative, base);
  if (!base.endsWith('.ts')) return url;
  return new URL(url.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/'));
}
