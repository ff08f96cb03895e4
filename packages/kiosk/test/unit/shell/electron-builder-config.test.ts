import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CONFIG = readFileSync(join(import.meta.dirname, '../../../electron-builder.yml'), 'utf8');

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

  it('packages deb and AppImage for Linux and NSIS for Windows, starting the Electron main', () => {
    expect(CONFIG).toMatch(/^linux:\n {2}target:\n {4}- deb\n {4}- AppImage\n/m);
    expect(CONFIG).toMatch(/^win:\n {2}target:\n {4}- nsis\n/m);
    expect(block('extraMetadata').get('main')).toBe('src/shell/electron/main.mjs');
    expect(CONFIG).toMatch(/^asar: true$/m);
  });
});
