/**
 * `window.kiosk` for the Chromium app-mode shell: the Chromium host serves this script ahead of the
 * renderer's own and it talks to the host over the token-authenticated WebSocket. The renderer sees
 * the same KioskBridge as under Electron and cannot tell the shells apart.
 */
import type { MainMessage } from '../common/ui-protocol.ts';
import { createBridge } from './bridge-core.ts';
import { takeFragmentToken } from './fragment-token.ts';
import { cardFrameMessage } from './host-protocol.ts';
import { connectHost } from './host-socket.ts';

/** Frames are skipped, not queued, while this much is still unsent: a late frame is useless. */
const MAX_FRAME_BACKLOG = 1024 * 1024;

const token = takeFragmentToken(window, 'kiosk.token');
const socket = connectHost({
  role: 'patient',
  token,
  onText(text) {
    let message: MainMessage;
    try {
      message = JSON.parse(text) as MainMessage;
    } catch {
      return;
    }
    core.deliver(message);
  },
  onState(state) {
    if (state === 'refused')
      console.error('kiosk: the kiosk host refused this page (missing or wrong token)');
  },
});
const core = createBridge({
  send(message) {
    socket.send(JSON.stringify(message));
  },
  sendFrame(jpeg) {
    if (socket.backlog() < MAX_FRAME_BACKLOG) socket.send(jpeg);
  },
  sendCardFrame(request, jpeg) {
    socket.send(cardFrameMessage(request, jpeg));
  },
});

Object.defineProperty(globalThis, 'kiosk', { value: core.bridge, enumerable: true });
