/**
 * Electron's main process for test/integration/shell-electron.test.ts: the real Electron shell
 * (hardened window, preload, IPC) over the stand-in services and the placeholder page. What the
 * test needs to look at from the main process is left on `globalThis.kioskTest`.
 */
import electron from 'electron';
import { openKioskWindow, prepareElectron } from '../../../../src/shell/electron/electron-kiosk.ts';
import { temporaryPreload } from '../../../../src/shell/electron/packaged-files.ts';
import { placeholderUi } from './placeholder-ui.ts';
import { standInKiosk } from './stand-in-kiosk.ts';

if (prepareElectron(electron)) {
  await electron.app.whenReady();
  const services = standInKiosk({ demo: true });
  const ui = await placeholderUi();
  const preload = await temporaryPreload();
  const { link } = await openKioskWindow(electron, {
    services,
    uiDir: ui.dir,
    preload: preload.file,
    dev: false,
  });
  Object.assign(globalThis, { kioskTest: { services, link } });
  electron.app.on('window-all-closed', () => electron.app.quit());
  electron.app.on('will-quit', () => {
    void ui.remove();
    void preload.remove();
  });
}
