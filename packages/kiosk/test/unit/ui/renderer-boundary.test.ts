/**
 * The renderer runs in an untrusted, sandboxed page: it may import only itself, the contract in
 * src/common/ui-protocol.ts and i18next; it must not touch browser storage or log anything.
 * Checked on the sources and on the bundle a shell loads.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUi } from '../../../src/ui/build.ts';

const UI = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src/ui');
/** Node-side tools that live beside the renderer but are never bundled into it. */
const NODE_SIDE = [/^build\.ts$/, /^preview\//];

const rendererFiles = (readdirSync(UI, { recursive: true }) as string[])
  .map((file) => file.replace(/\\/g, '/'))
  .filter((file) => file.endsWith('.ts') && !NODE_SIDE.some((pattern) => pattern.test(file)));

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
      const inside = !resolved.startsWith('..') && !NODE_SIDE.some((pattern) => pattern.test(resolved));
      expect(inside || resolved === '../common/ui-protocol.ts', `${file} imports ${target}`).toBe(true);
    }
  });

  it.each(rendererFiles)('%s keeps nothing in browser storage and logs nothing', (file) => {
    const source = readFileSync(join(UI, file), 'utf8');
    expect(source).not.toMatch(/localStorage|sessionStorage|indexedDB|document\.cookie|console\./);
  });
});

describe('buildUi', () => {
  const out = mkdtempSync(join(tmpdir(), 'kiosk-ui-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes index.html, ui.js and ui.css into the folder it is given, quickly', async () => {
    const started = performance.now();
    const built = await buildUi(out);
    const ms = performance.now() - started;
    expect(built.index).toBe(join(out, 'index.html'));
    expect(readdirSync(out).sort()).toEqual(['index.html', 'ui.css', 'ui.js']);
    // About 0.1 s here; the margin is for a loaded CI machine.
    expect(ms).toBeLessThan(3000);
  });

  it('loads relative files only, under a policy that allows no inline script', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('src="ui.js"');
    expect(html).toContain('href="ui.css"');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'self'; script-src 'self';/);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('bundles nothing that touches browser storage', () => {
    const js = readFileSync(join(out, 'ui.js'), 'utf8');
    expect(js).not.toMatch(/localStorage|sessionStorage|indexedDB/);
  });
});
