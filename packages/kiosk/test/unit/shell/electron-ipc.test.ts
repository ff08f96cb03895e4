import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MainMessage } from '../../../src/common/ui-protocol.ts';
import { KIOSK_CHANNELS } from '../../../src/preload/channels.ts';
import { APP_ORIGIN } from '../../../src/shell/electron/app-protocol.ts';
import {
  type IpcMainLike,
  linkRenderer,
  type RendererContents,
} from '../../../src/shell/electron/renderer-ipc.ts';
import { FakeContents } from './support/electron-stub.ts';
import { type StandInKiosk, standInKiosk } from './support/stand-in-kiosk.ts';

describe('Electron IPC, main side', () => {
  let services: StandInKiosk;
  let ipcMain: EventEmitter;
  let contents: FakeContents;
  let link: ReturnType<typeof linkRenderer>;

  beforeEach(() => {
    services = standInKiosk();
    ipcMain = new EventEmitter();
    contents = new FakeContents();
    link = linkRenderer(
      ipcMain as unknown as IpcMainLike,
      contents as unknown as RendererContents,
      services,
      {
        appOrigin: APP_ORIGIN,
      },
    );
  });
  afterEach(async () => {
    link.dispose();
    await services.close();
  });

  const fromPage = (overrides: Record<string, unknown> = {}) => ({
    sender: contents,
    senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null },
    ...overrides,
  });
  const mainMessages = () =>
    contents.sent
      .filter(([channel]) => channel === KIOSK_CHANNELS.fromMain)
      .map(([, message]) => message as MainMessage);

  it('sends the profile and the current view on every load, then every change', () => {
    contents.emit('did-finish-load');
    expect(mainMessages().map((message) => message.type)).toEqual(['profile', 'view']);
    services.controller.card(true, '2026-11-24');
    expect(mainMessages().at(-1)).toMatchObject({ type: 'view', view: { screen: 'reading' } });
    // The reload after a crash starts over, with no listener left behind from before.
    contents.sent = [];
    contents.emit('did-finish-load');
    expect(mainMessages().map((message) => message.type)).toEqual(['profile', 'view']);
    services.controller.card(false);
    expect(mainMessages().filter((message) => message.type === 'view')).toHaveLength(2);
  });

  it('passes card-tray stills and "none" from the kiosk page, each with its request', () => {
    const answers: [number, number[] | null][] = [];
    services.cardFrame = (request, jpeg) => answers.push([request, jpeg && [...jpeg]]);
    const still = Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 1]);
    ipcMain.emit(KIOSK_CHANNELS.cardFrame, fromPage(), 4, still.buffer);
    ipcMain.emit(KIOSK_CHANNELS.toMain, fromPage(), { type: 'card-frame-none', request: 5 });
    ipcMain.emit(KIOSK_CHANNELS.cardFrame, fromPage(), 6, Uint8Array.from([0x89, 0x50, 0x4e, 0x47]).buffer);
    ipcMain.emit(
      KIOSK_CHANNELS.cardFrame,
      fromPage({ senderFrame: { url: 'https://elsewhere/', parent: null } }),
      7,
      still.buffer,
    );
    expect(answers).toEqual([
      [4, [...still]],
      [5, null],
    ]);
    expect(link.dropped['not-jpeg']).toBe(1);
    expect(link.dropped['wrong-sender']).toBe(1);
  });

  it('passes patient commands and frames from the kiosk page through the shared gate', async () => {
    services.controller.card(true, '2026-11-24');
    await vi.waitFor(() => expect(services.controller.view().screen).toBe('method'));
    ipcMain.emit(KIOSK_CHANNELS.toMain, fromPage(), { type: 'patient', command: { type: 'CHOOSE_PIN' } });
    expect(services.controller.view().screen).toBe('pin');
    ipcMain.emit(KIOSK_CHANNELS.toMain, fromPage(), {
      type: 'patient',
      command: { type: 'PIN_ENTERED', pin: '1234' },
    });
    ipcMain.emit(KIOSK_CHANNELS.toMain, fromPage(), { type: 'staff', command: { type: 'STAFF_CONFIRMED' } });
    expect(link.dropped['not-a-command']).toBe(1);
    expect(link.dropped['not-a-message']).toBe(1);
    expect(services.staffCommands).toEqual([]);

    ipcMain.emit(KIOSK_CHANNELS.frame, fromPage(), Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 1]).buffer);
    ipcMain.emit(KIOSK_CHANNELS.frame, fromPage(), 'not bytes');
    expect(services.frames).toHaveLength(1);
    expect(link.dropped['not-a-frame']).toBe(1);
  });

  it('ignores messages from any other sender, frame or origin', () => {
    const others = [
      fromPage({ sender: new FakeContents() }),
      fromPage({ senderFrame: null }),
      fromPage({ senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: {} } }),
      fromPage({ senderFrame: { url: 'https://example.com/', parent: null } }),
    ];
    for (const event of others) {
      ipcMain.emit(KIOSK_CHANNELS.toMain, event, { type: 'patient', command: { type: 'CHOOSE_EXIT' } });
      ipcMain.emit(KIOSK_CHANNELS.frame, event, Uint8Array.from([0xff, 0xd8, 0xff, 0xdb]));
    }
    expect(link.dropped['wrong-sender']).toBe(8);
    expect(services.frames).toEqual([]);
  });

  it('lets go of the channels when disposed', () => {
    link.dispose();
    expect(ipcMain.listenerCount(KIOSK_CHANNELS.toMain)).toBe(0);
    expect(ipcMain.listenerCount(KIOSK_CHANNELS.frame)).toBe(0);
  });
});
