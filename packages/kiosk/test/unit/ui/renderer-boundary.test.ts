/**
 * The renderer runs in an untrusted, sandboxed page: it must not touch browser storage or log
 * anything. Checked on the sources and on the bundle a shell loads; what it may import is the
 * import-rule test's (devtools test/unit/import-rules.test.ts), and tsconfig.renderer.json types it
 * against the DOM, never Node.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtRenderer } from '../../../src/shell/browser-scripts.ts';

const KIOSK = resolve(import.meta.dirname, '../../..');
const UI = join(KIOSK, 'src/ui');

const rendererFiles = (readdirSync(UI, { recursive: true }) as string[])
  .map((file) => file.replace(/\\/g, '/'))
  .filter((file) => file.endsWith('.ts'));

describe('the renderer’s sources', () => {
  it('are found', () => {
    expect(rendererFiles).toEqual(
      expect.arrayContaining(['main.ts', 'app.ts', 'screens/pin.ts', 'camera.ts']),
    );
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
