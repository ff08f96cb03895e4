/**
 * Electron's main process for the kiosk, as a function: the kiosk's own entry (main.ts) runs it with
 * the composition root, the testbed's demo entry with the demo's parts and its operator panel. The
 * only module that imports the real `electron`; nothing that runs under plain Node imports this one.
 *
 * Arguments: --config FILE, --ui-dir DIR (a built renderer), --port N (the operator panel's port on
 * 127.0.0.1, where there is one).
 */
import { parseArgs } from 'node:util';
import electron from 'electron';
import { browserScriptFile, builtRenderer } from '../browser-scripts.ts';
import { startKioskHost } from '../chromium/kiosk-host.ts';
import { kioskConfig, loadStartKiosk, type StartKiosk } from '../kiosk-parts.ts';
import { openKioskWindow, prepareElectron } from './electron-kiosk.ts';
import { isDevMode } from './window-settings.ts';

export interface ElectronMainOptions {
  /** Default: the composition root. */
  startKiosk?: StartKiosk;
  /** A page of its own for the operator (the demo's test cards). */
  operatorPanel?: boolean;
}

const parsedArgs = () =>
  parseArgs({
    args: process.argv.slice(electron.app.isPackaged ? 1 : 2),
    options: {
      config: { type: 'string' },
      'ui-dir': { type: 'string' },
      port: { type: 'string' },
    },
    // Chromium's own switches may be on the command line too.
    strict: false,
    allowPositionals: true,
  });

const cleanups: (() => Promise<unknown>)[] = [];

async function run(options: ElectronMainOptions): Promise<void> {
  const { app } = electron;
  const { values } = parsedArgs();
  await app.whenReady();
  const config = kioskConfig(typeof values.config === 'string' ? values.config : undefined);
  const services = await (options.startKiosk ?? (await loadStartKiosk()))({ config });
  cleanups.push(() => services.close());

  // Both built by `npm run build` into the kiosk's dist/, which the packaged app carries.
  const uiDir = typeof values['ui-dir'] === 'string' ? values['ui-dir'] : builtRenderer();
  const preload = browserScriptFile('electron-preload');

  await openKioskWindow(electron, { services, uiDir, preload, dev: isDevMode() });

  if (options.operatorPanel) {
    // The operator panel is a page of its own in any browser on this machine.
    const port = typeof values.port === 'string' ? Number(values.port) : 0;
    const panel = await startKioskHost({ services, uiDir, port, patientScreens: false, operatorPanel: true });
    cleanups.push(() => panel.close());
    process.stdout.write(`operator panel: ${panel.operatorUrl}\n`);
  }

  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void closeAll().finally(() => app.exit(0));
  });
}

async function closeAll(): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
}

export function electronMain(options: ElectronMainOptions = {}): void {
  if (!prepareElectron(electron)) return;
  run(options).catch(async (error: unknown) => {
    process.stderr.write(`kiosk: ${error instanceof Error ? error.message : String(error)}\n`);
    await closeAll();
    electron.app.exit(1);
  });
}
