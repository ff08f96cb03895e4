import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('kiosk-dev sim people', () => {
  it('--json lists the test people with their ages', async () => {
    const { stdout } = await run(process.execPath, ['bin/kiosk.js', 'sim', 'people', '--json']);
    const people = JSON.parse(stdout) as { id: string; age: number }[];
    expect(people.map((p) => p.id)).toContain('young-rare-kanji');
    expect(people.every((p) => Number.isInteger(p.age))).toBe(true);
  });
});
