/**
 * The scripts that run outside Node (the Chromium page bridge, the operator panel, Electron's
 * sandboxed preload) are written in TypeScript next to the code they talk to, and bundled into one
 * file each with esbuild (installed with tsx) when a shell first needs them. A sandboxed preload
 * cannot load other files, and a page must not fetch our sources, hence one file each.
 */
import { fileURLToPath } from 'node:url';

const SCRIPTS = {
  'websocket-bridge': { entry: '../preload/websocket-bridge.ts', target: 'page' },
  'operator-page': { entry: './chromium/operator-page-script.ts', target: 'page' },
  'electron-preload': { entry: '../preload/electron-preload.ts', target: 'preload' },
} as const;

export type BrowserScript = keyof typeof SCRIPTS;

const bundles = new Map<BrowserScript, Promise<string>>();

export function browserScript(name: BrowserScript): Promise<string> {
  let bundle = bundles.get(name);
  if (!bundle) {
    bundle = bundleScript(name);
    bundles.set(name, bundle);
    // A failed build is not remembered: the next request tries again.
    bundle.catch(() => bundles.delete(name));
  }
  return bundle;
}

async function bundleScript(name: BrowserScript): Promise<string> {
  const { build } = await import('esbuild');
  const script = SCRIPTS[name];
  const page = script.target === 'page';
  const result = await build({
    entryPoints: [fileURLToPath(new URL(script.entry, import.meta.url))],
    bundle: true,
    write: false,
    platform: page ? 'browser' : 'node',
    format: page ? 'iife' : 'cjs',
    target: page ? 'chrome120' : 'node20',
    external: page ? [] : ['electron'],
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`bundling ${name} produced nothing`);
  return output.text;
}
