import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, resolveStaticFile } from '../../../src/shell/static-files.ts';

describe('static files of the renderer build', () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kiosk-static-'));
    outside = await mkdtemp(join(tmpdir(), 'kiosk-outside-'));
    await writeFile(join(root, 'index.html'), '<!doctype html>');
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'assets', 'guide image.svg'), '<svg/>');
    await writeFile(join(root, '.env'), 'SECRET=1');
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('finds files inside the folder, index.html for the root', async () => {
    expect(await resolveStaticFile(root, '/')).toBe(join(root, 'index.html'));
    expect(await resolveStaticFile(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(await resolveStaticFile(root, '/assets/guide%20image.svg')).toBe(
      join(root, 'assets', 'guide image.svg'),
    );
  });

  it('finds nothing outside it, no dot file, no folder, nothing malformed', async () => {
    for (const path of [
      '/../index.html',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fetc%2fpasswd',
      '/.env',
      '/leak.txt',
      '/assets',
      '/missing.js',
      '/%E0%A4%A',
      '/index.html%00.js',
      '/assets\\..\\index.html',
    ]) {
      expect(await resolveStaticFile(root, path), path).toBeNull();
    }
  });

  it('names content types, and falls back to bytes for the unknown', () => {
    expect(contentTypeOf('a/b.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('INDEX.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('font.woff2')).toBe('font/woff2');
    expect(contentTypeOf('data.bin')).toBe('application/octet-stream');
  });
});
