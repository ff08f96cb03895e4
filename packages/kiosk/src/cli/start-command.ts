import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { stillFileProblem } from '../card-front/card-camera.ts';
import type { KioskConfig } from '../config/kiosk-config.ts';
import type { KioskServices } from '../kiosk/kiosk-services.ts';
import { builtRenderer } from '../shell/browser-scripts.ts';
import { chromiumMissing, DEBIAN_CHROMIUM } from '../shell/chromium/chromium-launcher.ts';
import { type ChromiumShell, startChromiumShell } from '../shell/chromium/chromium-shell.ts';
import { ELECTRON_ENTRY, ELECTRON_MISSING, electronBinary } from '../shell/electron/electron-binary.ts';
import { kioskConfig, loadStartKiosk, type StartKiosk } from '../shell/kiosk-parts.ts';
import { EXIT } from './output.ts';

interface StartOptions {
  shell: 'chromium' | 'electron';
  demo?: boolean;
  port?: number;
  launch: boolean;
  config?: string;
  uiDir?: string;
  cameraFile?: string;
  cardCameraFile?: string;
  json?: boolean;
}

export interface StartIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Resolves when the kiosk should stop (default: SIGINT or SIGTERM). */
  stopSignal?: () => Promise<string>;
  /** Services other than the composition root's (tests). */
  startKiosk?: StartKiosk;
  /** The testbed's demo (kiosk-dev): with it, `--demo` is offered. */
  demo?: { startKiosk: StartKiosk; electronEntry: string };
  /** Chromium to launch (default $KIOSK_CHROMIUM, else Debian's /usr/bin/chromium). */
  chromium?: string;
  /** The Electron binary (default: the optional npm package's; null: not installed). */
  electron?: string | null;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError('expected a port number 0–65535');
  return n;
}

const untilSignal = () =>
  new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });

/**
 * `kiosk start`: the kiosk's services and the patient screens in the chosen shell, until Ctrl-C.
 * Chromium app mode is the default because Electron's binary is an optional download; with
 * --no-launch the Chromium host only prints its URLs (token included) for clinic IT and tests.
 */
export function startCommand(io: StartIo = {}): Command {
  const out = io.stdout ?? ((text: string) => process.stdout.write(text));
  const err = io.stderr ?? ((text: string) => process.stderr.write(text));
  const command = new Command('start')
    .description('start the kiosk: its services and the patient screens (Chromium app mode or Electron)')
    .addOption(
      new Option('--shell <shell>', 'where the patient screens run')
        .choices(['chromium', 'electron'])
        .default('chromium'),
    )
    .option(
      '--port <n>',
      'TCP port on 127.0.0.1 for the screens, or for the operator panel under Electron (default: a free one)',
      port,
    )
    .option('--no-launch', 'open no window; print the app and operator URLs (Chromium shell)')
    .option('--config <file>', 'the kiosk config file (default: the demo defaults)')
    .option('--ui-dir <dir>', "serve this built renderer instead of the kiosk's own")
    .option('--camera-file <file>', 'play a .y4m or .mjpeg file as the camera (with --demo, Chromium shell)')
    .option(
      '--card-camera-file <file>',
      "a JPEG or PNG still of the card tray, used instead of the reader's card camera (tests, the demo)",
    )
    .option('--json', 'print the URLs as one JSON line');
  if (io.demo)
    command.option('--demo', "test people's virtual cards, the reference upstream and the operator panel");

  command.action(async (options: StartOptions) => {
    const usage = (message: string) => command.error(`kiosk: ${message}`, { exitCode: EXIT.usage });
    if (options.cameraFile !== undefined && !options.demo)
      usage('--camera-file replaces the camera: only with --demo');
    if (options.shell === 'electron') {
      if (!options.launch) usage('--no-launch is for --shell chromium (Electron always opens its window)');
      if (options.cameraFile !== undefined) usage('--camera-file is for --shell chromium');
      if (options.cardCameraFile !== undefined)
        usage(
          '--card-camera-file is for --shell chromium (under Electron: paths.cardCameraFile in the config)',
        );
      const binary = io.electron === undefined ? electronBinary() : io.electron;
      if (binary === null) throw new Error(`${ELECTRON_MISSING}, or use --shell chromium`);
      const entry = options.demo && io.demo ? io.demo.electronEntry : ELECTRON_ENTRY;
      process.exitCode = await runElectron(binary, entry, options);
      return;
    }
    const executable = io.chromium ?? process.env.KIOSK_CHROMIUM ?? DEBIAN_CHROMIUM;
    const missing = options.launch ? chromiumMissing(executable) : null;
    if (missing) throw new Error(missing);

    const problem = options.cardCameraFile === undefined ? null : stillFileProblem(options.cardCameraFile);
    if (problem !== null) usage(`--card-camera-file: ${problem}`);
    const config = withCardCameraFile(kioskConfig(options.config), options.cardCameraFile);
    const startKiosk =
      options.demo && io.demo ? io.demo.startKiosk : (io.startKiosk ?? (await loadStartKiosk()));
    const uiDir = options.uiDir ?? builtRenderer();
    const services = await startKiosk({ config });
    let shell: ChromiumShell | null = null;
    try {
      let gaveUp: () => void = () => {};
      const crashing = new Promise<string>((resolve) => {
        gaveUp = () => resolve('crashing');
      });
      shell = await startChromiumShell({
        services,
        uiDir,
        demo: options.demo === true,
        port: options.port,
        launch: options.launch,
        cameraFile: options.cameraFile,
        executable,
        onGiveUp: gaveUp,
      });
      announce({ shell, services, config }, options, out);
      const reason = await Promise.race([(io.stopSignal ?? untilSignal)(), crashing]);
      if (reason === 'crashing') {
        err('kiosk: Chromium keeps exiting; stopping so the service manager can start the kiosk afresh\n');
        process.exitCode = EXIT.unexpected;
      }
    } finally {
      await shell?.close();
      await services.close();
    }
  });
  return command;
}

/** The command line's still of the card tray, over the config's. */
function withCardCameraFile(config: KioskConfig, file: string | undefined): KioskConfig {
  return file === undefined
    ? config
    : { ...config, paths: { ...config.paths, cardCameraFile: resolve(file) } };
}

interface Started {
  shell: ChromiumShell;
  services: KioskServices;
  config: KioskConfig;
}

/**
 * What clinic IT needs to connect things: the screens' URLs and, for the reception systems, the
 * result folder and the local results API (its port is fixed by the config, but a port of 0 is only
 * known now), with how long results stay on it.
 */
function announce(
  { shell, services, config }: Started,
  options: StartOptions,
  out: (text: string) => void,
): void {
  const { host } = shell;
  const api = services.resultsApi;
  const retentionMinutes = config.resultsApi.retentionMinutes;
  if (options.json) {
    out(
      `${JSON.stringify({
        ok: true,
        shell: 'chromium',
        origin: host.origin,
        appUrl: host.appUrl,
        operatorUrl: host.operatorUrl,
        resultFolder: config.paths.results,
        ...(api ? { resultsApi: { url: api.url, tokenFile: api.tokenFile, retentionMinutes } } : {}),
      })}\n`,
    );
    return;
  }
  const lines = options.launch
    ? [`kiosk screens in Chromium (kiosk mode) from ${host.origin}`]
    : [
        `app URL:       ${host.appUrl}`,
        '               (open it in Chromium app mode; its token is good until the kiosk stops)',
      ];
  if (host.operatorUrl) lines.push(`operator URL:  ${host.operatorUrl}`);
  lines.push(`result folder: ${config.paths.results}`);
  if (api) {
    lines.push(
      `results API:   ${new URL('/v1/results', api.url).href}`,
      `               (bearer token in ${api.tokenFile}; each result kept ${retentionMinutes} min)`,
    );
  }
  lines.push('stop with Ctrl-C');
  for (const line of lines) out(`${line}\n`);
}

/** Electron's main process runs the kiosk itself; this process waits for it and passes signals on. */
function runElectron(binary: string, entry: string, options: StartOptions): Promise<number> {
  const args = [
    // Chromium's process sandbox cannot start as root; a kiosk should not run as root anyway.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    entry,
    ...(options.config !== undefined ? ['--config', options.config] : []),
    ...(options.uiDir !== undefined ? ['--ui-dir', options.uiDir] : []),
    ...(options.port !== undefined ? ['--port', String(options.port)] : []),
  ];
  const child = spawn(binary, args, { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? EXIT.unexpected);
    });
  });
}
