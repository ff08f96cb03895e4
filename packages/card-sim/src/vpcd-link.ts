/**
 * Plugs a virtual card into pcscd through the vsmartcard vpcd driver. vpcd listens; we connect as
 * the "virtual ICC". Both directions frame messages as a 2-byte big-endian length + payload. A
 * 1-byte payload is a control message (power off / on, reset, ATR request); anything longer is an
 * APDU. vpcd polls presence by asking for the ATR, so "connected and answering" = card present.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { ApduResponder } from '@myna/card/connection.js';
import { SimulatedRemoval } from './faults.ts';

export const VPCD_DEFAULT_HOST = '127.0.0.1';
export const VPCD_DEFAULT_PORT = 35963;

const CONTROL = { powerOff: 0x00, powerOn: 0x01, reset: 0x02, getAtr: 0x04 } as const;
/** Answer to an APDU the card could not process at all (not a SimulatedRemoval). */
const NO_PRECISE_DIAGNOSIS = Uint8Array.of(0x6f, 0x00);

export interface VpcdLinkOptions {
  readonly host?: string;
  readonly port?: number;
  /** Pause between connection attempts while vpcd is not listening (pcscd not up yet). */
  readonly retryMs?: number;
}

export interface VpcdLinkEvents {
  inserted: [];
  /** reason: 'removed' (remove()), 'fault' (a SimulatedRemoval), 'vpcd closed' (the peer hung up). */
  removed: [reason: string];
  /** The first refused attempt while the card should be inserted: vpcd is not listening (yet). */
  waiting: [code: string];
  /** An exception from the card other than SimulatedRemoval; the APDU got 6F00. */
  error: [error: unknown];
}

export class VpcdLink extends EventEmitter<VpcdLinkEvents> {
  readonly host: string;
  readonly port: number;
  private readonly retryMs: number;
  private socket: Socket | undefined;
  private connected = false;
  private wanted = false;
  private closeReason: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** 'waiting' is said once per outage, not on every refused attempt. */
  private waitingReported = false;
  private waiters: (() => void)[] = [];
  private received = Buffer.alloc(0);

  constructor(
    private cardValue: ApduResponder,
    options: VpcdLinkOptions = {},
  ) {
    super();
    this.host = options.host ?? VPCD_DEFAULT_HOST;
    this.port = options.port ?? VPCD_DEFAULT_PORT;
    this.retryMs = options.retryMs ?? 200;
  }

  get inserted(): boolean {
    return this.connected;
  }

  get card(): ApduResponder {
    return this.cardValue;
  }

  /** Swaps the card; only while removed, as a person swaps cards on a real reader. */
  set card(card: ApduResponder) {
    if (this.wanted || this.socket) throw new Error('remove the card before swapping it');
    this.cardValue = card;
  }

  /** Connects to vpcd (retrying while refused); resolves once inserted, or when remove() cancels it. */
  insert(): Promise<void> {
    if (this.connected) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (!this.wanted) {
      this.wanted = true;
      this.attempt();
    }
    return done;
  }

  /** Closes the connection; vpcd reports the card gone. Resolves once the socket is closed. */
  remove(): Promise<void> {
    return this.drop('removed');
  }

  private attempt(): void {
    this.retryTimer = undefined;
    const socket = connect({ host: this.host, port: this.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.waitingReported = false;
      this.received = Buffer.alloc(0);
      this.cardValue.reset();
      this.emit('inserted');
      this.settleWaiters();
    });
    socket.on('data', (chunk) => this.onData(socket, chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.connected || !this.wanted || this.waitingReported) return;
      this.waitingReported = true;
      this.emit('waiting', error.code ?? 'error');
    });
    socket.on('close', () => this.onClose(socket));
  }

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    const wasConnected = this.connected;
    this.socket = undefined;
    this.connected = false;
    if (wasConnected) this.emit('removed', this.closeReason ?? 'vpcd closed');
    this.closeReason = undefined;
    if (this.wanted) {
      // Refused, or vpcd went away (pcscd restarted): keep trying, the card is still "on the reader".
      this.retryTimer = setTimeout(() => this.attempt(), this.retryMs);
    } else {
      this.settleWaiters();
    }
  }

  private settleWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private drop(reason: string): Promise<void> {
    this.wanted = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    if (!socket) {
      this.settleWaiters();
      return Promise.resolve();
    }
    this.closeReason = reason;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  private onData(socket: Socket, chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);
    // vpcd writes the length and the payload separately: wait for whole frames.
    while (this.received.length >= 2 && this.socket === socket) {
      const length = this.received.readUInt16BE(0);
      if (this.received.length < 2 + length) return;
      const payload = this.received.subarray(2, 2 + length);
      this.received = this.received.subarray(2 + length);
      this.handle(socket, payload);
    }
  }

  private handle(socket: Socket, payload: Uint8Array): void {
    if (payload.length === 1) {
      switch (payload[0]) {
        case CONTROL.getAtr:
          this.send(socket, this.cardValue.atr);
          return;
        case CONTROL.powerOn:
        case CONTROL.reset:
          this.cardValue.reset();
          return;
        default:
          // Power off and unknown controls need no answer.
          return;
      }
    }
    let response: Uint8Array;
    try {
      response = this.cardValue.process(payload);
    } catch (error) {
      if (error instanceof SimulatedRemoval) {
        void this.drop('fault');
        return;
      }
      this.emit('error', error);
      response = NO_PRECISE_DIAGNOSIS;
    }
    this.send(socket, response);
  }

  private send(socket: Socket, payload: Uint8Array): void {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  }
}
