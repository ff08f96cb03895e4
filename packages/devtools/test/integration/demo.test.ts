/** `npm start`'s walkthrough, once, as a user runs it: through pcscd where it is installed. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PEOPLE_DIR, peopleFile } from '@myna/card-sim/people.js';
import { pcscSkipReason } from '@myna/card-sim/stack/pcsc-stack.js';
import { describe, expect, it } from 'vitest';

function demo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/kiosk.js', 'demo', '--once', ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(pcscSkipReason())('kiosk demo', () => {
  it('reads the virtual card through pcscd, verifies its signature and cleans up', async () => {
    const { code, stdout } = await demo();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^pcscd \+ vpcd \+ virtual card for "young-rare-kanji"/);
    expect(stdout).toContain('reader Virtual PCD 00 00, ATR 3BE000FF8131FE4514');
    expect(stdout).toContain('𠮷髙　葛󠄀乃');
    expect(stdout).toContain('signature by the card: verified with its certificate');
  });

  it('tells a PIN-less card apart', async () => {
    const { code, stdout } = await demo('--person', peopleFile('pinless'));
    expect(code).toBe(0);
    expect(stdout).toContain('a PIN-less card: only the face match or staff can verify its holder');
  });

  it('names the problem with a bad person file in one line', async () => {
    const { code, stderr } = await demo('--person', join(PEOPLE_DIR, 'README.md'));
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/person file .*README\.md: is not valid JSON/);
  });
});
