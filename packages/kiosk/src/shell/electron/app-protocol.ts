/**
 * The renderer's build is served to Electron's window from `app://kiosk/`, not from file://: a
 * standard, secure scheme gives the page a real origin of its own for the content security policy
 * and the permission checks, and the file:// scheme's extra privileges stay switched off.
 */
import { readFile } from 'node:fs/promises';
import type { CustomScheme } from 'electron';
import { securityHeaders } from '../security-headers.ts';
import { contentTypeOf, resolveStaticFile } from '../static-files.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Registered before the app is ready (Electron's rule). */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

/** Answers a request on the app scheme with a file of the build, and the kiosk's security headers. */
export function appRequestHandler(uiDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const file =
      url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && request.method === 'GET'
        ? await resolveStaticFile(uiDir, url.pathname)
        : null;
    if (file === null) return new Response('not found', { status: 404, headers: securityHeaders() });
    return new Response(await readFile(file), {
      status: 200,
      headers: { ...securityHeaders(), 'Content-Type': contentTypeOf(file) },
    });
  };
}
