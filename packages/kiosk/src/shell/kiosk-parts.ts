/**
 * What both shells start from: the kiosk config, the composition root that builds the kiosk's
 * services from it (src/kiosk/start-kiosk.ts) and the renderer's build (src/ui/build.ts). The last
 * two are loaded by path when a shell starts, so that a shell can be built and tested on its own.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultKioskConfig, type KioskConfig, loadKioskConfig } from '../config/kiosk-config.ts';
import type { KioskServices } from '../kiosk/kiosk-services.ts';

export type StartKiosk = (options: { config: KioskConfig }) => Promise<KioskServices>;

const START_KIOSK = new URL('../kiosk/start-kiosk.ts', import.meta.url).href;
const BUILD_UI = new URL('../ui/build.ts', import.meta.url).href;

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

/** The renderer built into `dir` (the config's paths.ui unless a shell is given one). */
export async function buildRendererInto(dir: string): Promise<void> {
  const buildUi = await exported<(outDir: string) => Promise<unknown>>(
    BUILD_UI,
    'buildUi',
    'the patient screens cannot be built: src/ui/build.ts (buildUi) is not in this build; pass --ui-dir with a built renderer',
  );
  await buildUi(dir);
}
