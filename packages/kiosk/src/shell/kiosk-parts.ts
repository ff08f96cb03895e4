/**
 * What both shells start from: the kiosk config and the composition root that builds the kiosk's
 * services from it (src/kiosk/start-kiosk.ts), loaded by path when a shell starts, so that a shell
 * can be built and tested on its own. The patient screens come built (./browser-scripts.ts).
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultKioskConfig, type KioskConfig, loadKioskConfig } from '../config/kiosk-config.ts';
import type { KioskServices } from '../kiosk/kiosk-services.ts';

export type StartKiosk = (options: { config: KioskConfig }) => Promise<KioskServices>;

// .ts from the sources (tests), .js from the build: a URL is not rewritten by the compiler.
const START_KIOSK = new URL(`../kiosk/start-kiosk${extname(import.meta.url)}`, import.meta.url).href;

/** The config file's, or the demo's defaults (paths under the repository). */
export function kioskConfig(file?: string): KioskConfig {
  return file === undefined ? defaultKioskConfig() : loadKioskConfig(file);
}

async function exported<T>(specifier: string, name: string, missing: string): Promise<T> {
  if (!existsSync(fileURLToPath(specifier))) throw new Error(missing);
  const module = (await import(specifier)) as Record<string, unknown>;
  if (typeof module[name] !== 'function') throw new Error(missing);
  return module[name] as T;
}

export function loadStartKiosk(): Promise<StartKiosk> {
  return exported<StartKiosk>(
    START_KIOSK,
    'startKiosk',
    'the kiosk services cannot be started: src/kiosk/start-kiosk.ts (startKiosk) is not in this build',
  );
}
