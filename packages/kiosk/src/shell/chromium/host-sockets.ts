/**
 * The Chromium host's WebSocket connections. Each must say hello with its role's token first (the
 * patient screens and the operator panel have different tokens, so the untrusted patient page can
 * never act as staff). One connection per role at a time: a newly authenticated page replaces the
 * older one, because after Chromium restarts the dead page's socket can linger half-open for a
 * while and the new page must not wait for it; a page needs the token to do this at all.
 */
import type { RawData, WebSocket } from 'ws';
import { log } from '../../common/node/log.ts';
import type { MainMessage } from '../../common/ui-protocol.ts';
import type { KioskServices } from '../../kiosk/kiosk-services.ts';
import {
  CLOSE_REPLACED,
  CLOSE_UNAUTHORISED,
  type HostRole,
  readCardFrame,
} from '../../preload/host-protocol.ts';
import { tokensMatch } from '../../results/api-token.ts';
import {
  type DropCounts,
  type DropReason,
  type GateLimits,
  noDrops,
  RendererGate,
} from '../renderer-gate.ts';
import { TokenBucket } from '../token-bucket.ts';
import { type OperatorRequest, type OperatorUpdate, parseOperatorRequest } from './operator-protocol.ts';

/** A page that connects but does not say hello in this time is closed. */
export const HELLO_TIMEOUT_MS = 5000;

/** Null: that page is not served and its role is refused. */
export type HostTokens = Record<HostRole, string | null>;

export interface HostStats {
  /** Messages and frames dropped, by reason. */
  dropped: DropCounts;
  /** Connections refused: a wrong or missing token, or an upgrade from the wrong origin or host. */
  refused: number;
  /** Connections closed because a newer page of the same role authenticated. */
  replaced: number;
  authenticated: Record<HostRole, number>;
}

export class HostSockets {
  readonly stats: HostStats = {
    dropped: noDrops(),
    refused: 0,
    replaced: 0,
    authenticated: { patient: 0, operator: 0 },
  };
  private readonly current: Record<HostRole, WebSocket | null> = { patient: null, operator: null };
  private readonly pending = new Set<WebSocket>();

  constructor(
    private readonly services: KioskServices,
    private readonly tokens: HostTokens,
    private readonly limits: GateLimits,
  ) {}

  accept(socket: WebSocket): void {
    this.pending.add(socket);
    const timer = setTimeout(() => this.refuse(socket), HELLO_TIMEOUT_MS);
    socket.on('error', (error) => log.warn({ err: error.message }, 'kiosk host: socket error'));
    socket.once('close', () => {
      clearTimeout(timer);
      this.pending.delete(socket);
    });
    socket.once('message', (data, isBinary) => {
      clearTimeout(timer);
      this.pending.delete(socket);
      const role = isBinary ? null : this.roleOf(textOf(data));
      if (role === null) return this.refuse(socket);
      this.takeOver(role, socket);
      if (role === 'patient') this.patient(socket);
      else this.operator(socket);
    });
  }

  close(): void {
    for (const socket of [...this.pending, this.current.patient, this.current.operator])
      socket?.close(1001, 'kiosk stopping');
  }

  /** The role whose token the hello carries, or null. */
  private roleOf(text: string): HostRole | null {
    let hello: unknown;
    try {
      hello = JSON.parse(text);
    } catch {
      return null;
    }
    if (typeof hello !== 'object' || hello === null) return null;
    const { type, role, token } = hello as Record<string, unknown>;
    if (type !== 'hello' || typeof token !== 'string') return null;
    if (role !== 'patient' && role !== 'operator') return null;
    const expected = this.tokens[role];
    return expected !== null && tokensMatch(token, expected) ? role : null;
  }

  private refuse(socket: WebSocket): void {
    this.stats.refused += 1;
    log.warn('kiosk host: a page without a valid token was refused');
    socket.close(CLOSE_UNAUTHORISED, 'not authorised');
  }

  private takeOver(role: HostRole, socket: WebSocket): void {
    this.stats.authenticated[role] += 1;
    const previous = this.current[role];
    if (previous) {
      this.stats.replaced += 1;
      previous.close(CLOSE_REPLACED, 'replaced by a newer page');
    }
    this.current[role] = socket;
    socket.once('close', () => {
      if (this.current[role] === socket) this.current[role] = null;
    });
  }

  private patient(socket: WebSocket): void {
    const { services } = this;
    let unsubscribe = () => {};
    // The profile first, then the current view (onMessage replays it), then every change.
    const subscribe = () => {
      unsubscribe();
      sendJson(socket, { type: 'profile', profile: services.profile } satisfies MainMessage);
      unsubscribe = services.onMessage((message) => sendJson(socket, message));
    };
    const warned = new Set<DropReason>();
    const gate = new RendererGate(
      {
        patient: (command) => services.patient(command),
        frame: (jpeg) => services.frame(jpeg),
        cardFrame: (request, jpeg) => services.cardFrame?.(request, jpeg),
        ready: subscribe,
      },
      this.stats.dropped,
      this.limits,
      (reason) => {
        if (warned.has(reason)) return;
        warned.add(reason);
        log.warn({ reason }, 'kiosk host: dropped input from the renderer');
      },
    );
    subscribe();
    socket.on('message', (data, isBinary) => {
      if (!isBinary) return gate.text(textOf(data));
      const bytes = bytesOf(data);
      const card = readCardFrame(bytes);
      return card ? gate.cardFrame(card.request, card.jpeg) : gate.frame(bytes);
    });
    socket.once('close', () => unsubscribe());
  }

  private operator(socket: WebSocket): void {
    const { services } = this;
    sendJson(socket, { type: 'people', people: services.operator?.people() ?? [] } satisfies OperatorUpdate);
    const unsubscribe = services.onMessage((message) => {
      if (message.type !== 'view') return;
      const { screen, visualCheckArmed } = message.view;
      sendJson(socket, { type: 'screen', screen, visualCheckArmed } satisfies OperatorUpdate);
    });
    const bucket = new TokenBucket(10);
    socket.on('message', (data, isBinary) => {
      const request = this.operatorRequest(bucket, isBinary ? null : textOf(data));
      if (request === null) return;
      void this.perform(request).then((error) =>
        sendJson(socket, {
          type: 'result',
          request: request.type,
          ok: error === null,
          ...(error === null ? {} : { error }),
        } satisfies OperatorUpdate),
      );
    });
    socket.once('close', () => unsubscribe());
  }

  /** The request a panel's message carries; null (and counted) when it carries none. */
  private operatorRequest(bucket: TokenBucket, text: string | null): OperatorRequest | null {
    const { dropped } = this.stats;
    if (!bucket.take()) {
      dropped.rate += 1;
      return null;
    }
    let value: unknown = null;
    try {
      if (text !== null) value = JSON.parse(text);
    } catch {
      dropped['not-json'] += 1;
      return null;
    }
    const request = parseOperatorRequest(value);
    if (request === null) dropped['not-a-message'] += 1;
    return request;
  }

  /** Null when done, else what went wrong, for the panel. */
  private async perform(request: OperatorRequest): Promise<string | null> {
    const { operator } = this.services;
    try {
      switch (request.type) {
        case 'staff':
          this.services.staff(request.command);
          return null;
        case 'insert':
          if (!operator) return 'no virtual cards outside the demo';
          if (!operator.people().some((person) => person.id === request.personId)) return 'unknown person';
          await operator.insert(request.personId);
          return null;
        case 'remove':
          if (!operator) return 'no virtual cards outside the demo';
          await operator.remove();
          return null;
      }
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}

function sendJson(socket: WebSocket, message: MainMessage | OperatorUpdate): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function textOf(data: RawData): string {
  return bytesOf(data).toString('utf8');
}
