/**
 * The hardened Electron window and session, as functions of objects shaped like Electron's, so
 * that every setting can be checked with Electron stubbed out (its binary is optional). Nothing
 * here imports Electron at run time: only its types.
 *
 * The renderer is untrusted: it runs sandboxed with context isolation and no Node, may load only
 * the app's own origin, may not navigate away, open windows, attach webviews, download files or
 * reach USB/HID/serial devices, and gets one permission: the camera (video only), for the app's
 * own main frame.
 */
import type {
  BrowserWindowConstructorOptions,
  MediaAccessPermissionRequest,
  PermissionCheckHandlerHandlerDetails,
  PermissionRequest,
  Session,
  WebContents,
} from 'electron';
import type { RestartPolicy } from '../restart-policy.ts';
import { securityHeaders } from '../security-headers.ts';

/** Developer tools only when asked for on the machine itself; never in a clinic. */
export function isDevMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.KIOSK_DEV === '1';
}

export function kioskWindowOptions(options: {
  preload: string;
  dev: boolean;
}): BrowserWindowConstructorOptions {
  return {
    show: false,
    kiosk: true,
    fullscreen: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableDialogs: true,
      devTools: options.dev,
      // The kiosk is always in front, and its voice guidance must start without a tap.
      backgroundThrottling: false,
      autoplayPolicy: 'no-user-gesture-required',
    },
  };
}

/** Whether `url` belongs to the app (`app://kiosk/...`); a URL parser gives no origin for such schemes. */
export function isAppUrl(url: string | undefined, appOrigin: string): boolean {
  return url === appOrigin || (url?.startsWith(`${appOrigin}/`) ?? false);
}

/** The camera, video only, for the app's own main frame; nothing else. */
export function allowPermissionRequest(
  permission: string,
  details: PermissionRequest | MediaAccessPermissionRequest,
  appOrigin: string,
): boolean {
  if (permission !== 'media' || !details.isMainFrame || !isAppUrl(details.requestingUrl, appOrigin))
    return false;
  const types = (details as MediaAccessPermissionRequest).mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'video');
}

export function allowPermissionCheck(
  permission: string,
  requestingOrigin: string,
  details: PermissionCheckHandlerHandlerDetails,
  appOrigin: string,
): boolean {
  return (
    permission === 'media' &&
    details.mediaType === 'video' &&
    details.isMainFrame &&
    isAppUrl(requestingOrigin, appOrigin)
  );
}

/** What a request may be for: the app itself, and in-page data it made. */
export function allowRequest(url: string, appOrigin: string, dev: boolean): boolean {
  return (
    isAppUrl(url, appOrigin) ||
    url.startsWith('data:') ||
    url.startsWith('blob:') ||
    (dev && url.startsWith('devtools:'))
  );
}

/** Headers with ours in place of any the response had under the same names. */
export function withSecurityHeaders(headers: Record<string, string[]> = {}): Record<string, string[]> {
  const ours = securityHeaders();
  const names = new Set(Object.keys(ours).map((name) => name.toLowerCase()));
  const kept = Object.entries(headers).filter(([name]) => !names.has(name.toLowerCase()));
  return Object.fromEntries([...kept, ...Object.entries(ours).map(([name, value]) => [name, [value]])]);
}

export type SessionLike = Pick<
  Session,
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'webRequest'
  | 'on'
>;

export function hardenSession(session: SessionLike, options: { appOrigin: string; dev: boolean }): void {
  const { appOrigin, dev } = options;
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowPermissionRequest(permission, details, appOrigin)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowPermissionCheck(permission, requestingOrigin, details, appOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !allowRequest(details.url, appOrigin, dev) }),
  );
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) }),
  );
  session.on('will-download', (event) => event.preventDefault());
}

export type ContentsLike = Pick<
  WebContents,
  'on' | 'setWindowOpenHandler' | 'closeDevTools' | 'reload' | 'isDestroyed' | 'forcefullyCrashRenderer'
>;

export function hardenContents(contents: ContentsLike, options: { appOrigin: string; dev: boolean }): void {
  const { appOrigin, dev } = options;
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url, appOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (!dev) contents.on('devtools-opened', () => contents.closeDevTools());
}

/**
 * Reloads the page after its render process died (a crash, the out-of-memory killer, a hang we
 * ended), pausing longer each time; after too many, `onGiveUp` decides (the app exits non-zero so
 * the service manager starts it afresh, and clinic IT sees it in the journal).
 */
export function reloadAfterCrash(
  contents: ContentsLike,
  policy: RestartPolicy,
  options: { onGiveUp(reason: string): void; schedule?: (run: () => void, ms: number) => void },
): void {
  const schedule = options.schedule ?? ((run, ms) => void setTimeout(run, ms));
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    const delay = policy.next();
    if (delay === null) return options.onGiveUp(details.reason);
    schedule(() => {
      if (!contents.isDestroyed()) contents.reload();
    }, delay);
  });
  // A hung renderer is as useless to a patient as a crashed one: end it and take the path above.
  contents.on('unresponsive', () => contents.forcefullyCrashRenderer());
}
