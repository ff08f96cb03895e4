/**
 * What a packaged Electron kiosk carries besides the sources: the preload already bundled (a
 * sandboxed preload is one file) and the renderer already built, both under dist-electron/ in the
 * app. `npx tsx src/shell/electron/packaged-files.ts` makes them before electron-builder runs
 * (electron-builder.yml packs that folder); in development both are made at start instead.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserScript } from '../browser-scripts.ts';
import { buildRendererInto } from '../kiosk-parts.ts';

export const PACKAGED_DIR = 'dist-electron';
export const PACKAGED_PRELOAD = 'preload.cjs';
export const PACKAGED_UI = 'ui';

/** The preload written into a private temporary folder (development), removed with `remove()`. */
export async function temporaryPreload(): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-preload-'));
  const file = join(dir, PACKAGED_PRELOAD);
  await writeFile(file, await browserScript('electron-preload'), { mode: 0o600 });
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function writePackagedFiles(appRoot: string): Promise<void> {
  const out = join(appRoot, PACKAGED_DIR);
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, PACKAGED_UI), { recursive: true });
  await writeFile(join(out, PACKAGED_PRELOAD), await browserScript('electron-preload'));
  await buildRendererInto(join(out, PACKAGED_UI));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await writePackagedFiles(process.cwd());
  process.stdout.write(`wrote ${PACKAGED_DIR}/${PACKAGED_PRELOAD} and ${PACKAGED_DIR}/${PACKAGED_UI}/\n`);
}
