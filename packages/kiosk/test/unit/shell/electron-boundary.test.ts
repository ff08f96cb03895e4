import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : /\.(ts|mjs)$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('Electron stays out of plain Node', () => {
  const files = sources(SRC).map((file) => ({ file: relative(SRC, file), text: readFileSync(file, 'utf8') }));

  it('only the Electron main process and the preload import electron at run time', () => {
    const importers = files
      .filter(
        ({ text }) =>
          /^import (?!type )[^;]*from 'electron';/m.test(text) || /require\('electron'\)/.test(text),
      )
      .map(({ file }) => file)
      .sort();
    expect(importers).toEqual(['preload/electron-preload.ts', 'shell/electron/electron-main.ts']);
  });

  it('nothing imports the Electron entry or the preload', () => {
    const importers = files.filter(({ text }) =>
      /from '[^']*(electron\/main|electron-preload)\.(ts|mjs)'/.test(text),
    );
    expect(importers.map(({ file }) => file)).toEqual([]);
  });
});
