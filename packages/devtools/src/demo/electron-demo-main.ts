// Electron's entry for the demo (`kiosk-dev start --demo --shell electron`): the kiosk's own
// Electron main process on the demo's parts, with the operator panel on a page of its own.
import { electronMain } from '@myna/kiosk/shell/electron/electron-main.js';
import { startDemoKiosk } from './demo-kiosk.ts';

electronMain({ startKiosk: startDemoKiosk, operatorPanel: true });
