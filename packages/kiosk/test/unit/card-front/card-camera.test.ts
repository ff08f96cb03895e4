import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileCardCamera, stillFileProblem } from '../../../src/card-front/card-camera.ts';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'card-camera-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the card camera from a file', () => {
  it('reads the file at each call, so the still can change while the kiosk runs', async () => {
    const file = join(dir, 'tray.jpg');
    writeFileSync(file, JPEG);
    const camera = fileCardCamera(file);
    expect([...((await camera.frame()) ?? [])]).toEqual([...JPEG]);
    writeFileSync(file, PNG);
    expect([...((await camera.frame()) ?? [])]).toEqual([...PNG]);
  });

  it('gives null while the file is missing or is not a JPEG or PNG', async () => {
    const file = join(dir, 'tray.jpg');
    const camera = fileCardCamera(file);
    expect(await camera.frame()).toBeNull();
    writeFileSync(file, 'GIF89a');
    expect(await camera.frame()).toBeNull();
  });

  it('says why a file cannot serve as the still', () => {
    const file = join(dir, 'tray.png');
    expect(stillFileProblem(file)).toBe(`no such file ${file}`);
    expect(stillFileProblem(dir)).toBe(`no such file ${dir}`);
    writeFileSync(file, 'GIF89a');
    expect(stillFileProblem(file)).toBe(`${file} is not a JPEG or PNG image`);
    writeFileSync(file, PNG);
    expect(stillFileProblem(file)).toBeNull();
    writeFileSync(file, JPEG);
    expect(stillFileProblem(file)).toBeNull();
  });
});
