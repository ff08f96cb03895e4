/**
 * Stand-ins for the parts of the `electron` module the shell uses, recording what was set on them,
 * so the window and session settings can be checked without the Electron binary.
 */
import { EventEmitter } from 'node:events';
import type { ElectronMain } from '../../../../src/shell/electron/electron-kiosk.ts';

type Handler = (...args: never[]) => unknown;

export class FakeSession extends EventEmitter {
  permissionRequest: Handler | null = null;
  permissionCheck: Handler | null = null;
  devicePermission: Handler | null = null;
  beforeRequest: Handler | null = null;
  headersReceived: Handler | null = null;
  readonly webRequest = {
    onBeforeRequest: (listener: Handler) => {
      this.beforeRequest = listener;
    },
    onHeadersReceived: (listener: Handler) => {
      this.headersReceived = listener;
    },
  };
  setPermissionRequestHandler(handler: Handler) {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: Handler) {
    this.permissionCheck = handler;
  }
  setDevicePermissionHandler(handler: Handler) {
    this.devicePermission = handler;
  }
}

export class FakeContents extends EventEmitter {
  readonly session = new FakeSession();
  windowOpen: Handler | null = null;
  sent: [string, unknown][] = [];
  reloads = 0;
  crashes = 0;
  devToolsClosed = 0;
  destroyed = false;
  setWindowOpenHandler(handler: Handler) {
    this.windowOpen = handler;
  }
  send(channel: string, message: unknown) {
    this.sent.push([channel, message]);
  }
  reload() {
    this.reloads += 1;
  }
  isDestroyed() {
    return this.destroyed;
  }
  forcefullyCrashRenderer() {
    this.crashes += 1;
  }
  closeDevTools() {
    this.devToolsClosed += 1;
  }
}

/** An Electron-style event: `preventDefault()` is remembered. */
export function electronEvent(fields: Record<string, unknown> = {}) {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export function fakeElectron(options: { lock?: boolean } = {}) {
  const app = Object.assign(new EventEmitter(), {
    quits: 0,
    exits: [] as number[],
    requestSingleInstanceLock: () => options.lock ?? true,
    quit() {
      app.quits += 1;
    },
    exit(code: number) {
      app.exits.push(code);
    },
  });
  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      protocol.handlers.set(scheme, handler);
    },
  };
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    readonly webContents = new FakeContents();
    loaded: string | null = null;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', electronEvent(), this.webContents);
    }
    async loadURL(url: string) {
      this.loaded = url;
    }
    show() {}
    focus() {}
  }
  const ipcMain = new EventEmitter();
  const electron = { app, protocol, BrowserWindow: FakeWindow, ipcMain } as unknown as ElectronMain;
  return { electron, app, protocol, windows, ipcMain };
}
