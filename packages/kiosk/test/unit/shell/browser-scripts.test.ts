import { describe, expect, it } from 'vitest';
import { browserScript, buildOutput } from '../../../src/shell/browser-scripts.ts';

describe('scripts bundled for outside Node (npm run build)', () => {
  it('makes the sandboxed preload one file whose only import is electron', async () => {
    const preload = await browserScript('electron-preload');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('kiosk:renderer-message');
    expect(preload).toContain('exposeInMainWorld');
  });

  it('makes the page scripts self-contained', async () => {
    for (const name of ['websocket-bridge', 'operator-page'] as const) {
      const script = await browserScript(name);
      expect(script, name).not.toMatch(/\brequire\(|^import /m);
      expect(script, name).toContain('/__kiosk/socket');
    }
  });

  it('says to run the build when a built file is missing, rather than bundling at run time', () => {
    expect(() => buildOutput('dist/browser-scripts/missing.js')).toThrow(
      'dist/browser-scripts/missing.js is missing from the kiosk: run `npm run build`',
    );
  });
});
