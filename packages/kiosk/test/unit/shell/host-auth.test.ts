import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { HELLO_TIMEOUT_MS, HostSockets } from '../../../src/shell/chromium/host-sockets.ts';
import { launchToken } from '../../../src/shell/chromium/kiosk-host.ts';
import { DEFAULT_GATE_LIMITS } from '../../../src/shell/renderer-gate.ts';
import { standInKiosk } from './support/stand-in-kiosk.ts';

/** Just enough of a ws socket for the host's session logic. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent: string[] = [];
  closed: { code: number; reason: string } | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
    this.readyState = 3;
    this.emit('close', code, Buffer.from(reason));
  }
  hello(value: unknown, binary = false) {
    this.emit('message', Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), binary);
  }
}

function setUp(operatorToken: string | null = launchToken()) {
  const services = standInKiosk({ demo: true });
  const tokens = { patient: launchToken(), operator: operatorToken };
  const sockets = new HostSockets(services, tokens, DEFAULT_GATE_LIMITS);
  const connect = () => {
    const socket = new FakeSocket();
    sockets.accept(socket as unknown as WebSocket);
    return socket;
  };
  return { services, tokens, sockets, connect };
}

describe('host authentication', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes 256-bit URL-safe tokens, a new one each launch', () => {
    const a = launchToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(launchToken()).not.toBe(a);
  });

  it('lets in the right token for the right role, and sends the profile and view', () => {
    const { tokens, sockets, connect } = setUp();
    const socket = connect();
    socket.hello({ type: 'hello', role: 'patient', token: tokens.patient });
    expect(socket.closed).toBeNull();
    expect(socket.sent.map((text) => JSON.parse(text).type)).toEqual(['profile', 'view']);
    expect(sockets.stats.authenticated.patient).toBe(1);
  });

  it('closes with 1008 on a wrong, truncated, missing or other role’s token, or a binary hello', () => {
    const { tokens, sockets, connect } = setUp();
    const patient = tokens.patient as string;
    const flipped = (patient[0] === 'A' ? 'B' : 'A') + patient.slice(1);
    const hellos: [unknown, boolean][] = [
      [{ type: 'hello', role: 'patient', token: flipped }, false],
      [{ type: 'hello', role: 'patient', token: patient.slice(0, -1) }, false],
      [{ type: 'hello', role: 'patient', token: `${patient}x` }, false],
      [{ type: 'hello', role: 'patient', token: '' }, false],
      [{ type: 'hello', role: 'patient' }, false],
      [{ type: 'hello', role: 'operator', token: patient }, false],
      [{ type: 'hello', role: 'patient', token: tokens.operator }, false],
      [{ type: 'hello', role: 'admin', token: patient }, false],
      [{ type: 'patient', command: { type: 'CHOOSE_PIN' } }, false],
      ['not json', false],
      [{ type: 'hello', role: 'patient', token: patient }, true],
    ];
    for (const [hello, binary] of hellos) {
      const socket = connect();
      socket.hello(hello, binary);
      expect(socket.closed, JSON.stringify(hello)).toEqual({ code: 1008, reason: 'not authorised' });
      expect(socket.sent).toEqual([]);
    }
    expect(sockets.stats.refused).toBe(hellos.length);
    expect(sockets.stats.authenticated).toEqual({ patient: 0, operator: 0 });
  });

  it('refuses the operator role when there is no operator panel', () => {
    const { connect } = setUp(null);
    const socket = connect();
    socket.hello({ type: 'hello', role: 'operator', token: '' });
    expect(socket.closed?.code).toBe(1008);
  });

  it('closes a page that says nothing in time', () => {
    vi.useFakeTimers();
    const { connect } = setUp();
    const socket = connect();
    vi.advanceTimersByTime(HELLO_TIMEOUT_MS - 1);
    expect(socket.closed).toBeNull();
    vi.advanceTimersByTime(1);
    expect(socket.closed?.code).toBe(1008);
  });

  it('lets a newer page of the same role replace the older one, which is told so', () => {
    const { tokens, sockets, connect, services } = setUp();
    const first = connect();
    first.hello({ type: 'hello', role: 'patient', token: tokens.patient });
    const second = connect();
    second.hello({ type: 'hello', role: 'patient', token: tokens.patient });
    expect(first.closed).toEqual({ code: 4001, reason: 'replaced by a newer page' });
    expect(second.closed).toBeNull();
    expect(sockets.stats.replaced).toBe(1);
    const before = first.sent.length;
    services.controller.card(true, '2026-11-24');
    expect(first.sent).toHaveLength(before);
    expect(second.sent.map((text) => JSON.parse(text).view?.screen)).toContain('reading');
  });
});
