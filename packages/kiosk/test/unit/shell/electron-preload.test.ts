import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KioskBridge, MainMessage } from '../../../src/common/ui-protocol.ts';
import { KIOSK_CHANNELS } from '../../../src/preload/channels.ts';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const sent: [string, ...unknown[]][] = [];
  const listeners = new Map<string, (event: unknown, message: unknown) => void>();
  return {
    exposed,
    sent,
    listeners,
    contextBridge: { exposeInMainWorld: (name: string, value: unknown) => exposed.set(name, value) },
    ipcRenderer: {
      send: (channel: string, ...args: unknown[]) => sent.push([channel, ...args]),
      on: (channel: string, listener: (event: unknown, message: unknown) => void) =>
        listeners.set(channel, listener),
    },
  };
});
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

describe('Electron preload', () => {
  let kiosk: KioskBridge;
  beforeAll(async () => {
    await import('../../../src/preload/electron-preload.ts');
    kiosk = electron.exposed.get('kiosk') as KioskBridge;
  });

  it('exposes exactly the KioskBridge as window.kiosk, and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['kiosk']);
    expect(Object.keys(kiosk).sort()).toEqual(['onMessage', 'send', 'sendCardFrame', 'sendFrame']);
    expect([...electron.listeners.keys()]).toEqual([KIOSK_CHANNELS.fromMain]);
  });

  it('sends on the fixed channels and hands main messages over without the IPC event', () => {
    kiosk.send({ type: 'patient', command: { type: 'CHOOSE_FACE' } });
    const frame = new ArrayBuffer(4);
    kiosk.sendFrame(frame);
    const still = new ArrayBuffer(4);
    kiosk.sendCardFrame(7, still);
    expect(() => kiosk.sendCardFrame(-1, still)).toThrow(TypeError);
    expect(electron.sent).toEqual([
      [KIOSK_CHANNELS.toMain, { type: 'patient', command: { type: 'CHOOSE_FACE' } }],
      [KIOSK_CHANNELS.frame, frame],
      [KIOSK_CHANNELS.cardFrame, 7, still],
    ]);
    const heard: unknown[][] = [];
    kiosk.onMessage((...args: unknown[]) => heard.push(args));
    const message: MainMessage = { type: 'face-feedback', reasons: ['too-far'] };
    electron.listeners.get(KIOSK_CHANNELS.fromMain)?.({ sender: 'ipcRenderer' }, message);
    expect(heard).toEqual([[message]]);
  });
});
