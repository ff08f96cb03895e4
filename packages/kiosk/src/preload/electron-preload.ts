/**
 * Electron's preload: exposes exactly KioskBridge as `window.kiosk`, nothing of Electron or Node.
 * It runs sandboxed, so it is bundled into one file with `electron` as its only import (see
 * src/shell/browser-scripts.ts); the main process validates everything that arrives on the channels.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { MainMessage } from '../common/ui-protocol.ts';
import { createBridge } from './bridge-core.ts';
import { KIOSK_CHANNELS } from './channels.ts';

const core = createBridge({
  send(message) {
    ipcRenderer.send(KIOSK_CHANNELS.toMain, message);
  },
  sendFrame(jpeg) {
    ipcRenderer.send(KIOSK_CHANNELS.frame, jpeg);
  },
  sendCardFrame(request, jpeg) {
    ipcRenderer.send(KIOSK_CHANNELS.cardFrame, request, jpeg);
  },
});

// The event object is not passed on: it would hand the renderer a way back to ipcRenderer.
ipcRenderer.on(KIOSK_CHANNELS.fromMain, (_event, message: MainMessage) => core.deliver(message));

contextBridge.exposeInMainWorld('kiosk', core.bridge);
