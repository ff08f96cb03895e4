import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiTokenError, resolveApiToken, tokensMatch } from '../../../src/results/api-token.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'api-token-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const strong = 'q3Vt0mXo8y2Jc5ZlP1sWb7NfR4aKe9Hg';

describe('resolveApiToken', () => {
  it('uses the configured token', async () => {
    expect(await resolveApiToken({ token: strong, tokenFile: join(dir, 'token') })).toBe(strong);
  });

  it('refuses a short or header-breaking configured token, saying why', async () => {
    await expect(resolveApiToken({ token: 'secret' })).rejects.toMatchObject({ code: 'token-too-short' });
    await expect(resolveApiToken({ token: `${strong} x` })).rejects.toMatchObject({
      code: 'token-malformed',
    });
    await expect(resolveApiToken({ token: 'secret' })).rejects.toThrow(/at least 32/);
  });

  it('generates a random token into a 0600 file and keeps it across restarts', async () => {
    const file = join(dir, 'local-api.token');
    const first = await resolveApiToken({ tokenFile: file });
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await resolveApiToken({ tokenFile: file })).toBe(first);
    expect(await resolveApiToken({ tokenFile: join(dir, 'other') })).not.toBe(first);
  });

  it('tightens a token file someone made readable to others', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, `${strong}\n`);
    await chmod(file, 0o644);
    expect(await resolveApiToken({ tokenFile: file })).toBe(strong);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('names the token file it cannot write', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const error = await resolveApiToken({ tokenFile: join(blocker, 'token') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiTokenError);
    expect((error as ApiTokenError).code).toBe('token-file-unusable');
    expect((error as Error).message).toContain(join(blocker, 'token'));
  });
});

describe('tokensMatch', () => {
  it('matches only the same token, whatever the lengths', () => {
    expect(tokensMatch(strong, strong)).toBe(true);
    expect(tokensMatch(`${strong.slice(0, -1)}X`, strong)).toBe(false);
    expect(tokensMatch(strong.slice(0, 5), strong)).toBe(false);
    expect(tokensMatch('', strong)).toBe(false);
    expect(tokensMatch(`${strong}x`, strong)).toBe(false);
  });
});
