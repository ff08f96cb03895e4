/**
 * What a clinic's kiosk is installed from: `npm pack` of packages/kiosk and of every workspace
 * package in its production dependency closure (as npm itself lists it). None of it may carry the
 * virtual card's test CA or any private key, the reference upstream, the testbed, TypeScript that
 * needs tsx at run time, or the test people and fixtures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findImports, packageName } from '@myna/devtools/import-rules.js';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const KIOSK = join(ROOT, 'packages/kiosk');
/** The simulator (test CA, people's keys), the reference upstream, the testbed, the run-time compiler. */
const NEVER_SHIPPED = ['@myna/card-sim', '@myna/upstream-ref', '@myna/devtools', 'tsx'];

interface Installed {
  name: string;
  dir: string;
  manifest: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
}

function productionClosure(): Installed[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable', '-w', '@myna/kiosk'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter((dir) => dir !== '' && join(dir, '/') !== ROOT)
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name as string, dir, manifest };
    });
}

/** The files `npm pack` puts in the tarball, by the same rules as a real pack. */
function packedFiles(dir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return pack!.files.map((file) => file.path);
}

const TYPESCRIPT_SOURCE = /\.(?:[cm]?ts|tsx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const KEY_OR_CERTIFICATE_FILE = /(?:\.key|-key\.pem|\.pem|\.p12|\.pfx|\.crt|\.der|\.csr)$/;
/** A PEM block with its base64 body: code that parses PEM has the marker but no body after it. */
const PEM_BLOCK = /-----BEGIN (?:[A-Z0-9]+ )*(?:PRIVATE KEY|CERTIFICATE)-----\s*[A-Za-z0-9+/=]{40}/;
const TEST_FILES = /(?:^|\/)(?:test|tests|__tests__|fixtures|people)\//;
const TSX_LOADER = /--(?:import|loader|experimental-loader)[= ]tsx\b|['"]tsx(?:\/[^'"]*)?['"]/;

describe('the kiosk as npm packs it', () => {
  let closure: Installed[];
  let packed: { name: string; files: string[]; dir: string }[];

  beforeAll(() => {
    // Packing lists dist/ as it is: build once when this runs before any build.
    if (!existsSync(join(KIOSK, 'dist/cli/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT });
    closure = productionClosure();
    packed = closure
      .filter(({ name }) => name.startsWith('@myna/'))
      .map(({ name, dir }) => ({ name, dir, files: packedFiles(dir) }));
  }, 300_000);

  it('depends on no package that must not ship, directly or further down', () => {
    const kiosk = closure.find(({ name }) => name === '@myna/kiosk')!;
    const declared = Object.keys({ ...kiosk.manifest.dependencies, ...kiosk.manifest.optionalDependencies });
    expect(declared.filter((name) => NEVER_SHIPPED.includes(name))).toEqual([]);
    expect(closure.map(({ name }) => name).filter((name) => NEVER_SHIPPED.includes(name))).toEqual([]);
    expect(packed.map(({ name }) => name).sort()).toEqual(['@myna/card', '@myna/kiosk', '@myna/protocol']);
  });

  it('packs the compiled kiosk, its command and its vendor profiles', () => {
    const kiosk = packed.find(({ name }) => name === '@myna/kiosk')!.files;
    expect(kiosk).toEqual(
      expect.arrayContaining([
        'package.json',
        'bin/kiosk.js',
        'dist/cli/main.js',
        'assets/vendors/generic/profile.json',
      ]),
    );
    // The patient screens, bundled at build time (wherever the build puts them under dist/).
    expect(kiosk.filter((file) => /^dist\/.+\/index\.html$/.test(file))).not.toEqual([]);
  });

  it('packs no TypeScript source, no test, fixture or test person, and no key or certificate file', () => {
    for (const { name, files } of packed) {
      const wrong = files.filter(
        (file) =>
          (TYPESCRIPT_SOURCE.test(file) && !DECLARATION.test(file)) ||
          TEST_FILES.test(file) ||
          KEY_OR_CERTIFICATE_FILE.test(file),
      );
      expect(wrong, name).toEqual([]);
    }
  });

  it('packs no private key or certificate inside any file', () => {
    for (const { name, dir, files } of packed) {
      const holding = files.filter((file) => PEM_BLOCK.test(readFileSync(join(dir, file), 'latin1')));
      expect(holding, name).toEqual([]);
    }
  });

  it('runs as plain JavaScript: nothing loads tsx or a package that must not ship, every relative import is packed', () => {
    for (const { name, dir, files } of packed) {
      const inPack = new Set(files);
      for (const file of files.filter((path) => /\.[cm]?js$/.test(path))) {
        const text = readFileSync(join(dir, file), 'utf8');
        expect(TSX_LOADER.test(text), `${name}/${file} loads tsx`).toBe(false);
        for (const { specifier, kind } of findImports(file, text)) {
          expect(NEVER_SHIPPED, `${name}/${file} imports ${specifier}`).not.toContain(packageName(specifier));
          if (specifier.startsWith('.') && (kind === 'import' || kind === 'export from')) {
            const target = posix.normalize(posix.join(posix.dirname(file), specifier));
            expect(inPack.has(target), `${name}/${file} imports ${specifier}, which is not packed`).toBe(
              true,
            );
          }
        }
      }
    }
  });
});
