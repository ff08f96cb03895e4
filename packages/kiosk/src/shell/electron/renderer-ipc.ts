/**
 * The main process's side of Electron's preload: the renderer's messages and frames arrive on the
 * fixed channels and pass the same gate as the Chromium host's WebSocket, only from the kiosk
 * window's own main frame on the app origin; views and the profile go back on one channel.
 */
import type { IpcMain, IpcMainEvent, WebContents } from 'electron';
import type { KioskServices } from '../../kiosk/kiosk-services.ts';
import { KIOSK_CHANNELS } from '../../preload/channels.ts';
import { type DropCounts, type GateLimits, noDrops, RendererGate } from '../renderer-gate.ts';
import { isAppUrl } from './window-settings.ts';

export type IpcMainLike = Pick<IpcMain, 'on' | 'removeListener'>;
export type RendererContents = Pick<WebContents, 'on' | 'send' | 'isDestroyed'>;

export interface RendererLink {
  /** Dropped input by reason; `wrong-sender` counts messages from anything but the kiosk page. */
  readonly dropped: DropCounts & { 'wrong-sender': number };
  dispose(): void;
}

export function linkRenderer(
  ipcMain: IpcMainLike,
  contents: RendererContents,
  services: KioskServices,
  options: { appOrigin: string; limits?: GateLimits },
): RendererLink {
  const dropped = { ...noDrops(), 'wrong-sender': 0 };
  let unsubscribe = () => {};
  const post = (message: unknown) => {
    if (!contents.isDestroyed()) contents.send(KIOSK_CHANNELS.fromMain, message);
  };
  // The profile, then the current view (onMessage replays it), then every change: on every load,
  // the reload after a crash included, and whenever the renderer says it is ready.
  const subscribe = () => {
    unsubscribe();
    post({ type: 'profile', profile: services.profile });
    unsubscribe = services.onMessage(post);
  };
  const gate = new RendererGate(
    {
      patient: (command) => services.patient(command),
      frame: (jpeg) => services.frame(jpeg),
      cardFrame: (request, jpeg) => services.cardFrame?.(request, jpeg),
      ready: subscribe,
    },
    dropped,
    options.limits,
  );

  const fromKioskPage = (event: IpcMainEvent) => {
    const frame = event.senderFrame;
    const ok =
      event.sender === contents &&
      frame !== null &&
      frame.parent === null &&
      isAppUrl(frame.url, options.appOrigin);
    if (!ok) dropped['wrong-sender'] += 1;
    return ok;
  };
  const onMessage = (event: IpcMainEvent, value: unknown) => {
    if (fromKioskPage(event)) gate.message(value);
  };
  const onFrame = (event: IpcMainEvent, value: unknown) => {
    if (fromKioskPage(event)) gate.frame(value);
  };

  const onCardFrame = (event: IpcMainEvent, request: unknown, value: unknown) => {
    if (fromKioskPage(event)) gate.cardFrame(request, value);
  };

  ipcMain.on(KIOSK_CHANNELS.toMain, onMessage);
  ipcMain.on(KIOSK_CHANNELS.frame, onFrame);
  ipcMain.on(KIOSK_CHANNELS.cardFrame, onCardFrame);
  contents.on('did-finish-load', subscribe);

  return {
    dropped,
    dispose() {
      unsubscribe();
      ipcMain.removeListener(KIOSK_CHANNELS.toMain, onMessage);
      ipcMain.removeListener(KIOSK_CHANNELS.frame, onFrame);
      ipcMain.removeListener(KIOSK_CHANNELS.cardFrame, onCardFrame);
    },
  };
}
