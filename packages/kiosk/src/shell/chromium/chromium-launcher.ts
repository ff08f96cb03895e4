/**
 * Runs Debian's Chromium in kiosk app mode on the host's URL, each time with a fresh profile folder
 * that is deleted when that Chromium ends (nothing a patient saw survives in a cache or history).
 * A Chromium that exits without being asked to is started again after a pause (restart-policy.ts);
 * after too many crashes it stays down and clinic IT is told.
 *
 * The camera: outside the demo the permission prompt must be answered by the machine's managed
 * Chromium policy (VideoCaptureAllowedUrls for http://127.0.0.1:PORT, with a fixed --port), not by
 * a switch that accepts every request. The demo accepts it with --use-fake-ui-for-media-stream,
 * and only the demo may replace the camera with a file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '../../common/node/log.ts';
import { DEFAULT_RESTART_LIMITS, type RestartLimits, RestartPolicy } from '../restart-policy.ts';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumArgsOptions {
  /** The app URL with its token. */
  url: string;
  userDataDir: string;
  demo: boolean;
  /** A .y4m or .mjpeg file played as the camera: demo and tests only. */
  cameraFile?: string;
  /** Chromium refuses to run as root with its sandbox; say so explicitly. */
  noSandbox?: boolean;
  extraArgs?: string[];
}

export function chromiumArgs(options: ChromiumArgsOptions): string[] {
  if (options.cameraFile !== undefined && !options.demo)
    throw new Error('a camera file replaces the real camera: only in the demo');
  return [
    '--kiosk',
    `--app=${options.url}`,
    `--user-data-dir=${options.userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-translate',
    '--noerrdialogs',
    '--disable-session-crashed-bubble',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--password-store=basic',
    '--autoplay-policy=no-user-gesture-required',
    ...(options.demo ? ['--use-fake-ui-for-media-stream'] : []),
    ...(options.cameraFile !== undefined
      ? ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${options.cameraFile}`]
      : []),
    ...(options.noSandbox ? ['--no-sandbox'] : []),
    ...(options.extraArgs ?? []),
  ];
}

/** Why Chromium cannot be launched from `executable`, as one line for clinic IT; null when it can. */
export function chromiumMissing(executable: string = DEBIAN_CHROMIUM): string | null {
  try {
    accessSync(executable, constants.X_OK);
    return null;
  } catch {
    return `Chromium cannot be run from ${executable}: install Debian's with \`apt-get install chromium\` (or set KIOSK_CHROMIUM to another Chromium), or use --shell electron`;
  }
}

export interface LaunchOptions extends Omit<ChromiumArgsOptions, 'userDataDir'> {
  executable?: string;
  restart?: RestartLimits;
  /** Chromium kept crashing and stays down. */
  onGiveUp?: () => void;
}

export interface ChromiumProcess {
  /** How many times Chromium has been started. */
  readonly launches: number;
  /** The running Chromium's process id, or null between restarts. */
  readonly pid: number | null;
  stop(): Promise<void>;
}

/** How long Chromium gets to close itself before it is killed. */
const STOP_GRACE_MS = 5000;

export function launchChromium(options: LaunchOptions): ChromiumProcess {
  const executable = options.executable ?? DEBIAN_CHROMIUM;
  const policy = new RestartPolicy(options.restart ?? DEFAULT_RESTART_LIMITS);
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  let launches = 0;

  const start = async () => {
    timer = null;
    const userDataDir = await mkdtemp(join(tmpdir(), 'kiosk-chromium-'));
    if (stopping) return void (await rm(userDataDir, { recursive: true, force: true }));
    launches += 1;
    // Its own process group, so that stop() reaches Chromium's helpers (renderer, GPU) as well.
    const current = spawn(executable, chromiumArgs({ ...options, userDataDir }), {
      stdio: 'ignore',
      detached: true,
    });
    child = current;
    exited = new Promise((resolve) => {
      let done = false;
      const ended = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        if (child === current) child = null;
        // Helpers left behind by a crashed browser process would keep the profile folder busy.
        if (current.pid !== undefined) signalGroup(current.pid, 'SIGKILL');
        void rm(userDataDir, { recursive: true, force: true }).finally(() => {
          resolve();
          if (!stopping) restartAfter(code, signal);
        });
      };
      current.once('exit', ended);
      current.once('error', (error) => {
        log.error({ err: error.message, executable }, 'kiosk: Chromium did not start');
        ended(null, null);
      });
    });
  };

  const restartAfter = (code: number | null, signal: NodeJS.Signals | null) => {
    const delay = policy.next();
    if (delay === null) {
      log.error({ crashes: policy.recent }, 'kiosk: Chromium keeps exiting; not restarting it');
      options.onGiveUp?.();
      return;
    }
    log.warn({ code, signal, delay }, 'kiosk: Chromium exited unexpectedly; restarting it');
    timer = setTimeout(() => void start(), delay);
  };

  void start();

  return {
    get launches() {
      return launches;
    },
    get pid() {
      return child?.pid ?? null;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      const current = child;
      if (current?.pid !== undefined && current.exitCode === null && current.signalCode === null) {
        signalGroup(current.pid, 'SIGTERM');
        const killer = setTimeout(() => signalGroup(current.pid as number, 'SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(killer);
      } else {
        await exited;
      }
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
