// Electron's entry for the kiosk: `kiosk start --shell electron` and the packaged app run this file.
import { electronMain } from './electron-main.ts';

electronMain();
