/**
 * The renderer runs in an untrusted, sandboxed page: it may import only itself, the contract in
 * src/common/ui-protocol.ts and i18next; it must not touch browser storage or log anything.
 * Checked on the sources and on the bundle a shell loads; tsconfig.renderer.json types it against
 * the DOM, never Node.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtRenderer } from '../../../src/shell/browser-scripts.ts';

const KIOSK = resolve(import.meta.dirname, '../../..');
const UI = join(KIOSK, 'src/ui');

const rendererFiles = (readdirSync(UI, { recursive: true }) as string[])
  .map((file) => file.replace(/\\/g, '/'))
  .filter((file) => file.endsWith('.ts'));

const imports = (source: string) =>
  [...source.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

describe('the renderer’s sources', () => {
  it('are found', () => {
    expect(rendererFiles).toEqual(
      expect.arrayContaining(['main.ts', 'app.ts', 'screens/pin.ts', 'camera.ts']),
    );
  });

  it.each(rendererFiles)('%s imports nothing from Node or from outside src/ui and the contract', (file) => {
    const source = readFileSync(join(UI, file), 'utf8');
    for (const target of imports(source)) {
      if (target === 'i18next') continue;
      expect(target, `${file} imports ${target}`).toMatch(/^\./);
      const resolved = relative(UI, resolve(UI, dirname(file), target)).replace(/\\/g, '/');
      const inside = !resolved.startsWith('..');
      expect(inside || resolved === '../common/ui-protocol.ts', `${file} imports ${target}`).toBe(true);
    }
  });

  it.each(rendererFiles)('%s keeps nothing in browser storage and logs nothing', (file) => {
    const source = readFileSync(join(UI, file), 'utf8');
    expect(source).not.toMatch(/localStorage|sessionStorage|indexedDB|document\.cookie|console\./);
  });
});

describe('the built renderer (npm run build)', () => {
  const dir = builtRenderer();

  it('is index.html, ui.js and ui.css in the kiosk’s dist/', () => {
    expect(dir).toBe(join(KIOSK, 'dist/renderer'));
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'ui.css', 'ui.js']);
  });

  it('loads relative files only, under a policy that allows no inline script', () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('src="ui.js"');
    expect(html).toContain('href="ui.css"');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'self'; script-src 'self';/);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('is one script that imports nothing and touches no browser storage', () => {
    const js = readFileSync(join(dir, 'ui.js'), 'utf8');
    expect(js).not.toMatch(/\brequire\(|^import /m);
    expect(js).not.toMatch(/localStorage|sessionStorage|indexedDB/);
  });
});

describe('the renderer’s typing', () => {
  const config = (name: string) =>
    JSON.parse(readFileSync(join(KIOSK, name), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
      compilerOptions: { lib?: string[]; types?: string[] };
      include?: string[];
      exclude?: string[];
    };

  it('is against the DOM and not Node, and the Node project leaves the screens out', () => {
    const renderer = config('tsconfig.renderer.json');
    expect(renderer.compilerOptions.lib).toContain('DOM');
    expect(renderer.compilerOptions.types).toEqual([]);
    expect(renderer.include).toContain('src/ui');
    expect(config('tsconfig.json').exclude).toContain('src/ui');
  });
});
