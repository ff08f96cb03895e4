/**
 * What runs outside Node (the patient screens, the Chromium host's page scripts, Electron's
 * sandboxed preload) is written in TypeScript next to the code it talks to, and bundled into the
 * kiosk's dist/ by `npm run build` (scripts/build.mjs bundles what these tables name). At run time
 * the kiosk only reads those files: the packaged kiosk carries neither the sources nor a bundler.
 * A sandboxed preload cannot load other files, and a page must not fetch our sources, hence one
 * file each.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KIOSK_PACKAGE_DIR } from '../common/node/package-dir.ts';

/** The patient screens: index.html, ui.js, ui.css and any recorded voices, served as one folder. */
export const RENDERER = { entry: 'src/ui/main.ts', html: 'src/ui/index.html', dir: 'dist/renderer' } as const;

export const BROWSER_SCRIPTS_DIR = 'dist/browser-scripts';

/** Paths from the kiosk package's folder; a page script is an IIFE, the preload CommonJS for Electron. */
export const BROWSER_SCRIPTS = {
  'websocket-bridge': {
    entry: 'src/preload/websocket-bridge.ts',
    target: 'page',
    file: 'websocket-bridge.js',
  },
  'operator-page': {
    entry: 'src/shell/chromium/operator-page-script.ts',
    target: 'page',
    file: 'operator-page.js',
  },
  'electron-preload': {
    entry: 'src/preload/electron-preload.ts',
    target: 'preload',
    file: 'electron-preload.cjs',
  },
} as const;

export type BrowserScript = keyof typeof BROWSER_SCRIPTS;

/** A file or folder `npm run build` makes in the kiosk package, or an error that says to run it. */
export function buildOutput(path: string): string {
  const file = join(KIOSK_PACKAGE_DIR, path);
  if (!existsSync(file)) throw new Error(`${path} is missing from the kiosk: run \`npm run build\``);
  return file;
}

/** The folder of the built patient screens, which a shell serves. */
export function builtRenderer(): string {
  buildOutput(`${RENDERER.dir}/index.html`);
  return join(KIOSK_PACKAGE_DIR, RENDERER.dir);
}

export function browserScriptFile(name: BrowserScript): string {
  return buildOutput(`${BROWSER_SCRIPTS_DIR}/${BROWSER_SCRIPTS[name].file}`);
}

const scripts = new Map<BrowserScript, Promise<string>>();

/** The script's text, read once. */
export function browserScript(name: BrowserScript): Promise<string> {
  let script = scripts.get(name);
  if (!script) {
    script = readFile(browserScriptFile(name), 'utf8');
    scripts.set(name, script);
    // A failed read is not remembered: the next request tries again.
    script.catch(() => scripts.delete(name));
  }
  return script;
}
