/** `kiosk preview` from outside: a PNG of the asked screen, and one-line refusals (exit 2) for names it does not know. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumMissing } from '../../src/preview/chromium.ts';

const skip = chromiumMissing();
if (skip) console.warn(`skipping the kiosk preview rendering tests: ${skip}`);

const exec = promisify(execFile);

/** The CLI's exit status and output; a failing exit is an answer here, not an exception. */
async function kiosk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await exec(process.execPath, ['bin/kiosk.js', ...args], { timeout: 60_000 })) };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: Number(failed.code ?? 1), stdout: failed.stdout, stderr: failed.stderr };
  }
}

const work = mkdtempSync(join(tmpdir(), 'kiosk-preview-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pngSize(file: string): [number, number] {
  const png = readFileSync(file);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('kiosk preview', () => {
  it.each([
    [['--vendor', 'acme'], /^kiosk: unknown vendor "acme" \(known: .*fujitsu.*\)\n$/],
    [['--screen', 'lobby'], /^kiosk: unknown screen "lobby" \(screens: idle, .*take-card\)\n$/],
    [['--lang', 'fr'], /^kiosk: unknown language "fr" \(languages: ja, en, zh, ko, vi, pt\)\n$/],
    [['--orientation', 'diagonal'], /^kiosk: unknown orientation "diagonal" \(portrait or landscape\)\n$/],
  ])('refuses %j with one line and exit 2', async (change, message) => {
    const args = { '--vendor': 'fujitsu', '--screen': 'done', '--out': join(work, 'x.png') } as Record<
      string,
      string
    >;
    for (let i = 0; i < change.length; i += 2) args[change[i]!] = change[i + 1]!;
    const run = await kiosk('preview', ...Object.entries(args).flat());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it.skipIf(skip)('writes the done screen of a portrait vendor as a 1080×1920 PNG', async () => {
    const out = join(work, 'done.png');
    const run = await kiosk('preview', '--vendor', 'fujitsu', '--screen', 'done', '--out', out, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      out,
      vendor: 'fujitsu',
      screen: 'done',
      width: 1080,
      height: 1920,
    });
    expect(pngSize(out)).toEqual([1080, 1920]);
  });

  it.skipIf(skip).each([
    [
      '--orientation turns the window, --lang picks the language',
      ['--screen', 'pin', '--lang', 'en', '--orientation', 'landscape'],
      [1920, 1080],
    ],
    [
      'a vendor’s own profile.json by its path',
      ['--vendor', 'packages/kiosk/assets/vendors/panasonic/profile.json'],
      [1920, 1080],
    ],
  ] as const)('%s', async (_, change, size) => {
    const out = join(work, 'other.png');
    const args: Record<string, string> = { '--vendor': 'fujitsu', '--screen': 'idle', '--out': out };
    for (let i = 0; i < change.length; i += 2) args[change[i]!] = change[i + 1]!;
    const run = await kiosk('preview', ...Object.entries(args).flat());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${size[0]}×${size[1]}`);
    expect(pngSize(out)).toEqual(size);
  });
});
