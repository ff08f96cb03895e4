/**
 * A stand-in for the shell's `window.kiosk`, installed in the page before the renderer starts
 * (page.addInitScript): it hands the renderer the profile and views it is given and records what
 * the renderer sends, so previews and tests need no main process. Frames are counted and their
 * first bytes kept (to see they are JPEG), never the frames themselves; a card-tray still comes
 * only when asked for and is kept whole (base64), so a test can see what was cropped and turned.
 */
import type { MainMessage, RendererMessage } from '@myna/kiosk/common/ui-protocol.js';

export interface FakeBridgeRecord {
  sent: RendererMessage[];
  frames: number;
  /** The first three bytes of each frame: FF D8 FF for a JPEG. */
  frameStarts: number[][];
  frameBytes: number;
  /** Width × height of each frame, from its JPEG header. */
  frameSizes: [number, number][];
  /** The card-tray stills sent, with the request each answers. */
  cardFrames: { request: number; jpeg: string }[];
}

/** What the fake bridge puts on the page, for the harness's page.evaluate calls. */
export interface FakeBridgePage {
  kioskFake: { record: FakeBridgeRecord; deliver(message: MainMessage): void };
}

/** Runs in the page: serialised by Playwright, so it may use nothing from outside itself. */
export function installFakeBridge(initial: MainMessage[]): void {
  const listeners = new Set<(message: MainMessage) => void>();
  const latest = new Map<string, MainMessage>();
  const record: FakeBridgeRecord = {
    sent: [],
    frames: 0,
    frameStarts: [],
    frameBytes: 0,
    frameSizes: [],
    cardFrames: [],
  };
  // The start-of-frame segment (FF C0 baseline, FF C2 progressive) holds height, then width.
  const jpegSize = (bytes: Uint8Array): [number, number] => {
    for (let i = 2; i + 8 < bytes.length; i++) {
      if (bytes[i] === 0xff && (bytes[i + 1] === 0xc0 || bytes[i + 1] === 0xc2)) {
        return [(bytes[i + 7]! << 8) | bytes[i + 8]!, (bytes[i + 5]! << 8) | bytes[i + 6]!];
      }
    }
    return [0, 0];
  };
  const deliver = (message: MainMessage) => {
    if (message.type === 'profile' || message.type === 'view') latest.set(message.type, message);
    for (const listener of [...listeners]) listener(message);
  };
  for (const message of initial) deliver(message);
  const bridge = {
    onMessage(listener: (message: MainMessage) => void) {
      listeners.add(listener);
      for (const message of latest.values()) listener(message);
      return () => {
        listeners.delete(listener);
      };
    },
    send(message: RendererMessage) {
      record.sent.push(JSON.parse(JSON.stringify(message)) as RendererMessage);
    },
    sendFrame(jpeg: ArrayBuffer) {
      record.frames += 1;
      record.frameBytes += jpeg.byteLength;
      const bytes = new Uint8Array(jpeg);
      record.frameStarts.push(Array.from(bytes.subarray(0, 3)));
      record.frameSizes.push(jpegSize(bytes));
    },
    sendCardFrame(request: number, jpeg: ArrayBuffer) {
      const text = Array.from(new Uint8Array(jpeg), (byte) => String.fromCharCode(byte)).join('');
      record.cardFrames.push({ request, jpeg: btoa(text) });
    },
  };
  Object.defineProperty(globalThis, 'kiosk', { value: Object.freeze(bridge) });
  Object.defineProperty(globalThis, 'kioskFake', { value: { record, deliver } });
}
