import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/shell/chromium/chromium-launcher.ts';
import { startChromiumShell } from '../../src/shell/chromium/chromium-shell.ts';
import { NO_CHROMIUM } from '../unit/shell/support/browser.ts';
import { placeholderUi } from '../unit/shell/support/placeholder-ui.ts';
import { standInKiosk } from '../unit/shell/support/stand-in-kiosk.ts';

const FAST = { maxRestarts: 2, windowMs: 60_000, firstDelayMs: 20, maxDelayMs: 50 };

/** The profile folders that exist now. */
async function profiles(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('kiosk-chromium-'));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Chromium launcher', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-launcher-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in for the chromium binary: logs its arguments, then runs `body`. */
  async function fakeChromium(name: string, body: string): Promise<{ executable: string; log: string }> {
    const executable = join(dir, name);
    const log = join(dir, `${name}.log`);
    await writeFile(executable, `#!/bin/sh\necho "$@" >> ${log}\n${body}\n`);
    await chmod(executable, 0o755);
    return { executable, log };
  }

  it('starts a crashing Chromium again after a pause, each time on a fresh profile, then gives up', async () => {
    const before = await profiles();
    const { executable, log } = await fakeChromium('crashing', 'exit 1');
    let gaveUp = false;
    const chromium = launchChromium({
      url: 'http://127.0.0.1:1/#token=t',
      demo: false,
      executable,
      restart: FAST,
      onGiveUp: () => {
        gaveUp = true;
      },
    });
    await expect.poll(() => gaveUp).toBe(true);
    expect(chromium.launches).toBe(3);
    const runs = (await readFile(log, 'utf8')).trim().split('\n');
    expect(runs).toHaveLength(3);
    const dirs = runs.map((line) => /--user-data-dir=(\S+)/.exec(line)?.[1]);
    expect(new Set(dirs).size).toBe(3);
    expect(runs[0]).toContain('--kiosk --app=http://127.0.0.1:1/#token=t');
    await chromium.stop();
    expect(await profiles()).toEqual(before);
  });

  it('stops Chromium on shutdown, removes its profile and does not start it again', async () => {
    const before = await profiles();
    const { executable } = await fakeChromium('long-running', 'exec sleep 60');
    const chromium = launchChromium({ url: 'http://127.0.0.1:1/', demo: false, executable, restart: FAST });
    await expect.poll(() => chromium.pid).not.toBeNull();
    const pid = chromium.pid as number;
    await expect.poll(async () => (await profiles()).length).toBe(before.length + 1);
    await chromium.stop();
    expect(alive(pid)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(chromium.launches).toBe(1);
    expect(await profiles()).toEqual(before);
  });

  it.skipIf(NO_CHROMIUM)(
    'opens the app URL in Debian’s Chromium, whose page connects with its token',
    async () => {
      const before = await profiles();
      const ui = await placeholderUi();
      const services = standInKiosk();
      const shell = await startChromiumShell({
        services,
        uiDir: ui.dir,
        demo: true,
        launch: true,
        // No display here: the same command line, drawn off screen.
        extraArgs: ['--headless=new'],
      });
      const pid = shell.chromium?.pid;
      try {
        await expect.poll(() => shell.host.stats().authenticated.patient, { timeout: 20_000 }).toBe(1);
        expect(shell.host.stats().refused).toBe(0);
      } finally {
        await shell.close();
        await services.close();
        await ui.remove();
      }
      if (pid) expect(alive(pid)).toBe(false);
      expect(await profiles()).toEqual(before);
    },
  );
});
