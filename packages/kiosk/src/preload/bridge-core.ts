/**
 * The part of `window.kiosk` both shells share; only the transport differs (Electron IPC, the
 * Chromium host's WebSocket). The last profile and view are kept and handed to every listener as
 * it registers: the main process may speak before the renderer's code has started listening, and
 * a screen must never stay blank because of that.
 */
import {
  isCardFrameRequest,
  type KioskBridge,
  type MainMessage,
  type RendererMessage,
} from '../common/ui-protocol.ts';

export interface BridgeTransport {
  send(message: RendererMessage): void;
  sendFrame(jpeg: ArrayBuffer): void;
  sendCardFrame(request: number, jpeg: ArrayBuffer): void;
}

export interface BridgeCore {
  bridge: KioskBridge;
  /** A message from the main process, for the listeners. */
  deliver(message: MainMessage): void;
}

// Checked by tag, not instanceof: Electron's contextBridge hands over a copy from another realm.
const isArrayBuffer = (value: unknown) => Object.prototype.toString.call(value) === '[object ArrayBuffer]';

export function createBridge(transport: BridgeTransport): BridgeCore {
  const listeners = new Set<(message: MainMessage) => void>();
  const latest = new Map<'profile' | 'view', MainMessage>();

  const notify = (listener: (message: MainMessage) => void, message: MainMessage) => {
    try {
      listener(message);
    } catch (error) {
      // One broken listener must not starve the others of the next screen.
      console.error('kiosk bridge: a message listener threw', error);
    }
  };

  const bridge: KioskBridge = {
    onMessage(listener) {
      if (typeof listener !== 'function') throw new TypeError('kiosk.onMessage needs a function');
      listeners.add(listener);
      for (const kind of ['profile', 'view'] as const) {
        const message = latest.get(kind);
        if (message) notify(listener, message);
      }
      return () => {
        listeners.delete(listener);
      };
    },
    send(message) {
      transport.send(message);
    },
    sendFrame(jpeg) {
      if (!isArrayBuffer(jpeg)) throw new TypeError('kiosk.sendFrame needs an ArrayBuffer');
      transport.sendFrame(jpeg);
    },
    sendCardFrame(request, jpeg) {
      if (!isCardFrameRequest(request)) throw new TypeError('kiosk.sendCardFrame needs a request number');
      if (!isArrayBuffer(jpeg)) throw new TypeError('kiosk.sendCardFrame needs an ArrayBuffer');
      transport.sendCardFrame(request, jpeg);
    },
  };

  return {
    bridge: Object.freeze(bridge),
    deliver(message) {
      if (message.type === 'profile' || message.type === 'view') latest.set(message.type, message);
      for (const listener of [...listeners]) notify(listener, message);
    },
  };
}
