/**
 * Electron's main process for test/integration/shell-electron.test.ts: the real Electron shell
 * (hardened window, preload, IPC) over the stand-in services and the placeholder page. What the
 * test needs to look at from the main process is left on `globalThis.kioskTest`.
 */
import electron from 'electron';
import { browserScriptFile } from '../../../../src/shell/browser-scripts.ts';
import { openKioskWindow, prepareElectron } from '../../../../src/shell/electron/electron-kiosk.ts';
import { placeholderUi } from './placeholder-ui.ts';
import { standInKiosk } from './stand-in-kiosk.ts';

if (prepareElectron(electron)) {
  await electron.app.whenReady();
  const services = standInKiosk({ demo: true });
  const ui = await placeholderUi();
  const { link } = await openKioskWindow(electron, {
    services,
    uiDir: ui.dir,
    preload: browserScriptFile('electron-preload'),
    dev: false,
  });
  Object.assign(globalThis, { kioskTest: { services, link } });
  electron.app.on('window-all-closed', () => electron.app.quit());
  electron.app.on('will-quit', () => {
    void ui.remove();
  });
}
