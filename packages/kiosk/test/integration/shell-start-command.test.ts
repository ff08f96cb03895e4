import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommand } from '../../src/cli/start-command.ts';
import type { KioskConfig } from '../../src/config/kiosk-config.ts';
import { electronBinary } from '../../src/shell/electron/electron-binary.ts';
import { type PlaceholderUi, placeholderUi } from '../unit/shell/support/placeholder-ui.ts';
import { type StandInKiosk, standInKiosk } from '../unit/shell/support/stand-in-kiosk.ts';

/** `kiosk start …` in this process, over stand-in services, until `stop()`. */
function start(args: string[], io: { chromium?: string; electron?: string | null } = {}) {
  const lines: string[] = [];
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  let services: StandInKiosk | null = null;
  let started: KioskConfig | null = null;
  let printed: () => void = () => {};
  const announced = new Promise<void>((resolve) => {
    printed = resolve;
  });
  const command = startCommand({
    stdout: (text) => {
      lines.push(...text.trimEnd().split('\n'));
      printed();
    },
    stderr: (text) => lines.push(text.trimEnd()),
    stopSignal: () => stopped,
    startKiosk: async ({ config }) => {
      started = config;
      services = standInKiosk({ demo: false });
      return services;
    },
    demo: {
      startKiosk: async () => {
        services = standInKiosk({ demo: true });
        return services;
      },
      electronEntry: 'demo-main.js',
    },
    ...io,
  }).exitOverride();
  const done = command.parseAsync(args, { from: 'user' });
  return {
    lines,
    stop: () => stop('SIGTERM'),
    done,
    announced,
    services: () => services,
    config: () => started,
  };
}

describe('kiosk start', () => {
  let ui: PlaceholderUi;
  let configDir: string;
  /** A clinic's config: the folder the EMR polls and how long results stay on the local API. */
  let config: string;
  beforeAll(async () => {
    ui = await placeholderUi();
    configDir = mkdtempSync(join(tmpdir(), 'start-config-'));
    config = join(configDir, 'kiosk.json');
    writeFileSync(
      config,
      JSON.stringify({ paths: { results: '/srv/emr/face' }, resultsApi: { retentionMinutes: 30 } }),
    );
  });
  afterAll(async () => {
    await ui?.remove();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('with --no-launch, prints the app and operator URLs with their tokens, and serves them until stopped', async () => {
    const run = start(['--no-launch', '--demo', '--ui-dir', ui.dir, '--json']);
    await run.announced;
    const printed = JSON.parse(run.lines[0] as string);
    expect(printed).toMatchObject({ ok: true, shell: 'chromium' });
    expect(printed.appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    expect(printed.operatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/operator#token=[A-Za-z0-9_-]{43}$/);
    expect(printed.operatorUrl.split('#')[1]).not.toBe(printed.appUrl.split('#')[1]);
    // Reception systems are pointed at the result folder and the local API from this line.
    const api = run.services()!.resultsApi;
    expect(printed.resultFolder).toMatch(/[/\\]results$/);
    expect(printed.resultsApi).toEqual({ url: api.url, tokenFile: api.tokenFile, retentionMinutes: 60 });

    const page = await fetch(printed.appUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<script src="/__kiosk/bridge.js"></script>');
    expect((await fetch(printed.operatorUrl)).status).toBe(200);

    run.stop();
    await run.done;
    expect(run.services()?.closed()).toBe(true);
    await expect(fetch(printed.appUrl)).rejects.toThrow();
  });

  it('says in words where to open the screens, on the port asked for', async () => {
    const run = start(['--no-launch', '--ui-dir', ui.dir, '--port', '0', '--config', config]);
    await run.announced;
    run.stop();
    await run.done;
    expect(run.lines[0]).toMatch(/^app URL: {7}http:\/\/127\.0\.0\.1:\d+\/#token=/);
    // Outside the demo too: the staff panel (目視確認, 確認しました) has its own URL and token.
    expect(run.lines.join('\n')).toMatch(/operator URL: +http:\/\/127\.0\.0\.1:\d+\/operator#token=/);
    const api = run.services()!.resultsApi;
    expect(run.lines).toContain('result folder: /srv/emr/face');
    expect(run.lines).toContain(`results API:   ${new URL('/v1/results', api.url).href}`);
    expect(run.lines).toContain(`               (bearer token in ${api.tokenFile}; each result kept 30 min)`);
    expect(run.lines.at(-1)).toBe('stop with Ctrl-C');
  });

  it('refuses a Chromium it cannot run, and an Electron that is not installed, in one line each', async () => {
    await expect(start(['--ui-dir', ui.dir], { chromium: '/nonexistent/chromium' }).done).rejects.toThrow(
      /^Chromium cannot be run from \/nonexistent\/chromium: install Debian's with `apt-get install chromium`/,
    );
    await expect(start(['--shell', 'electron'], { electron: null }).done).rejects.toThrow(
      'Electron binary not installed (optional dependency; run node node_modules/electron/install.js), or use --shell chromium',
    );
  });

  // Commander's errors: the CLI's one handler turns them into exit status 2 (usage).
  it('refuses options that do not fit together as usage errors', async () => {
    for (const args of [
      ['--shell', 'electron', '--no-launch'],
      ['--camera-file', 'face.y4m'],
      ['--shell', 'firefox'],
      ['--port', '70000'],
    ]) {
      await expect(start(args, { electron: '/bin/true' }).done, args.join(' ')).rejects.toBeInstanceOf(
        CommanderError,
      );
    }
  });

  it('takes a still of the card tray from --card-camera-file, and refuses one that is missing', async () => {
    const missing = join(configDir, 'no-tray.jpg');
    await expect(
      start(['--no-launch', '--ui-dir', ui.dir, '--card-camera-file', missing]).done,
    ).rejects.toThrow(`kiosk: --card-camera-file: no such file ${missing}`);
    const still = join(configDir, 'tray.jpg');
    writeFileSync(still, Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]));
    const run = start(['--no-launch', '--ui-dir', ui.dir, '--card-camera-file', still, '--json']);
    await run.announced;
    expect(run.config()?.paths.cardCameraFile).toBe(still);
    run.stop();
    await run.done;
  });

  it.skipIf(electronBinary() !== null)('ends with one line on stderr from the real command', () => {
    const result = spawnSync(process.execPath, ['bin/kiosk.js', 'start', '--shell', 'electron'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe(
      'kiosk: Electron binary not installed (optional dependency; run node node_modules/electron/install.js), or use --shell chromium\n',
    );
    expect(result.status).toBe(1);
  });
});
