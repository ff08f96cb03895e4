/**
 * The Electron shell put together: one instance per machine, the app scheme serving the renderer
 * build, every web contents hardened, the kiosk window with the typed preload, IPC through the
 * shared gate, and a reload after a renderer crash. Takes the `electron` module as an argument so
 * it can run against a stub; only main.ts, which runs inside Electron, imports the real one.
 */
import type { BrowserWindow } from 'electron';
import { log } from '../../common/node/log.ts';
import type { KioskServices } from '../../kiosk/kiosk-services.ts';
import { DEFAULT_RESTART_LIMITS, type RestartLimits, RestartPolicy } from '../restart-policy.ts';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, appRequestHandler } from './app-protocol.ts';
import { linkRenderer, type RendererLink } from './renderer-ipc.ts';
import { hardenContents, hardenSession, kioskWindowOptions, reloadAfterCrash } from './window-settings.ts';

export type ElectronMain = Pick<typeof import('electron'), 'app' | 'BrowserWindow' | 'ipcMain' | 'protocol'>;

/** Exit status when the renderer keeps crashing: the service manager starts the kiosk again. */
export const EXIT_RENDERER_CRASHING = 70;

/**
 * What must happen before Electron is ready. False when another kiosk already runs on this
 * machine: this one quits (two windows would fight over the card reader and the camera).
 */
export function prepareElectron(electron: ElectronMain): boolean {
  if (!electron.app.requestSingleInstanceLock()) {
    electron.app.quit();
    return false;
  }
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  return true;
}

export interface KioskWindowOptions {
  services: KioskServices;
  uiDir: string;
  /** The bundled preload script (src/preload/electron-preload.ts as one file). */
  preload: string;
  dev: boolean;
  restart?: RestartLimits;
}

export interface KioskWindow {
  window: BrowserWindow;
  link: RendererLink;
}

/** After `app.whenReady()`. */
export async function openKioskWindow(
  electron: ElectronMain,
  options: KioskWindowOptions,
): Promise<KioskWindow> {
  const { app, BrowserWindow, ipcMain, protocol } = electron;
  const settings = { appOrigin: APP_ORIGIN, dev: options.dev };
  // Every web contents, not only ours: whatever might be created later is held to the same rules.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, settings));
  protocol.handle(APP_SCHEME, appRequestHandler(options.uiDir));

  const window = new BrowserWindow(kioskWindowOptions({ preload: options.preload, dev: options.dev }));
  hardenSession(window.webContents.session, settings);
  reloadAfterCrash(window.webContents, new RestartPolicy(options.restart ?? DEFAULT_RESTART_LIMITS), {
    onGiveUp(reason) {
      log.error(
        { reason },
        'kiosk: the screen keeps crashing; exiting so the service manager restarts the kiosk',
      );
      app.exit(EXIT_RENDERER_CRASHING);
    },
  });
  const link = linkRenderer(ipcMain, window.webContents, options.services, { appOrigin: APP_ORIGIN });
  app.on('second-instance', () => window.focus());
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${APP_ORIGIN}/index.html`);
  return { window, link };
}
