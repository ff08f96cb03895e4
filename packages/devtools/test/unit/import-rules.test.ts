/**
 * The package arrows hold on the real tree, and the checker names every kind of planted violation
 * (file, line, import, rule) while letting the allowed imports beside them through.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkImportRules,
  findImports,
  formatViolation,
  readWorkspace,
  type SourceText,
  type Workspace,
} from '../../src/import-rules.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const real = readWorkspace(ROOT);

/** The real packages and manifests, with only the given files as their sources. */
function planted(sources: SourceText[], manifests: Record<string, object> = {}): Workspace {
  const packages = real.packages.map((pkg) => ({
    ...pkg,
    manifest: { ...pkg.manifest, ...manifests[pkg.manifest.name] },
  }));
  return { packages, sources };
}

const lines = (...text: string[]) => text.join('\n');

describe('the real tree', () => {
  it('has every package and its sources', () => {
    expect(real.packages.map((pkg) => pkg.manifest.name).sort()).toEqual([
      '@myna/card',
      '@myna/card-sim',
      '@myna/devtools',
      '@myna/kiosk',
      '@myna/protocol',
      '@myna/upstream-ref',
    ]);
    expect(real.sources.map((file) => file.path)).toEqual(
      expect.arrayContaining([
        'packages/kiosk/src/ui/main.ts',
        'packages/kiosk/src/preload/electron-preload.ts',
        'packages/upstream-ref/src/app.ts',
        'packages/upstream-ref/src/db/sqlite-checkpointer.mjs',
      ]),
    );
  });

  it('keeps to the arrows', () => {
    expect(checkImportRules(real).map(formatViolation)).toEqual([]);
  });
});

describe('findImports', () => {
  it('reads every way a module is reached, with its line, and nothing in comments or strings', () => {
    const source = lines(
      "import type { A } from './a.ts';",
      "export { b } from '@myna/card/b.js';",
      "const c = await import('node:fs');",
      "const d = require('pkcs11js');",
      "const e = createRequire(import.meta.url)('electron');",
      "const f = new URL('../f/', import.meta.url);",
      "let g: import('@myna/protocol/g.js').G;",
      "// import x from 'node:path';",
      'const s = "require(\'node:os\')";',
      "const h = new URL('https://example.jp/');",
      "import i = require('i');",
      "const j = require.resolve('@vladmandic/face-api/package.json');",
    );
    expect(findImports('x.ts', source)).toEqual([
      { specifier: './a.ts', kind: 'import', line: 1 },
      { specifier: '@myna/card/b.js', kind: 'export from', line: 2 },
      { specifier: 'node:fs', kind: 'import()', line: 3 },
      { specifier: 'pkcs11js', kind: 'require', line: 4 },
      { specifier: 'electron', kind: 'require', line: 5 },
      { specifier: '../f/', kind: 'new URL', line: 6 },
      { specifier: '@myna/protocol/g.js', kind: 'import type', line: 7 },
      { specifier: 'i', kind: 'require', line: 11 },
      { specifier: '@vladmandic/face-api/package.json', kind: 'require', line: 12 },
    ]);
  });
});

describe('planted violations', () => {
  const sources: SourceText[] = [
    {
      path: 'packages/kiosk/src/reception/planted.ts',
      text: lines(
        "import { people } from '@myna/card-sim/people.js';",
        "import { apdu } from '@myna/card/apdu.js';",
        "import { x } from '../../../card-sim/src/x.ts';",
        "import { y } from '../common/ui-protocol.ts';",
        "export { z } from '@myna/cards/apdu.js';",
        "const demo = await import('@myna/devtools/demo/demo-kiosk.js');",
      ),
    },
    {
      path: 'packages/upstream-ref/src/planted.ts',
      text: lines(
        "export { openStore } from '@myna/kiosk/store/db.js';",
        "import { jws } from '@myna/protocol/jws.js';",
        "let card: import('@myna/card/apdu.js').Apdu;",
      ),
    },
    {
      path: 'packages/protocol/src/planted.ts',
      text: "import type { DeviceSigner } from '@myna/kiosk/upstream/device-key/signer.js';",
    },
    {
      path: 'packages/card-sim/src/planted.mjs',
      text: lines(
        "import { apdu } from '@myna/card/apdu.js';",
        "const kiosk = require('@myna/kiosk/cli/main.js');",
        "const demo = new URL('../../devtools/src/demo/', import.meta.url);",
        "const people = new URL('../people/', import.meta.url);",
      ),
    },
    {
      path: 'packages/kiosk/src/ui/screens/planted.ts',
      text: lines(
        "import { readFile } from 'node:fs';",
        "import { join } from 'path';",
        "import { WebSocket } from 'ws';",
        "import { loadConfig } from '../../config/kiosk-config.ts';",
        "import { browserScript } from '../../shell/browser-scripts.ts';",
        "import i18next from 'i18next';",
        "import type { ViewState } from '../../common/ui-protocol.ts';",
        "import { screen } from './screen.ts';",
        "import { SCHEMA } from '@myna/protocol/jws.js';",
      ),
    },
    {
      path: 'packages/kiosk/src/preload/planted.ts',
      text: lines(
        "import { contextBridge } from 'electron';",
        "const os = require('node:os');",
        "import { page } from '../ui/dom.ts';",
      ),
    },
    {
      path: 'packages/devtools/src/planted.ts',
      text: lines(
        "import { startUpstream } from '@myna/upstream-ref/start-upstream.js';",
        "import { people } from '@myna/card-sim/people.js';",
        "import { startKiosk } from '@myna/kiosk/kiosk/start-kiosk.js';",
      ),
    },
  ];

  it('names each one by file, line, import and rule, and nothing allowed', () => {
    const found = checkImportRules(planted(sources)).map(({ file, line, specifier, rule }) => ({
      at: `${file}:${line}`,
      specifier,
      rule,
    }));
    expect(found).toEqual([
      {
        at: 'packages/kiosk/src/reception/planted.ts:1',
        specifier: '@myna/card-sim/people.js',
        rule: 'package-arrow',
      },
      {
        at: 'packages/kiosk/src/reception/planted.ts:3',
        specifier: '../../../card-sim/src/x.ts',
        rule: 'relative-escape',
      },
      {
        at: 'packages/kiosk/src/reception/planted.ts:5',
        specifier: '@myna/cards/apdu.js',
        rule: 'unknown-package',
      },
      {
        at: 'packages/kiosk/src/reception/planted.ts:6',
        specifier: '@myna/devtools/demo/demo-kiosk.js',
        rule: 'package-arrow',
      },
      {
        at: 'packages/upstream-ref/src/planted.ts:1',
        specifier: '@myna/kiosk/store/db.js',
        rule: 'package-arrow',
      },
      {
        at: 'packages/upstream-ref/src/planted.ts:3',
        specifier: '@myna/card/apdu.js',
        rule: 'package-arrow',
      },
      {
        at: 'packages/protocol/src/planted.ts:1',
        specifier: '@myna/kiosk/upstream/device-key/signer.js',
        rule: 'package-arrow',
      },
      {
        at: 'packages/card-sim/src/planted.mjs:2',
        specifier: '@myna/kiosk/cli/main.js',
        rule: 'package-arrow',
      },
      {
        at: 'packages/card-sim/src/planted.mjs:3',
        specifier: '../../devtools/src/demo/',
        rule: 'relative-escape',
      },
      { at: 'packages/kiosk/src/ui/screens/planted.ts:1', specifier: 'node:fs', rule: 'browser-node' },
      { at: 'packages/kiosk/src/ui/screens/planted.ts:2', specifier: 'path', rule: 'browser-node' },
      { at: 'packages/kiosk/src/ui/screens/planted.ts:3', specifier: 'ws', rule: 'browser-package' },
      {
        at: 'packages/kiosk/src/ui/screens/planted.ts:4',
        specifier: '../../config/kiosk-config.ts',
        rule: 'browser-outside',
      },
      {
        at: 'packages/kiosk/src/ui/screens/planted.ts:5',
        specifier: '../../shell/browser-scripts.ts',
        rule: 'browser-outside',
      },
      {
        at: 'packages/kiosk/src/ui/screens/planted.ts:9',
        specifier: '@myna/protocol/jws.js',
        rule: 'browser-package',
      },
      { at: 'packages/kiosk/src/preload/planted.ts:2', specifier: 'node:os', rule: 'browser-node' },
      { at: 'packages/kiosk/src/preload/planted.ts:3', specifier: '../ui/dom.ts', rule: 'browser-outside' },
    ]);
  });

  it('says in words which rule was broken', () => {
    const [violation] = checkImportRules(planted(sources.slice(0, 1)));
    expect(formatViolation(violation!)).toBe(
      "packages/kiosk/src/reception/planted.ts:1: '@myna/card-sim/people.js' (package-arrow) @myna/kiosk may not import @myna/card-sim",
    );
  });

  it('finds an allowed package import that package.json does not declare', () => {
    const file = {
      path: 'packages/card-sim/src/planted.ts',
      text: "import { apdu } from '@myna/card/apdu.js';",
    };
    const found = checkImportRules(planted([file], { '@myna/card-sim': { dependencies: { zod: '^4' } } }));
    expect(found).toEqual([
      expect.objectContaining({
        file: file.path,
        line: 1,
        specifier: '@myna/card/apdu.js',
        rule: 'undeclared-dependency',
      }),
    ]);
  });

  it('finds a forbidden workspace package in package.json, optional ones included', () => {
    const found = checkImportRules(
      planted([], {
        '@myna/kiosk': { dependencies: { '@myna/card': '0.1.0', '@myna/card-sim': '0.1.0' } },
        '@myna/upstream-ref': { optionalDependencies: { '@myna/kiosk': '0.1.0' } },
      }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        file: 'packages/kiosk/package.json',
        specifier: '@myna/card-sim',
        rule: 'forbidden-dependency',
      }),
      expect.objectContaining({
        file: 'packages/upstream-ref/package.json',
        specifier: '@myna/kiosk',
        rule: 'forbidden-dependency',
      }),
    ]);
  });
});
