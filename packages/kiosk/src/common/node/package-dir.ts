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

/**
 * Node options for such an entry: the parent's, less the "source" export condition that tests run
 * with, which would lead the compiled entry back to TypeScript sources it cannot load.
 */
export function compiledExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if ((arg === '--conditions' || arg === '-C') && execArgv[i + 1] === 'source') i++;
    else if (arg !== '--conditions=source') kept.push(arg);
  }
  return kept;
}
