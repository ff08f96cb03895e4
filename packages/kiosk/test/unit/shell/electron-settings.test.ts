import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../src/shell/electron/app-protocol.ts';
import { openKioskWindow, prepareElectron } from '../../../src/shell/electron/electron-kiosk.ts';
import {
  type ContentsLike,
  hardenContents,
  hardenSession,
  isDevMode,
  kioskWindowOptions,
  reloadAfterCrash,
  type SessionLike,
} from '../../../src/shell/electron/window-settings.ts';
import { RestartPolicy } from '../../../src/shell/restart-policy.ts';
import { electronEvent, FakeContents, FakeSession, fakeElectron } from './support/electron-stub.ts';
import { standInKiosk } from './support/stand-in-kiosk.ts';

function hardenedSession(dev = false) {
  const session = new FakeSession();
  hardenSession(session as unknown as SessionLike, { appOrigin: APP_ORIGIN, dev });
  return session;
}

function hardenedContents(dev = false) {
  const contents = new FakeContents();
  hardenContents(contents as unknown as ContentsLike, { appOrigin: APP_ORIGIN, dev });
  return contents;
}

describe('Electron window', () => {
  it('is a sandboxed, context-isolated, Node-free kiosk window with the preload', () => {
    const options = kioskWindowOptions({ preload: '/app/preload.cjs', dev: false });
    expect(options).toMatchObject({ kiosk: true, fullscreen: true, frame: false, show: false });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(kioskWindowOptions({ preload: 'p', dev: true }).webPreferences?.devTools).toBe(true);
  });

  it('has developer tools only with KIOSK_DEV=1', () => {
    expect(isDevMode({})).toBe(false);
    expect(isDevMode({ KIOSK_DEV: 'true' })).toBe(false);
    expect(isDevMode({ KIOSK_DEV: '1' })).toBe(true);
  });
});

describe('Electron session', () => {
  const app = `${APP_ORIGIN}/index.html`;
  const request = (session: FakeSession, permission: string, details: Record<string, unknown>) => {
    let granted: boolean | null = null;
    (session.permissionRequest as unknown as (...args: unknown[]) => void)(
      {},
      permission,
      (answer: boolean) => {
        granted = answer;
      },
      { isMainFrame: true, requestingUrl: app, ...details },
    );
    return granted;
  };
  const check = (
    session: FakeSession,
    permission: string,
    origin: string,
    details: Record<string, unknown>,
  ) =>
    (session.permissionCheck as unknown as (...args: unknown[]) => boolean)({}, permission, origin, {
      isMainFrame: true,
      ...details,
    });

  it('grants the camera, video only, to the app’s main frame and nothing else', () => {
    const session = hardenedSession();
    expect(request(session, 'media', { mediaTypes: ['video'] })).toBe(true);
    expect(request(session, 'media', { mediaTypes: ['audio'] })).toBe(false);
    expect(request(session, 'media', { mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(request(session, 'media', { mediaTypes: [] })).toBe(false);
    expect(request(session, 'media', { mediaTypes: ['video'], isMainFrame: false })).toBe(false);
    expect(request(session, 'media', { mediaTypes: ['video'], requestingUrl: 'https://example.com/' })).toBe(
      false,
    );
    expect(request(session, 'media', { mediaTypes: ['video'], requestingUrl: 'app://kiosk.evil/' })).toBe(
      false,
    );
    for (const permission of [
      'geolocation',
      'notifications',
      'display-capture',
      'openExternal',
      'fullscreen',
    ])
      expect(request(session, permission, {}), permission).toBe(false);

    expect(check(session, 'media', APP_ORIGIN, { mediaType: 'video' })).toBe(true);
    expect(check(session, 'media', APP_ORIGIN, { mediaType: 'audio' })).toBe(false);
    expect(check(session, 'media', 'https://example.com', { mediaType: 'video' })).toBe(false);
    expect(check(session, 'media', APP_ORIGIN, { mediaType: 'video', isMainFrame: false })).toBe(false);
    expect(check(session, 'hid', APP_ORIGIN, {})).toBe(false);
    expect((session.devicePermission as unknown as () => boolean)()).toBe(false);
  });

  it('puts the strict policy on every response, replacing any the response had', () => {
    const session = hardenedSession();
    let answer: { responseHeaders?: Record<string, string[]> } = {};
    (session.headersReceived as unknown as (...args: unknown[]) => void)(
      {
        url: app,
        responseHeaders: {
          'content-security-policy': ["default-src * 'unsafe-eval'"],
          'Content-Type': ['text/html'],
        },
      },
      (response: typeof answer) => {
        answer = response;
      },
    );
    const headers = answer.responseHeaders ?? {};
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['Content-Security-Policy']?.[0]).toMatch(/^default-src 'self'/);
    expect(headers['Content-Security-Policy']?.[0]).toContain("connect-src 'self';");
    expect(headers['Content-Type']).toEqual(['text/html']);
    expect(headers['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(headers['Referrer-Policy']).toEqual(['no-referrer']);
  });

  it('loads nothing but the app, in-page data, and developer tools in development', () => {
    const cancelled = (session: FakeSession, url: string) => {
      let cancel: boolean | undefined;
      (session.beforeRequest as unknown as (...args: unknown[]) => void)(
        { url },
        (response: { cancel: boolean }) => {
          cancel = response.cancel;
        },
      );
      return cancel;
    };
    const production = hardenedSession(false);
    expect(cancelled(production, `${APP_ORIGIN}/app.js`)).toBe(false);
    expect(cancelled(production, 'blob:app://kiosk/1234')).toBe(false);
    expect(cancelled(production, 'data:image/png;base64,AA==')).toBe(false);
    expect(cancelled(production, 'https://example.com/track.js')).toBe(true);
    expect(cancelled(production, 'file:///etc/passwd')).toBe(true);
    expect(cancelled(production, 'devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(cancelled(hardenedSession(true), 'devtools://devtools/bundled/inspector.html')).toBe(false);
  });

  it('refuses downloads', () => {
    const session = hardenedSession();
    const event = electronEvent();
    session.emit('will-download', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('Electron web contents', () => {
  it('stays on the app: no navigation or redirect elsewhere, no new windows, no webviews', () => {
    const contents = hardenedContents();
    const navigate = (name: string, url: string) => {
      const event = electronEvent({ url });
      contents.emit(name, event, url);
      return event.defaultPrevented;
    };
    expect(navigate('will-navigate', 'https://example.com/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'app://kiosk.evil/')).toBe(true);
    expect(navigate('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(navigate('will-redirect', 'https://example.com/')).toBe(true);
    expect(
      (contents.windowOpen as unknown as (details: unknown) => unknown)({ url: `${APP_ORIGIN}/x` }),
    ).toEqual({
      action: 'deny',
    });
    const webview = electronEvent();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('closes developer tools outside development', () => {
    const production = hardenedContents(false);
    production.emit('devtools-opened');
    expect(production.devToolsClosed).toBe(1);
    const development = hardenedContents(true);
    development.emit('devtools-opened');
    expect(development.devToolsClosed).toBe(0);
  });

  it('reloads after a renderer crash with growing pauses, and gives up after the limit', () => {
    const contents = new FakeContents();
    const pauses: number[] = [];
    const gaveUp: string[] = [];
    const policy = new RestartPolicy({
      maxRestarts: 2,
      windowMs: 60_000,
      firstDelayMs: 100,
      maxDelayMs: 1000,
    });
    reloadAfterCrash(contents as unknown as ContentsLike, policy, {
      onGiveUp: (reason) => gaveUp.push(reason),
      schedule: (run, ms) => {
        pauses.push(ms);
        run();
      },
    });
    contents.emit('render-process-gone', electronEvent(), { reason: 'clean-exit', exitCode: 0 });
    expect(contents.reloads).toBe(0);
    contents.emit('render-process-gone', electronEvent(), { reason: 'crashed', exitCode: 11 });
    contents.emit('render-process-gone', electronEvent(), { reason: 'oom', exitCode: 9 });
    expect(pauses).toEqual([100, 200]);
    expect(contents.reloads).toBe(2);
    contents.emit('render-process-gone', electronEvent(), { reason: 'crashed', exitCode: 11 });
    expect(contents.reloads).toBe(2);
    expect(gaveUp).toEqual(['crashed']);

    contents.emit('unresponsive');
    expect(contents.crashes).toBe(1);
  });
});

describe('Electron shell start', () => {
  it('quits when another kiosk already runs on the machine', () => {
    const { electron, app, protocol } = fakeElectron({ lock: false });
    expect(prepareElectron(electron)).toBe(false);
    expect(app.quits).toBe(1);
    expect(protocol.privileged).toEqual([]);
  });

  it('opens the hardened window on the app scheme, which serves the build with the policy', async () => {
    const { electron, protocol, windows } = fakeElectron();
    expect(prepareElectron(electron)).toBe(true);
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
    ]);
    const uiDir = await mkdtemp(join(tmpdir(), 'kiosk-electron-ui-'));
    const services = standInKiosk();
    try {
      await writeFile(join(uiDir, 'index.html'), '<!doctype html><title>kiosk</title>');
      await openKioskWindow(electron, { services, uiDir, preload: '/app/preload.cjs', dev: false });
      const [window] = windows;
      expect(window?.loaded).toBe('app://kiosk/index.html');
      expect(window?.options).toMatchObject({
        kiosk: true,
        webPreferences: { sandbox: true, preload: '/app/preload.cjs' },
      });
      // The window's own contents were hardened as they were created.
      const contents = window?.webContents as FakeContents;
      const event = electronEvent({ url: 'https://example.com/' });
      contents.emit('will-navigate', event);
      expect(event.defaultPrevented).toBe(true);
      expect(contents.session.permissionRequest).not.toBeNull();

      const serve = protocol.handlers.get('app') as (request: Request) => Promise<Response>;
      const page = await serve(new Request('app://kiosk/index.html'));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
      expect(await page.text()).toContain('<title>kiosk</title>');
      expect((await serve(new Request('app://kiosk/../../etc/passwd'))).status).toBe(404);
      expect((await serve(new Request('app://other/index.html'))).status).toBe(404);
    } finally {
      await services.close();
      await rm(uiDir, { recursive: true, force: true });
    }
  });
});
