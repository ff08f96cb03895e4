import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const KIOSK = join(import.meta.dirname, '../../..');
const CONFIG = readFileSync(join(KIOSK, 'electron-builder.yml'), 'utf8');

/** The `key: value` lines of one top-level block of the YAML file (enough for this flat config). */
function block(name: string): Map<string, string> {
  const lines = CONFIG.split('\n');
  const start = lines.indexOf(`${name}:`);
  const entries = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    if (!/^\s/.test(line) && line.trim() !== '') break;
    const match = /^ {2}([A-Za-z]+):\s*(\S.*)?$/.exec(line);
    if (match?.[1]) entries.set(match[1], match[2] ?? '');
  }
  return entries;
}

/** The `- item` lines of one top-level list, unquoted. */
function list(name: string): string[] {
  const lines = CONFIG.split('\n');
  const items: string[] = [];
  for (const line of lines.slice(lines.indexOf(`${name}:`) + 1)) {
    if (!/^\s/.test(line) && line.trim() !== '') break;
    const match = /^ {2}- "?([^"]+)"?$/.exec(line);
    if (match?.[1]) items.push(match[1]);
  }
  return items;
}

describe('electron-builder.yml', () => {
  it('flips the security fuses at packaging', () => {
    expect(Object.fromEntries(block('electronFuses'))).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      onlyLoadAppFromAsar: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      enableCookieEncryption: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('packages deb and AppImage for Linux and NSIS for Windows, starting the compiled Electron main', () => {
    expect(CONFIG).toMatch(/^linux:\n {2}target:\n {4}- deb\n {4}- AppImage\n/m);
    expect(CONFIG).toMatch(/^win:\n {2}target:\n {4}- nsis\n/m);
    const main = block('extraMetadata').get('main') ?? '';
    expect(main).toBe('dist/shell/electron/main.js');
    expect(existsSync(join(KIOSK, main.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')))).toBe(true);
    expect(CONFIG).toMatch(/^asar: true$/m);
  });

  it('packs the compiled kiosk only: no sources, no TypeScript, no tsx or bundler', () => {
    const packed = list('files');
    expect(packed).toEqual(expect.arrayContaining(['package.json', 'dist/**/*']));
    for (const pattern of packed.filter((entry) => !entry.startsWith('!'))) {
      expect(pattern, pattern).not.toMatch(/^(src|test)\b|\.ts$|tsx|esbuild/);
    }
    expect(packed).toContain('!**/*.d.ts');
    for (const pattern of list('asarUnpack')) expect(pattern, pattern).not.toMatch(/^src\b|tsx|esbuild/);
  });
});
