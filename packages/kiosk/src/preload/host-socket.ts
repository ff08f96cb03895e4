/**
 * A page's connection to the Chromium host: says hello with the page's token, reconnects with a
 * growing pause when the host goes away (a restart of the kiosk), and gives up for good when the
 * host refuses the token or a newer page has taken over, since retrying cannot change either.
 */
import {
  CLOSE_REPLACED,
  CLOSE_UNAUTHORISED,
  type Hello,
  HOST_SOCKET_PATH,
  type HostRole,
} from './host-protocol.ts';

export type HostSocketState = 'connected' | 'disconnected' | 'refused' | 'replaced';

export interface HostSocketOptions {
  role: HostRole;
  token: string | null;
  onText(text: string): void;
  onState?(state: HostSocketState): void;
}

export interface HostSocket {
  /** False when the message could not be sent (not connected). */
  send(data: string | ArrayBuffer): boolean;
  /** Bytes queued but not yet sent: frames are skipped while the link is behind. */
  backlog(): number;
}

export function connectHost(options: HostSocketOptions): HostSocket {
  let socket: WebSocket | null = null;
  let pause = 250;
  let finished = false;

  const open = () => {
    const current = new WebSocket(`ws://${location.host}${HOST_SOCKET_PATH}`);
    current.binaryType = 'arraybuffer';
    socket = current;
    current.addEventListener('open', () => {
      const hello: Hello = { type: 'hello', role: options.role, token: options.token ?? '' };
      current.send(JSON.stringify(hello));
      pause = 250;
      options.onState?.('connected');
    });
    current.addEventListener('message', (event) => {
      if (typeof event.data === 'string') options.onText(event.data);
    });
    current.addEventListener('close', (event) => {
      if (socket === current) socket = null;
      if (event.code === CLOSE_UNAUTHORISED || event.code === CLOSE_REPLACED) {
        finished = true;
        options.onState?.(event.code === CLOSE_UNAUTHORISED ? 'refused' : 'replaced');
        return;
      }
      options.onState?.('disconnected');
      if (finished) return;
      window.setTimeout(open, pause);
      pause = Math.min(pause * 2, 5000);
    });
  };

  if (options.token === null) options.onState?.('refused');
  else open();

  return {
    send(data) {
      if (socket === null || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(data);
      return true;
    },
    backlog() {
      return socket?.bufferedAmount ?? 0;
    },
  };
}
