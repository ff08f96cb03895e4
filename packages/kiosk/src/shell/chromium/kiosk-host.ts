/**
 * The Chromium app-mode host: an HTTP server on 127.0.0.1 that serves the built renderer with
 * `window.kiosk` implemented by a page script over a token-authenticated WebSocket, and the demo
 * operator panel. Chromium (launched by chromium-launcher.ts, or by Playwright in tests) opens
 * `appUrl`; the token rides in the URL fragment, which no request carries.
 *
 * Every request must come from loopback and name this host exactly (`Host: 127.0.0.1:PORT`), which
 * stops a web page elsewhere reaching it through DNS rebinding; a WebSocket must also come from
 * this origin. Every response carries the strict security headers of security-headers.ts.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { log } from '../../common/node/log.ts';
import type { KioskServices } from '../../kiosk/kiosk-services.ts';
import {
  BRIDGE_SCRIPT_PATH,
  HOST_SOCKET_PATH,
  OPERATOR_PAGE_PATH,
  OPERATOR_SCRIPT_PATH,
  OPERATOR_STYLE_PATH,
} from '../../preload/host-protocol.ts';
import { browserScript } from '../browser-scripts.ts';
import { DEFAULT_GATE_LIMITS, type GateLimits } from '../renderer-gate.ts';
import { securityHeaders } from '../security-headers.ts';
import { contentTypeOf, resolveStaticFile } from '../static-files.ts';
import { HostSockets, type HostStats } from './host-sockets.ts';
import { OPERATOR_CSS, OPERATOR_HTML } from './operator-page.ts';

export const HOST_ADDRESS = '127.0.0.1';

export interface KioskHostOptions {
  services: KioskServices;
  /** The renderer's build folder (index.html, scripts, styles, assets). */
  uiDir: string;
  /** TCP port on 127.0.0.1; 0 or absent: a free one. */
  port?: number;
  /** Serve the operator panel (default: when the services have a demo operator). */
  operatorPanel?: boolean;
  /** Serve the patient screens (default true; Electron's demo uses the host for the panel only). */
  patientScreens?: boolean;
  limits?: GateLimits;
}

export interface KioskHost {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly port: number;
  /** What Chromium opens: the patient screens, with this launch's token in the fragment (null: none). */
  readonly appUrl: string | null;
  /** The operator panel with its own token, or null when there is none. */
  readonly operatorUrl: string | null;
  stats(): HostStats;
  close(): Promise<void>;
}

/** 256 random bits, URL-safe, new for every start of the host. */
export function launchToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function startKioskHost(options: KioskHostOptions): Promise<KioskHost> {
  const operatorPanel = options.operatorPanel ?? options.services.operator !== null;
  const patientScreens = options.patientScreens ?? true;
  const tokens = {
    patient: patientScreens ? launchToken() : null,
    operator: operatorPanel ? launchToken() : null,
  };
  const limits = options.limits ?? DEFAULT_GATE_LIMITS;
  const sockets = new HostSockets(options.services, tokens, limits);
  // Frames above the gate's limit are dropped and counted; far larger ones end the connection.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 2 * Math.max(limits.maxFrameBytes, limits.maxCardFrameBytes),
    perMessageDeflate: false,
  });
  let origin = '';
  let headers: Record<string, string> = {};

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      log.error(
        { err: error instanceof Error ? error.message : String(error) },
        'kiosk host: request failed',
      );
      if (!response.headersSent) reply(response, 500, 'text/plain; charset=utf-8', 'internal error');
      else response.destroy();
    });
  });

  const reply = (response: ServerResponse, status: number, type: string, body: string | Buffer) => {
    response.writeHead(status, {
      ...headers,
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
    });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  };

  const trusted = (request: IncomingMessage) =>
    isLoopback(request.socket.remoteAddress) && request.headers.host === origin.slice('http://'.length);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!trusted(request)) return reply(response, 403, 'text/plain; charset=utf-8', 'forbidden');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return reply(response, 405, 'text/plain; charset=utf-8', 'method not allowed');
    }
    const path = new URL(request.url ?? '/', origin).pathname;
    const js = 'text/javascript; charset=utf-8';
    if (path === BRIDGE_SCRIPT_PATH && patientScreens)
      return reply(response, 200, js, await browserScript('websocket-bridge'));
    if (operatorPanel) {
      if (path === OPERATOR_PAGE_PATH) return reply(response, 200, 'text/html; charset=utf-8', OPERATOR_HTML);
      if (path === OPERATOR_SCRIPT_PATH)
        return reply(response, 200, js, await browserScript('operator-page'));
      if (path === OPERATOR_STYLE_PATH) return reply(response, 200, 'text/css; charset=utf-8', OPERATOR_CSS);
    }
    const file =
      patientScreens && !path.startsWith('/__kiosk/') ? await resolveStaticFile(options.uiDir, path) : null;
    if (file === null) return reply(response, 404, 'text/plain; charset=utf-8', 'not found');
    const type = contentTypeOf(file);
    const body = await readFile(file);
    if (!type.startsWith('text/html')) return reply(response, 200, type, body);
    return reply(response, 200, type, withBridge(body.toString('utf8')));
  }

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    if (path !== HOST_SOCKET_PATH || !trusted(request) || request.headers.origin !== origin) {
      sockets.stats.refused += 1;
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => sockets.accept(ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HOST_ADDRESS}:${port}`;
  headers = securityHeaders({ connect: [`ws://${HOST_ADDRESS}:${port}`] });

  return {
    origin,
    port,
    appUrl: tokens.patient ? `${origin}/#token=${tokens.patient}` : null,
    operatorUrl: tokens.operator ? `${origin}${OPERATOR_PAGE_PATH}#token=${tokens.operator}` : null,
    stats: () => structuredClone(sockets.stats),
    close: () => closeHost(server, wss, sockets),
  };
}

/**
 * The bridge script goes first in <head>: a classic script there runs before any of the renderer's
 * module scripts, so `window.kiosk` exists when the renderer starts. The renderer's own build has
 * no idea which shell it runs in.
 */
function withBridge(html: string): string {
  const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return tag + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + tag + html.slice(at);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::ffff:127.0.0.1' || address === '::1';
}

async function closeHost(server: Server, wss: WebSocketServer, sockets: HostSockets): Promise<void> {
  sockets.close();
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
